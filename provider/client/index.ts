/**
 * The Zoho CRM watch API client: `ZohoWatchClient` and everything its signatures mention.
 *
 * Pipeline, one module per step: client.ts (verbs, validation, batching) → executor.ts (deadline,
 * token, limiter, retries) → pipeline.ts (send, classify, retryable failure; shared with oauth.ts)
 * → http.ts (undici); oauth.ts (tokens) and data-centres.ts (where) beside it; rules.ts holds
 * Zoho's versions and limits; answers.ts reads Zoho's entries; errors.ts and redact.ts keep
 * failures typed and secret-free.
 */
export { ZohoWatchClient } from "./client";
export type { CallOptions, WatchChannel, ZohoTimeouts, ZohoWatchClientOptions } from "./client";
export { requireSuccess } from "./answers";
export type { WatchFailure, WatchOutcome, WatchSuccess } from "./answers";
export {
  isAlreadyGone,
  isZohoError,
  ZohoApiError,
  ZohoAuthError,
  ZohoClosedError,
  ZohoError,
  ZohoExpiryMismatchError,
  ZohoNetworkError,
  ZohoNotFoundError,
  ZohoRateLimitError,
  ZohoTimeoutError,
  ZohoUnexpectedAnswerError,
  ZohoValidationError,
} from "../zoho/errors";
export type {
  ExpiryMismatchDirection,
  ZohoCredential,
  ZohoErrorCode,
  ZohoOperation,
  ZohoTimeoutKind,
} from "../zoho/errors";
export { checkAnsweredExpiry, expiryBeyondMaximum, expiryMismatch } from "./expiry";
export type { ExpiryCheckContext } from "./expiry";
export {
  DEFAULT_EXPIRY_TOLERANCE_MS,
  parseClientOptions,
  systemClock,
  ZohoWatchClientOptionsSchema,
} from "./options";
export type { ValidClientOptions } from "./options";
export {
  apiDomainFor,
  DATA_CENTRE_NAMES,
  DATA_CENTRES,
  parseDataCentre,
  resolveEndpoints,
} from "../zoho/data-centres";
export type {
  DataCentre,
  DataCentreEndpoints,
  EndpointOptions,
  ResolvedEndpoints,
  ZohoEnvironment,
} from "../zoho/data-centres";
export type { ZohoCredentials } from "./oauth";
export { DEFAULT_RETRY } from "./retry";
export type { RetryOptions, RetryTimer } from "./retry";
export { OPERATIONS } from "../zoho/operations";
export type { OperationSpec } from "../zoho/operations";
export { redactUrl, Redactor, REDACTED } from "./redact";
export { formatExpiry, parseExpiry } from "../zoho/dates";
export type { ExpiryInput } from "../zoho/dates";
export {
  API_NAME_PATTERN,
  API_VERSIONS,
  DEFAULT_API_VERSION,
  defaultNotifyOnRelatedAction,
  EVENT_OPERATIONS,
  EVENT_PATTERN,
  FALLBACK_CHANNEL_LIFETIME,
  FEATURE_SINCE,
  isApiVersion,
  isAtLeast,
  LIMITS,
  maxExpiresIn,
  rulesFor,
  STANDARD_MODULES,
  supports,
  unsupportedReason,
} from "../zoho/rules";
export type { ApiVersion, EventOperation, StandardModule, VersionFeature, VersionRules } from "../zoho/rules";
export {
  ChannelIdSchema,
  DisableEventsItemSchema,
  EnableItemSchema,
  EventListSchema,
  EventSchema,
  ListFilterSchema,
  NotificationConditionSchema,
  PatchItemSchema,
  UpdateItemSchema,
} from "../zoho/schemas";
export type {
  ApiNameRef,
  ChannelIdLike,
  DisableEventsItem,
  EnableItem,
  FieldSelectionNode,
  ListFilter,
  NotificationCondition,
  PatchItem,
  UpdateItem,
  WatchResource,
  WatchSubscription,
  WireWatchItem,
  ZohoOrg,
} from "../zoho/schemas";
