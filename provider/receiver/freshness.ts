/**
 * Freshness: how old a notification may be, by its own `server_time`, before a receiver refuses it.
 *
 * Zoho signs nothing, so a notification captured once (a log, a proxy, a misdirected notify_url)
 * can be sent again with its token intact. A receiver cannot tell a replay from the original; what
 * it can do is refuse what is older than it would ever expect a genuine delivery to be. This bounds
 * the replay window, it does not close it (see docs/receiving.md, "Zoho signs nothing").
 */
import { Duration } from "luxon";

/** A duration: milliseconds, or an ISO-8601 duration such as `PT5M`. */
export type DurationLike = number | string;

/** How {@link checkFreshness} judges `server_time`. */
export interface FreshnessPolicy {
  /** Oldest accepted, in ms. */
  maxAgeMs: number;
  /** How far ahead of the receiver's clock `server_time` may be (clock skew), in ms. */
  maxFutureMs: number;
  /** The receiver's clock, epoch ms. */
  now: () => number;
}

/** The default tolerance for a `server_time` ahead of the receiver's clock: one minute. */
export const DEFAULT_CLOCK_SKEW_MS = 60_000;

/**
 * Reads a duration option; throws a TypeError naming `name` when it is not a positive duration.
 * Whole ISO-8601 durations only (`PT5M`, `PT30S`, `P1D`); numbers are milliseconds.
 */
export function readDuration(value: DurationLike, name: string): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new TypeError(`${name} must be a non-negative number of milliseconds or an ISO-8601 duration`);
  }
  const duration = Duration.fromISO(value);
  if (!duration.isValid || duration.toMillis() < 0) {
    throw new TypeError(
      `${name} "${value}" is not an ISO-8601 duration: write e.g. "PT5M" (5 minutes) or a number of milliseconds`,
    );
  }
  return duration.toMillis();
}

/** Why a notification is not fresh, or undefined when it is. */
export function checkFreshness(
  serverTime: number,
  policy: FreshnessPolicy,
): { code: "TOO_OLD" | "FROM_THE_FUTURE"; reason: string } | undefined {
  const now = policy.now();
  const sent = new Date(serverTime).toISOString();
  const age = now - serverTime;
  if (age > policy.maxAgeMs) {
    return {
      code: "TOO_OLD",
      reason: `the notification was sent at ${sent}, ${human(age)} ago, more than the maximum age of ${human(policy.maxAgeMs)} (a replay, or a receiver clock that is wrong)`,
    };
  }
  if (-age > policy.maxFutureMs) {
    return {
      code: "FROM_THE_FUTURE",
      reason: `the notification is dated ${sent}, ${human(-age)} ahead of this receiver's clock, more than the allowed skew of ${human(policy.maxFutureMs)}; check the receiver's clock`,
    };
  }
  return undefined;
}

/** "7 minutes, 3 seconds" for a log line. */
function human(ms: number): string {
  const rounded = Math.round(ms / 1000) * 1000;
  if (rounded === 0) return `${ms} ms`;
  const parts = Duration.fromMillis(rounded).shiftTo("days", "hours", "minutes", "seconds").toObject();
  return (
    Duration.fromObject(
      Object.fromEntries(Object.entries(parts).filter(([, amount]) => amount !== 0 && amount !== undefined)),
    ).toHuman() || `${ms} ms`
  );
}
