/**
 * Expiry rules: how long a channel may live, its default renewal window, and what "now" is (when
 * a renewal is due is the renewal policy's: renewal.ts).
 *
 * Zoho silently cuts an expiry past the version's maximum *by Zoho's clock* to one hour. A provider
 * whose clock runs a few seconds ahead of Zoho's and asks for exactly the maximum would get one-hour
 * channels and never know. So the longest expiry the provider asks for is the maximum less a
 * {@link CLOCK_SKEW_MARGIN}: the default, and the most `check` accepts. The client also compares the
 * expiry Zoho answers with the one it asked for, so a cut that happens anyway is a failure.
 */
import { DateTime, Duration } from "luxon";
import { maxExpiresIn, type ApiVersion } from "../zoho/rules";

export { maxExpiresIn };

/**
 * Room left below the maximum for the provider's clock to run ahead of Zoho's. Ten minutes absorbs
 * any clock kept by NTP and most that are not, and costs a channel 0.1% of its life.
 */
export const CLOCK_SKEW_MARGIN = Duration.fromObject({ minutes: 10 });

/**
 * The longest expiry the provider asks for, and its default: the version's maximum less
 * {@link CLOCK_SKEW_MARGIN} (`P6DT23H50M` from v4, `PT23H50M` before).
 */
export function safeExpiresIn(version: ApiVersion): Duration {
  return maxExpiresIn(version)
    .minus(CLOCK_SKEW_MARGIN)
    .shiftTo("days", "hours", "minutes")
    .normalize()
    .rescale();
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
 * The environment variable behind the `zoho-watch:clockOffset` setting, which shifts the provider's
 * clock for runs against the emulator after its clock was advanced (the emulator's time is real time
 * plus an offset). An ISO-8601 duration, e.g. `P6DT12H`, or milliseconds. Never set it against a
 * real Zoho org.
 */
export const CLOCK_OFFSET_ENV = "ZOHO_WATCH_CLOCK_OFFSET";

/** A source of the current time, injected wherever the provider needs "now". */
export type Clock = () => DateTime;

/**
 * Parses a clock offset (an ISO-8601 duration, possibly negative as `-PT2M`, or milliseconds).
 * Returns undefined for text that is neither.
 */
export function parseClockOffset(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  const negative = trimmed.startsWith("-");
  const duration = Duration.fromISO(negative ? trimmed.slice(1) : trimmed);
  if (!duration.isValid) return undefined;
  return negative ? -duration.toMillis() : duration.toMillis();
}

/** The real UTC clock shifted by `offsetMs`. */
export function offsetClock(offsetMs = 0): Clock {
  return () => DateTime.utc().plus(offsetMs);
}
