import { DateTime } from "luxon";

/**
 * `channel_expiry` rules: format, the silent one-hour fallback and the org-offset echo.
 */

/** Lifetime of a channel created without `channel_expiry`, or with one beyond the version's maximum. */
export const DEFAULT_CHANNEL_LIFETIME_MS = 3_600_000;

// Zoho wants `yyyy-MM-ddTHH:mm:ss` plus an offset; integrators report that milliseconds are refused.
const EXPIRY_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/;

export type ExpiryResolution =
  | { readonly ok: true; readonly expiresAt: number; readonly fellBack: boolean }
  | { readonly ok: false; readonly reason: string };

/** One hour from `now`, on a whole second (Zoho never shows milliseconds in an expiry). */
export function defaultExpiry(now: number): number {
  return Math.floor(now / 1000) * 1000 + DEFAULT_CHANNEL_LIFETIME_MS;
}

/** Applies Zoho's rules to a given `channel_expiry`. */
export function resolveChannelExpiry(raw: string, now: number, maxLifetimeMs: number): ExpiryResolution {
  if (/T\d{2}:\d{2}:\d{2}[.,]\d/.test(raw)) return { ok: false, reason: "milliseconds are not accepted" };
  if (!EXPIRY_PATTERN.test(raw)) return { ok: false, reason: "expected yyyy-MM-ddTHH:mm:ss with an offset" };
  const parsed = DateTime.fromISO(raw, { setZone: true });
  if (!parsed.isValid) return { ok: false, reason: "not a valid date-time" };
  const expiresAt = parsed.toMillis();
  if (expiresAt <= now) return { ok: false, reason: "the expiry is in the past" };
  if (expiresAt - now > maxLifetimeMs) return { ok: true, expiresAt: defaultExpiry(now), fellBack: true };
  return { ok: true, expiresAt, fellBack: false };
}

/** An instant as Zoho echoes it: whole seconds, in the org's zone, with a numeric offset (`+05:30`). */
export function formatInZone(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** Whether luxon understands the zone (IANA names, `UTC`, `UTC+5:30`, ...). */
export function isValidZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}
