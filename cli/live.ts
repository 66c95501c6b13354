/**
 * The org's live channels as the CLI reads them: the client's listing (every page, each channel's
 * rows merged), with conditions stripped of the nulls Zoho pads them with.
 */
import type { WatchChannel, ZohoWatchClient } from "../provider/client";

/**
 * A channel as Zoho lists it, its modules merged (the client's channel without its per-module rows).
 * Holds the token and URL: never print them whole.
 */
export type LiveChannel = Omit<WatchChannel, "subscriptions">;

/** Lists every live channel (all pages, one listing), in Zoho's order. */
export async function listLiveChannels(client: ZohoWatchClient): Promise<LiveChannel[]> {
  return [...(await client.channels()).values()].map(({ subscriptions: _rows, ...channel }) => ({
    ...channel,
    notificationCondition: channel.notificationCondition?.map(withoutNulls) ?? null,
  }));
}

/**
 * A condition without the null keys Zoho's GET pads it with (`"group_operator": null` next to a
 * `field`), so it reads, and validates, as the condition a program would declare.
 */
function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => inner !== null && inner !== undefined)
        .map(([key, inner]) => [key, withoutNulls(inner)]),
    ) as T;
  }
  return value;
}

export { notifyHost, urlHoldsCredentials } from "./provider-settings";
