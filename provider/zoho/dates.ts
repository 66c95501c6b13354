/**
 * `channel_expiry` on the wire.
 *
 * Zoho expects ISO-8601 date-times with an offset and, as integrators report, rejects strings
 * with milliseconds; answers echo the expiry in the org's offset (`-11:00`, `+05:30`).
 */
import { DateTime } from "luxon";

/** Anything the client accepts as an expiry: a luxon DateTime or an ISO-8601 string with offset. */
export type ExpiryInput = DateTime | string;

// An explicit offset at the end: `Z`, `+05:30`, `-1100`, `+05`.
const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Reads an expiry given by a caller. Strings must carry an offset: without one the instant would
 * depend on the machine running Pulumi. Returns an invalid DateTime (with `invalidExplanation`)
 * rather than throwing, so schemas can report it as an issue.
 */
export function readExpiry(value: ExpiryInput): DateTime {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  if (!OFFSET_SUFFIX.test(trimmed)) {
    return DateTime.invalid("missing offset", "an ISO-8601 date-time needs an offset such as Z or +05:30");
  }
  return DateTime.fromISO(trimmed, { setZone: true });
}

/**
 * Formats an expiry for Zoho: whole seconds (non-zero milliseconds are truncated, never rounded
 * up past what the caller asked for), no milliseconds, and a numeric offset — `+00:00` instead of
 * `Z`, matching the `±hh:mm` form of every Zoho sample.
 */
export function formatExpiry(value: DateTime): string {
  const iso = value.startOf("second").toISO({ suppressMilliseconds: true, includeOffset: true });
  if (iso === null) throw new RangeError("cannot format an invalid DateTime");
  return iso.replace(/Z$/, "+00:00");
}

/** Parses an expiry from a Zoho answer, keeping the offset Zoho used. */
export function parseExpiry(text: string): DateTime {
  return DateTime.fromISO(text, { setZone: true });
}
