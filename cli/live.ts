/**
 * The org's live channels: every page of the watch API's GET, one row per channel × module merged
 * into one channel each.
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

/** Lists every live channel (all pages), in Zoho's order. */
export async function listLiveChannels(client: ZohoWatchClient): Promise<LiveChannel[]> {
  const byId = new Map<string, LiveChannel>();
  for (const row of await client.list()) {
    const known = byId.get(row.channelId);
    if (!known) {
      byId.set(row.channelId, {
        channelId: row.channelId,
        events: [...row.events],
        channelExpiry: row.channelExpiry,
        notifyUrl: row.notifyUrl,
        token: row.token,
        notifyOnRelatedAction: row.notifyOnRelatedAction,
        returnAffectedFieldValues: row.returnAffectedFieldValues,
        notificationCondition: row.notificationCondition?.map(withoutNulls) ?? null,
      });
      continue;
    }
    for (const event of row.events) if (!known.events.includes(event)) known.events.push(event);
    // Rows of one channel share its details; a different condition per module is kept whole.
    for (const condition of (row.notificationCondition ?? []).map(withoutNulls)) {
      known.notificationCondition ??= [];
      if (!known.notificationCondition.some((c) => c.module.apiName === condition.module.apiName)) {
        known.notificationCondition.push(condition);
      }
    }
  }
  return [...byId.values()];
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
