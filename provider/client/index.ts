/**
 * The Zoho CRM watch API client: `ZohoWatchClient` and everything its signatures mention.
 *
 * Pipeline, one module per step: client.ts (verbs, validation, batching) → executor.ts (deadline,
 * token, limiter, retries) → pipeline.ts (send, classify, retryable failure; shared with oauth.ts)
 * → http.ts (undici); oauth.ts (tokens) beside it; answers.ts reads Zoho's entries; redact.ts keeps
 * failures secret-free. Zoho's facts (versions, limits, data centres, error classes) are ../zoho/'s.
 */
export { ZohoWatchClient } from "./client";
export type { CallOptions, WatchChannel, ZohoTimeouts, ZohoWatchClientOptions } from "./client";
export { requireSuccess } from "./answers";
export type { WatchFailure, WatchOutcome, WatchSuccess } from "./answers";
export { checkAnsweredExpiry, expiryBeyondMaximum, expiryMismatch } from "./expiry";
export type { ExpiryCheckContext } from "./expiry";
export {
  DEFAULT_EXPIRY_TOLERANCE_MS,
  parseClientOptions,
  systemClock,
  ZohoWatchClientOptionsSchema,
} from "./options";
export type { ValidClientOptions } from "./options";
export type { ZohoCredentials } from "./oauth";
export { DEFAULT_RETRY } from "./retry";
export type { RetryOptions, RetryTimer } from "./retry";
export { redactUrl, Redactor, REDACTED } from "./redact";

// Zoho's facts the client's signatures mention (errors, data centres, rules, schemas), as zoho/
// declares them: listed there once, not here again.
export * from "../zoho/errors";
export * from "../zoho/data-centres";
export * from "../zoho/operations";
export * from "../zoho/dates";
export * from "../zoho/rules";
export * from "../zoho/schemas";
