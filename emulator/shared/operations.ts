/**
 * The operations of the emulated Zoho: what one request is, for stats, fault matching and scopes.
 * Shared by the Zoho side (oauth, the watch API) and the control API, which re-exports it; kept
 * here so that neither side imports the other.
 */

/** What a request to the emulated Zoho is, for stats and fault matching. */
export const OPERATIONS = [
  "token",
  "org",
  "enable",
  "list",
  "update",
  "patch",
  "disableEvents",
  "disable",
] as const;
export type Operation = (typeof OPERATIONS)[number];
