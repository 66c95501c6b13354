/**
 * Zoho-shaped response bodies: per-item error entries and whole-response errors. Codes and messages
 * follow the reference and Zoho's OpenAPI examples; see README "Error bodies" for the full list.
 */

export type ZohoDetails = Record<string, unknown>;

/** An error entry (inside `watch[]`) or a whole error body: Zoho uses the same four keys for both. */
export interface ZohoError {
  readonly code: string;
  readonly details: ZohoDetails;
  readonly message: string;
  readonly status: "error";
}

export function zohoError(code: string, message: string, details: ZohoDetails = {}): ZohoError {
  return { code, details, message, status: "error" };
}

export const mandatoryNotFound = (details: ZohoDetails): ZohoError =>
  zohoError("MANDATORY_NOT_FOUND", "required field not found", details);

export const invalidData = (details: ZohoDetails, message = "invalid data"): ZohoError =>
  zohoError("INVALID_DATA", message, details);

/** Whole-response bodies that never vary. */
export const ZOHO_BODIES = {
  invalidToken: zohoError("INVALID_TOKEN", "invalid oauth token"),
  oauthScopeMismatch: zohoError("OAUTH_SCOPE_MISMATCH", "Unauthorized"),
  invalidUrlPattern: zohoError(
    "INVALID_URL_PATTERN",
    "Please check if the URL trying to access is a correct one",
  ),
  invalidRequestMethod: zohoError(
    "INVALID_REQUEST_METHOD",
    "The http request method type is not a valid one",
  ),
  internalError: zohoError("INTERNAL_ERROR", "An unexpected error occurred."),
  /**
   * A channel that expired or never existed (PUT, PATCH, `_delete_events`, DELETE). Zoho's details are
   * empty: the entry's position is the only link to the item or id it answers.
   */
  notSubscribed: zohoError("NOT_SUBSCRIBED", "the given channel is not subscribed"),
} as const;

/** The codes Zoho's 429 bodies carry: the reference's pages say TOO_MANY_REQUESTS, the v8 OpenAPI RATE_LIMIT_EXCEEDED. */
export const RATE_LIMIT_CODES = ["TOO_MANY_REQUESTS", "RATE_LIMIT_EXCEEDED"] as const;
export type RateLimitCode = (typeof RATE_LIMIT_CODES)[number];

/**
 * The body of a 429. `TOO_MANY_REQUESTS` is the one the reference quotes; `RATE_LIMIT_EXCEEDED` copies
 * Zoho's v8 OpenAPI example word for word, which has no `details` key at all.
 */
export function rateLimitBody(code: RateLimitCode): object {
  return code === "TOO_MANY_REQUESTS"
    ? zohoError("TOO_MANY_REQUESTS", "too many requests. please try again after some time")
    : { code: "RATE_LIMIT_EXCEEDED", message: "Too many requests. Please try again later.", status: "error" };
}

/** JSON path of a key inside item `index` of the `watch` array, e.g. `$.watch[0].events[1]`. */
export function itemJsonPath(index: number, path: readonly PropertyKey[] = []): string {
  return (
    `$.watch[${index}]` +
    path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("")
  );
}
