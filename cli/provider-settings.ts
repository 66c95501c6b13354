/**
 * The one door from the CLI into the provider's settings code (and the helpers it shares with the
 * provider: the clock offset, the event comparison, and what may be shown of a notify URL).
 *
 * `zoho-watch` reads credentials and endpoints exactly as the provider does (same `ZOHO_*`
 * variables, same defaults, same error messages). Everything it needs from provider/engine comes
 * through this module, so when that code moves or a name changes, this file is the only fix.
 */
export {
  clientOptions,
  CONFIG_NAMESPACE,
  readSettings,
  SETTINGS,
  SettingsError,
  type ConfigSource,
  type ConnectionSettings,
} from "../provider/engine/settings";
export { offsetClock } from "../provider/channel/expiry";
export { expandEvents, sameEvents } from "../provider/channel/modules";
export { notifyHost, urlHoldsCredentials } from "../provider/channel/notify-url";
