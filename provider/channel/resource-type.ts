/**
 * The WatchChannel's type tokens, one per door: how state, policy packs and the CLI recognise a
 * channel. Its own file, importing nothing, so the CLI's state reader and the policy pack can name
 * them without loading a Pulumi door or the model's validation.
 */

/** The dynamic resource's type token (`WatchChannel` from `pulumi-zoho-watch`). */
export const WATCH_CHANNEL_TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";

/** The provider plugin's package name: its binary is `pulumi-resource-zoho-watch`. */
export const PLUGIN_PACKAGE = "zoho-watch";

/** The provider plugin's type token (`zoho-watch:WatchChannel` in YAML). */
export const PLUGIN_WATCH_CHANNEL_TYPE = `${PLUGIN_PACKAGE}:index:WatchChannel`;

/** Every type a watch channel has in state, whichever door declared it. */
export const WATCH_CHANNEL_TYPES: readonly string[] = [WATCH_CHANNEL_TYPE, PLUGIN_WATCH_CHANNEL_TYPE];
