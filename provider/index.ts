/**
 * pulumi-zoho-watch: Zoho CRM watch channels declared in Pulumi programs.
 *
 * Layout, in the order a request flows: resource/ (the WatchChannel resource: inputs and check,
 * diff, lifecycle) → zoho/ (the API client: auth, HTTP, retries) → Zoho. The emulator that stands in
 * for Zoho lives in emulator/ and is exported as `pulumi-zoho-watch/emulator`.
 */
// First: a clear error on a Node.js too old for the dependencies, before any of them loads.
import "./node-version";
export { WatchChannel, WATCH_CHANNEL_TYPE, urlHoldsCredentials } from "./resource/watch-channel";
export type { WatchChannelArgs } from "./resource/watch-channel";
export type { SubscribedModule, WatchChannelOutputs } from "./resource/diff";
export type { WatchChannelInputs } from "./resource/inputs";
export { deriveChannelId } from "./resource/channel-id";
// The receiving end (also `pulumi-zoho-watch/receiver`, which loads without @pulumi/pulumi).
export { createNotificationVerifier, verifyNotification } from "./receiver/verify-notification";
export type {
  AffectedFields,
  AffectedValues,
  ExpectedChannel,
  NotificationOperation,
  NotificationRejection,
  NotificationVerifier,
  RejectionCode,
  VerificationResult,
  ZohoNotification,
} from "./receiver/verify-notification";
export { watchChannelProvider } from "./resource/provider";
export { CONFIG_NAMESPACE, DEFAULT_API_VERSION, SETTINGS, readSettings } from "./resource/settings";
export type { ConnectionSettings } from "./resource/settings";
export { CLOCK_OFFSET_ENV, maxExpiresIn } from "./resource/expiry";
// The client, for programs and scripts that call the watch API directly. Its `WatchChannel` type
// (a live channel) is exported as `LiveWatchChannel` so it cannot be confused with the resource.
export * from "./zoho";
export type { WatchChannel as LiveWatchChannel } from "./zoho";
