/**
 * `diff`: what a change to a WatchChannel means. Pure: it reads the stored outputs, the new inputs
 * and the clock, and calls no API, so `pulumi preview` costs Zoho nothing.
 *
 *  - a new channel id is a different channel, and a new connection possibly another org → replace;
 *  - a renewal due by the renewal policy (renewal.ts: the stored expiry is unreadable, past, or
 *    inside `renewBefore`) → replace, reported under `channelExpiry` so the preview says why. Zoho has no "extend" call that keeps the token safe
 *    other than a full re-subscription, and a replacement is what makes the renewal visible;
 *  - anything else Zoho stores (events, URL, token, options, API version) → update in place.
 */
import type { DateTime } from "luxon";
import { isDeepStrictEqual } from "node:util";
import { UNKNOWN, UPDATABLE_KEYS, type WatchChannelInputs } from "./inputs";
import { sameEvents } from "./modules";
import { renewalDue, renewalWindow } from "./renewal";
import type { ApiVersion } from "../zoho/rules";
import { defaultNotifyOnRelatedAction, isApiVersion } from "../zoho/rules";

/** One subscribed module as Zoho reported it. */
export interface SubscribedModule {
  module: string;
  resourceId: string;
  resourceUri: string;
  resourceName: string;
}

/** What create/update store: the inputs plus what Zoho answered. */
export interface WatchChannelOutputs extends WatchChannelInputs {
  /** The live expiry exactly as Zoho returned it (org offset included). */
  channelExpiry: string;
  /** The API version the channel was last written with. */
  apiVersion: ApiVersion;
  modules: SubscribedModule[];
}

/** The result in the dynamic provider's shape. */
export interface ChannelDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: false;
  /** Human-readable reasons, one per changed property (for logs and tests). */
  reasons: Record<string, string>;
}

/** Compares stored outputs with checked new inputs at time `at` for the configured API version. */
export function diffChannel(
  olds: WatchChannelOutputs,
  news: Record<string, unknown>,
  apiVersion: ApiVersion,
  at: DateTime,
): ChannelDiff {
  const reasons: Record<string, string> = {};
  const replaces: string[] = [];

  if (news.channelId !== olds.channelId) {
    replaces.push("channelId");
    reasons.channelId =
      news.channelId === UNKNOWN
        ? "the channel id is not known yet"
        : `channel id ${olds.channelId} → ${String(news.channelId)}`;
  }

  if ((news.connection ?? undefined) !== (olds.connection ?? undefined)) {
    // Another connection may be another org: subscribe there first, then disable the old one.
    replaces.push("connection");
    reasons.connection =
      news.connection === UNKNOWN
        ? "the connection is not known yet"
        : `connection ${olds.connection ?? "(unnamed)"} → ${typeof news.connection === "string" ? news.connection : "(unnamed)"}`;
  }

  const due = renewalDue(olds.channelExpiry, renewalWindow(olds.renewBefore, news.renewBefore), at);
  if (due) {
    replaces.push("channelExpiry");
    reasons.channelExpiry = `renewal due: ${due.reason}`;
  }

  for (const key of UPDATABLE_KEYS) {
    const old = key === "notifyOnRelatedAction" ? storedNotifyOnRelatedAction(olds) : olds[key];
    if (!sameValue(key, old, news[key])) {
      reasons[key] = key === "token" ? "the verification token changed" : `${key} changed`;
    }
  }
  if (olds.apiVersion !== apiVersion) {
    reasons.apiVersion = `API version ${olds.apiVersion} → ${apiVersion}`;
  }

  return { changes: Object.keys(reasons).length > 0, replaces, deleteBeforeReplace: false, reasons };
}

/**
 * The `notify_on_related_action` the stored channel has. State written before the flag was sent on
 * every write lacks it when the program left it out: that channel got Zoho's default for the version
 * it was written with, the same value `check` now fills in, so such state shows no diff.
 */
export function storedNotifyOnRelatedAction(olds: WatchChannelOutputs): boolean | undefined {
  if (olds.notifyOnRelatedAction !== undefined) return olds.notifyOnRelatedAction;
  return isApiVersion(olds.apiVersion) ? defaultNotifyOnRelatedAction(olds.apiVersion) : undefined;
}

function sameValue(key: (typeof UPDATABLE_KEYS)[number], old: unknown, next: unknown): boolean {
  if (next === UNKNOWN) return false;
  if (key === "events" && Array.isArray(old) && Array.isArray(next)) {
    // Order does not matter, and "Deals.all" means the same as its three operations.
    return sameEvents(old as string[], next as string[]);
  }
  return isDeepStrictEqual(old ?? null, next ?? null);
}
