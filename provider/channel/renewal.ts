/**
 * The renewal policy: whether a stored channel is due for renewal, and why.
 *
 * One named chain of small checks, read in order; each answers "renew, because …" or nothing, and
 * the first answer wins (the shape of cert-manager's renewal policies). `diff` asks it, and a due
 * renewal becomes a replacement reported under `channelExpiry` (see diff.ts for why a replacement).
 *
 * The window is the declared `renewBefore` when known, else the stored one: a new window applies
 * at once, and an unknown one during a preview keeps the old. Without a readable window nothing is
 * judged (`check` refuses such an input, so only hand-edited state lacks one).
 *
 * What is not here: the window's default (half of `expiresIn`) and its bounds are `check`'s
 * (inputs.ts); the CLI's `status` warns within its own `--warn-within` window, a different question.
 */
import { DateTime, Duration } from "luxon";
import { parseDuration } from "./expiry";
import { UNKNOWN } from "./inputs";

/** What every check reads: the stored expiry as Zoho wrote it, the window, and "now". */
export interface RenewalFacts {
  /** The stored `channelExpiry`, exactly as Zoho returned it. */
  channelExpiry: string;
  /** The same, read (possibly invalid: {@link expiryUnreadable} says so first). */
  expiry: DateTime;
  renewBefore: Duration;
  at: DateTime;
}

/** One check of the policy: the reason to renew, or undefined when it has none. */
export interface RenewalCheck {
  name: string;
  reason(facts: RenewalFacts): string | undefined;
}

/** A stored expiry that cannot be read cannot be trusted to be in the future. */
export const expiryUnreadable: RenewalCheck = {
  name: "expiry-unreadable",
  reason: ({ channelExpiry, expiry }) =>
    expiry.isValid ? undefined : `the stored channelExpiry "${channelExpiry}" is unreadable`,
};

/** The channel has lapsed: Zoho no longer sends its notifications. */
export const expired: RenewalCheck = {
  name: "expired",
  reason: ({ expiry, at }) =>
    expiry <= at ? `the channel expired at ${expiry.toISO({ suppressMilliseconds: true })}` : undefined,
};

/** The channel lives on, but inside the renewal window. */
export const insideRenewalWindow: RenewalCheck = {
  name: "inside-renewal-window",
  reason: ({ expiry, renewBefore, at }) => {
    if (expiry.minus(renewBefore) > at) return undefined;
    const minutes = Math.round(expiry.diff(at).as("minutes"));
    // "1 day, 23 hours", not "1 day, 23 hours, 0 minutes": luxon names every unit, zeros too.
    const left =
      minutes === 0
        ? "less than a minute"
        : Duration.fromObject({ minutes }).shiftTo("days", "hours", "minutes").removeZeros().toHuman();
    return `the channel expires at ${expiry.toISO({ suppressMilliseconds: true })}, in ${left}, inside the renewal window of ${renewBefore.toISO()}`;
  },
};

/** The policy: its checks in the order they are asked. */
export const RENEWAL_POLICY: readonly RenewalCheck[] = [expiryUnreadable, expired, insideRenewalWindow];

/** The window that applies: the declared `renewBefore` when known, else the stored one. */
export function renewalWindow(stored: string, declared: unknown): Duration | undefined {
  return parseDuration(typeof declared === "string" && declared !== UNKNOWN ? declared : stored);
}

/** Why the channel stored with `channelExpiry` is due for renewal at `at`, or undefined when it is not. */
export function renewalDue(
  channelExpiry: string,
  renewBefore: Duration | undefined,
  at: DateTime,
): { check: string; reason: string } | undefined {
  if (!renewBefore) return undefined;
  const facts: RenewalFacts = {
    channelExpiry,
    expiry: DateTime.fromISO(channelExpiry, { setZone: true }),
    renewBefore,
    at,
  };
  for (const check of RENEWAL_POLICY) {
    const reason = check.reason(facts);
    if (reason !== undefined) return { check: check.name, reason };
  }
  return undefined;
}
