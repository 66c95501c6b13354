/**
 * Expiry rules: how long a channel may live, when it is due for renewal, and what "now" is.
 *
 * Zoho silently shortens an expiry beyond the version's maximum to one hour, so the provider never
 * lets one through: `check` rejects it and the default is the maximum itself.
 */
import { DateTime, Duration } from "luxon";
import type { ApiVersion } from "./settings";

/** The longest `channel_expiry` a version accepts: 1 day for v2–v3, 7 days from v4. */
export function maxExpiresIn(version: ApiVersion): Duration {
  return ["v2", "v2.1", "v3"].includes(version)
    ? Duration.fromObject({ days: 1 })
    : Duration.fromObject({ days: 7 });
}

/** The default renewal window: half the channel's lifetime, so one missed CI run is survivable. */
export function defaultRenewBefore(expiresIn: Duration): Duration {
  return Duration.fromMillis(Math.floor(expiresIn.toMillis() / 2)).shiftTo(
    "days",
    "hours",
    "minutes",
    "seconds",
  );
}

/** Parses an ISO-8601 duration ("P7D", "PT12H"); invalid or non-positive durations give undefined. */
export function parseDuration(text: string): Duration | undefined {
  const duration = Duration.fromISO(text);
  return duration.isValid && duration.toMillis() > 0 ? duration : undefined;
}

/**
 * The environment variable that shifts the provider's clock, for runs against the emulator after its
 * clock was advanced (the emulator's time is real time plus an offset). An ISO-8601 duration, e.g.
 * `P6DT12H`, or milliseconds. Never set it against a real Zoho org.
 */
export const CLOCK_OFFSET_ENV = "ZOHO_WATCH_CLOCK_OFFSET";

/** The current time as the provider sees it: real time plus {@link CLOCK_OFFSET_ENV}, if set. */
export function now(env: NodeJS.ProcessEnv = process.env): DateTime {
  const offset = env[CLOCK_OFFSET_ENV]?.trim();
  if (!offset) {
    return DateTime.utc();
  }
  const millis = /^-?\d+$/.test(offset) ? Number(offset) : Duration.fromISO(offset).toMillis();
  if (!Number.isFinite(millis)) {
    throw new Error(`${CLOCK_OFFSET_ENV}="${offset}" is neither an ISO-8601 duration nor milliseconds`);
  }
  return DateTime.utc().plus(millis);
}

/** Why a stored channel needs renewing, or undefined when it does not. */
export function renewalReason(
  channelExpiry: string,
  renewBefore: Duration,
  at: DateTime,
): string | undefined {
  const expiry = DateTime.fromISO(channelExpiry, { setZone: true });
  if (!expiry.isValid) {
    return `the stored channelExpiry "${channelExpiry}" is unreadable`;
  }
  if (expiry <= at) {
    return `the channel expired at ${expiry.toISO({ suppressMilliseconds: true })}`;
  }
  const renewFrom = expiry.minus(renewBefore);
  if (renewFrom <= at) {
    const minutes = Math.round(expiry.diff(at).as("minutes"));
    const left = Duration.fromObject({ minutes }).shiftTo("days", "hours", "minutes").toHuman();
    return `the channel expires at ${expiry.toISO({ suppressMilliseconds: true })}, in ${left}, inside the renewal window of ${renewBefore.toISO()}`;
  }
  return undefined;
}
