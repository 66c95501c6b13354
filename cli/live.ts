/**
 * The org's live channels as the CLI reads them: the client's listing (every page, each channel's
 * rows merged), with conditions stripped of the nulls Zoho pads them with.
 */
import type { DateTime } from "luxon";
import type { ZohoWatchClient } from "../provider/zoho";
import type { NotificationCondition } from "../provider/zoho";

/** A channel as Zoho lists it, its modules merged. Holds the token and URL: never print them whole. */
export interface LiveChannel {
  channelId: string;
  /** All events across modules, in Zoho's order. */
  events: string[];
  channelExpiry: DateTime;
  notifyUrl: string;
  token: string | null;
  notifyOnRelatedAction: boolean | undefined;
  returnAffectedFieldValues: boolean | undefined;
  notificationCondition: NotificationCondition[] | null;
}

/** Lists every live channel (all pages, one listing), in Zoho's order. */
export async function listLiveChannels(client: ZohoWatchClient): Promise<LiveChannel[]> {
  return [...(await client.channels()).values()].map((channel) => ({
    channelId: channel.channelId,
    events: channel.events,
    channelExpiry: channel.channelExpiry,
    notifyUrl: channel.notifyUrl,
    token: channel.token,
    notifyOnRelatedAction: channel.notifyOnRelatedAction,
    returnAffectedFieldValues: channel.returnAffectedFieldValues,
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

/** The host (and port) of a notify URL: never the path, query or user info, which may hold credentials. */
export function notifyHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(unreadable URL)";
  }
}

/** True when a URL's user info or query string may carry credentials (as the provider judges it). */
export function urlHoldsCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== "" || parsed.password !== "" || parsed.search !== "";
  } catch {
    return true;
  }
}
