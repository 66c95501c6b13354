/**
 * The WatchChannel's type token: how state, policy packs and the CLI recognise a channel. Its own
 * file, importing nothing, so the CLI's state reader and the policy pack can name it without
 * loading the Pulumi door or the model's validation.
 */

/** A resource's type token in state and in policy packs. */
export const WATCH_CHANNEL_TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
