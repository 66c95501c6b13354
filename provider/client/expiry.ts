/**
 * Never guessing about expiries (issue 11).
 *
 * Zoho does not refuse a `channel_expiry` beyond the version's maximum: it silently cuts the
 * channel to one hour and answers success. Two checks keep that from passing unnoticed:
 * - before sending, an expiry beyond the maximum *by this client's clock* is refused
 *   ({@link expiryBeyondMaximum});
 * - after a successful write, the expiry Zoho answered is compared with the requested one
 *   ({@link checkAnsweredExpiry}); a difference beyond the tolerance turns the item's outcome into
 *   a {@link ZohoExpiryMismatchError}. This catches what the first check cannot: a clock that runs
 *   ahead of Zoho's, and any other server-side change of the expiry.
 */
import { Duration, type DateTime } from "luxon";
import type { WatchOutcome } from "./answers";
import { parseExpiry } from "../zoho/dates";
import { ZohoExpiryMismatchError, type ExpiryMismatchDirection, type ZohoOperation } from "../zoho/errors";
import { FALLBACK_CHANNEL_LIFETIME, maxExpiresIn, type ApiVersion } from "../zoho/rules";

const ISO = { suppressMilliseconds: true } as const;

/** A duration as people read it: "6 days, 23 hours, 12 seconds" (whole seconds, no zero units). */
function humanDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  const parts = Duration.fromObject({ seconds }).shiftTo("days", "hours", "minutes", "seconds").toObject();
  return Duration.fromObject(
    Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== 0)),
  ).toHuman();
}

/**
 * Why `expiry` cannot be asked of `version` at `now`: it lies more than the version's maximum
 * after `now`, so Zoho would cut the channel to one hour. Undefined when it is within the maximum.
 */
export function expiryBeyondMaximum(
  expiry: DateTime,
  version: ApiVersion,
  now: DateTime,
): string | undefined {
  const max = maxExpiresIn(version);
  const ahead = expiry.toMillis() - now.toMillis();
  if (ahead <= max.toMillis()) return undefined;
  return (
    `${expiry.toISO(ISO)} is ${humanDuration(ahead)} from now (${now.toUTC().startOf("second").toISO(ISO)} by this client's clock), ` +
    `beyond the ${max.toISO()} that API ${version} allows; Zoho would silently cut the channel to ` +
    `${FALLBACK_CHANNEL_LIFETIME.toHuman()}. Ask for at most ${max.toISO()} from now`
  );
}

/** Which way `answered` misses `requested` by more than `toleranceMs`, or undefined when it does not. */
export function expiryMismatch(
  requested: DateTime,
  answered: DateTime,
  toleranceMs: number,
): ExpiryMismatchDirection | undefined {
  const difference = answered.toMillis() - requested.toMillis();
  if (Math.abs(difference) <= toleranceMs) return undefined;
  return difference < 0 ? "earlier" : "later";
}

/** Where a write happened, for {@link checkAnsweredExpiry}'s error. */
export interface ExpiryCheckContext {
  operation: ZohoOperation;
  version: ApiVersion;
  /** Largest accepted difference between answered and requested expiry. */
  toleranceMs: number;
  status?: number | undefined;
  attempts?: number | undefined;
}

/**
 * The outcome of a write as it may be trusted: `outcome` itself, unless it is a success whose
 * answered expiry (any module's) misses `requestedExpiry` (the wire string sent) by more than the
 * tolerance; that becomes a failure with a {@link ZohoExpiryMismatchError}. A success without an
 * answered expiry, or a write that asked for none, is returned unchanged.
 */
export function checkAnsweredExpiry(
  outcome: WatchOutcome,
  requestedExpiry: string | undefined,
  context: ExpiryCheckContext,
): WatchOutcome {
  if (!outcome.ok || requestedExpiry === undefined) return outcome;
  const requested = parseExpiry(requestedExpiry);
  if (!requested.isValid) return outcome;
  for (const resource of outcome.resources) {
    const answered = resource.channelExpiry;
    if (!answered) continue;
    const direction = expiryMismatch(requested, answered, context.toleranceMs);
    if (!direction) continue;
    const gap = humanDuration(Math.abs(answered.toMillis() - requested.toMillis()));
    const max = maxExpiresIn(context.version).toISO();
    const cause =
      direction === "earlier"
        ? `Zoho silently cuts an expiry beyond the API version's maximum (${max} on ${context.version}) to ` +
          `${FALLBACK_CHANNEL_LIFETIME.toHuman()}: most likely this machine's clock runs ahead of Zoho's, or the ` +
          "requested expiry was beyond the maximum. Ask for a shorter expiry or correct the clock"
        : "Zoho keeps the channel longer than asked, so its answer cannot be taken as the expiry asked for; " +
          "check the clocks and the requested expiry";
    return {
      ok: false,
      channelId: outcome.channelId,
      error: new ZohoExpiryMismatchError(
        `${context.operation} channel ${outcome.channelId}: Zoho answered channel_expiry ${answered.toISO(ISO)}` +
          `${resource.resourceName ? ` (for ${resource.resourceName})` : ""}, ${gap} ${direction} than the requested ` +
          `${requested.toISO(ISO)}. ${cause}. The write was applied: the channel expires at the answered time.`,
        {
          operation: context.operation,
          status: context.status,
          attempts: context.attempts,
          channelId: outcome.channelId,
          requestedExpiry: requested.toISO(ISO) ?? requestedExpiry,
          answeredExpiry: answered.toISO(ISO) ?? "",
          direction,
        },
      ),
    };
  }
  return outcome;
}
