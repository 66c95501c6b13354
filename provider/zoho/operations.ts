/**
 * The client's operations and whether each may be retried.
 *
 * A retry is only safe when sending the request twice leaves Zoho in the same state as sending it
 * once. That matters for 5xx answers (Zoho may have applied the request before failing) and even
 * more for network errors after the request left (a "lost response": it may have been applied and
 * only the answer is missing). 429 is different: Zoho refuses the call before doing anything, so
 * it is safe to retry for every operation, like a refused connection.
 */
import type { ZohoOperation } from "./errors";

/** How one operation is sent and whether repeating it is harmless. */
export interface OperationSpec {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Where below `{api_domain}/crm/{version}/` it is sent (the token's URL is the accounts server's). */
  readonly path: "actions/watch" | "org";
  /**
   * True when a repeat after a 5xx or a lost response cannot change the outcome, so those are
   * retried. When false, only failures that prove nothing was applied (429, refused connect) are.
   */
  readonly idempotent: boolean;
  /** Why, for readers of this table. */
  readonly reasoning: string;
}

/** The retry decision per operation. */
export const OPERATIONS: Readonly<Record<ZohoOperation, OperationSpec>> = {
  token: {
    method: "POST",
    path: "actions/watch",
    idempotent: true,
    reasoning:
      "A refresh grant only mints an access token; a repeat after a lost response leaves one orphan " +
      "token that expires within the hour (Zoho allows ~10 live tokens per refresh token). Attempts " +
      "are bounded, and the throttle answer itself is never retried, since retrying extends the throttle.",
  },
  org: {
    method: "GET",
    path: "org",
    idempotent: true,
    reasoning: "A read of the org the access token acts in (Zoho's Organization API).",
  },
  enable: {
    method: "POST",
    path: "actions/watch",
    idempotent: true,
    reasoning:
      "Enable is keyed by the caller-chosen channel_id: an existing channel_id is re-subscribed " +
      "(events merged, expiry reset), never duplicated. Sending the same items twice yields the same " +
      "channel, events and expiry.",
  },
  list: {
    method: "GET",
    path: "actions/watch",
    idempotent: true,
    reasoning: "A read.",
  },
  update: {
    method: "PUT",
    path: "actions/watch",
    idempotent: true,
    reasoning:
      "PUT replaces every detail with the given ones; applying the same replacement twice is a no-op.",
  },
  patch: {
    method: "PATCH",
    path: "actions/watch",
    idempotent: true,
    reasoning:
      "This client's PATCH always carries events and token (the type and the schema require them), so " +
      "it sets the same values on every attempt: setting a value that is already set changes nothing.",
  },
  disableEvents: {
    method: "PATCH",
    path: "actions/watch",
    idempotent: true,
    reasoning:
      "Removing events is idempotent in effect. If the first attempt was applied and its answer lost, " +
      "the repeat answers an error entry for events or channels already gone; those map to " +
      "ZOHO_NOT_FOUND, which callers treat as done (isAlreadyGone).",
  },
  disable: {
    method: "DELETE",
    path: "actions/watch",
    idempotent: true,
    reasoning:
      "Deleting a channel twice leaves it deleted. A repeat after a lost response answers an error " +
      "entry for a channel that is already gone (ZOHO_NOT_FOUND), which callers treat as done.",
  },
};
