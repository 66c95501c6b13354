/**
 * pulumi-zoho-watch: Zoho CRM watch channels declared in Pulumi programs.
 *
 * Layout, in the order a request flows (README.md beside this file): pulumi/dynamic/ (the
 * WatchChannel resource's door) → engine/ (the lifecycle over a per-process runtime) → channel/ (the
 * model: inputs and check, diff, the renewal policy) → client/ (the API client: auth, HTTP, retries)
 * over zoho/ (Zoho's facts) → Zoho. The emulator that stands in for Zoho lives in emulator/ and is exported as
 * `pulumi-zoho-watch/emulator`; the receiving end also as `pulumi-zoho-watch/receiver`.
 *
 * This entry is the public surface, named one by one: what a program, a receiver or a script uses.
 * Everything else is internal and may change between releases.
 */

// First: a clear error on a Node.js too old for the dependencies, before any of them loads.
import "./node-version";

// The resource.
export { WatchChannel, WATCH_CHANNEL_TYPE } from "./pulumi/dynamic/watch-channel";
export type { WatchChannelArgs } from "./pulumi/dynamic/watch-channel";
export type { SubscribedModule, WatchChannelOutputs } from "./channel/diff";
export type { WatchChannelInputs } from "./channel/inputs";
export { deriveChannelId } from "./channel/channel-id";
export type { ResourceIdentity } from "./channel/channel-id";

// Its settings: the `zoho-watch:*` config keys and the `ZOHO_*` variables behind them.
export { API_VERSIONS, CONFIG_NAMESPACE, DEFAULT_API_VERSION, SETTING_NAMES } from "./engine/settings";
export type { ApiVersion, SettingName } from "./engine/settings";

// The receiving end (also `pulumi-zoho-watch/receiver`, which loads without @pulumi/pulumi). Its
// values load on first use, like the client's (see the end of this file).
export type {
  AffectedFields,
  DurationLike,
  VerifierOptions,
  AffectedValues,
  ExpectedChannel,
  NotificationOperation,
  NotificationRejection,
  NotificationVerifier,
  RejectionCode,
  VerificationResult,
  ZohoNotification,
} from "./receiver/verify-notification";

// The client, for programs and scripts that call the watch API directly. Its `WatchChannel` type
// (a live channel) is exported as `LiveWatchChannel` so it cannot be confused with the resource.
export type {
  CallOptions,
  WatchChannel as LiveWatchChannel,
  ZohoTimeouts,
  ZohoWatchClientOptions,
} from "./client/client";
export type { WatchFailure, WatchOutcome, WatchSuccess } from "./client/answers";
export type { ZohoCredentials } from "./client/oauth";
export type { RetryOptions, RetryTimer } from "./client/retry";
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
} from "./zoho/errors";
export { LIMITS, maxExpiresIn } from "./zoho/rules";
export type { ZohoCredential, ZohoErrorCode, ZohoOperation, ZohoTimeoutKind } from "./zoho/errors";
export { DATA_CENTRE_NAMES, resolveEndpoints } from "./zoho/data-centres";
export type { DataCentre, EndpointOptions, ResolvedEndpoints, ZohoEnvironment } from "./zoho/data-centres";
export type {
  EnableItem,
  FieldSelectionNode,
  ListFilter,
  NotificationCondition,
  PatchItem,
  UpdateItem,
  WatchResource,
  WatchSubscription,
} from "./zoho/schemas";

// Loaded on first use: the client and the receiver need undici and zod, which a program that only
// declares WatchChannels never calls, and loading them is about 80 ms of the program's start
// (measured; BENCHMARKS.md). Each getter is written out in the form Node's ES-module import of a
// CommonJS module recognizes (`import { ZohoWatchClient } from "pulumi-zoho-watch"` works).
import type * as ClientModule from "./client/client";
import type * as ReceiverModule from "./receiver/verify-notification";

const lazyClient = lazyModule<typeof ClientModule>(() => require("./client/client") as typeof ClientModule);
const lazyReceiver = lazyModule<typeof ReceiverModule>(
  () => require("./receiver/verify-notification") as typeof ReceiverModule,
);

export type ZohoWatchClient = ClientModule.ZohoWatchClient;
export declare const ZohoWatchClient: typeof ClientModule.ZohoWatchClient;
export declare const createNotificationVerifier: typeof ReceiverModule.createNotificationVerifier;
export declare const verifyNotification: typeof ReceiverModule.verifyNotification;
export declare const DEFAULT_CLOCK_SKEW_MS: typeof ReceiverModule.DEFAULT_CLOCK_SKEW_MS;
export declare const DEFAULT_MAX_BODY_BYTES: typeof ReceiverModule.DEFAULT_MAX_BODY_BYTES;

Object.defineProperty(exports, "ZohoWatchClient", {
  enumerable: true,
  get: function () {
    return lazyClient.ZohoWatchClient;
  },
});
Object.defineProperty(exports, "createNotificationVerifier", {
  enumerable: true,
  get: function () {
    return lazyReceiver.createNotificationVerifier;
  },
});
Object.defineProperty(exports, "verifyNotification", {
  enumerable: true,
  get: function () {
    return lazyReceiver.verifyNotification;
  },
});
Object.defineProperty(exports, "DEFAULT_CLOCK_SKEW_MS", {
  enumerable: true,
  get: function () {
    return lazyReceiver.DEFAULT_CLOCK_SKEW_MS;
  },
});
Object.defineProperty(exports, "DEFAULT_MAX_BODY_BYTES", {
  enumerable: true,
  get: function () {
    return lazyReceiver.DEFAULT_MAX_BODY_BYTES;
  },
});

/** A stand-in for a module, which requires it the first time one of its exports is read. */
function lazyModule<M extends object>(load: () => M): M {
  return new Proxy({} as M, { get: (_target, name) => load()[name as keyof M] });
}
