import * as z from "zod";
import { rulesFor, type ApiVersion, type VersionRules } from "../shared/api-versions";
import type { Clock } from "../shared/clock";
import type { Operation } from "../shared/operations";
import { eventsOfModule, mergeEvents, modulesOf, removeEvents } from "../shared/events";
import { defaultExpiry, formatInZone } from "./expiry";
import { json, type HttpAnswer } from "../shared/http-io";
import type { RequestBody } from "./json-body";
import { MAX_MODULE_NAME_LENGTH, type ModuleCatalog } from "../shared/modules";
import type { Channel, ChannelStore } from "../shared/store";
import { normalizeChannelId, validateWatchItem, type ItemKind, type WatchItem } from "./watch-items";
import {
  ZOHO_BODIES,
  invalidData,
  itemJsonPath,
  mandatoryNotFound,
  zohoError,
  type ZohoError,
} from "./errors";

/**
 * The six operations of `/crm/{version}/actions/watch`, after authentication: request in, Zoho-shaped
 * answer out. Every write answers one entry per item; the HTTP status summarises the entries (see
 * {@link batchStatus}).
 */

export type WatchOperation = Exclude<Operation, "token" | "org">;

/** Items in one POST/PUT/PATCH (`watch` maxItems in Zoho's v8 OpenAPI). */
export const MAX_ITEMS_PER_REQUEST = 50;
/** Rows per GET page; a larger `per_page` is lowered to it. */
export const MAX_PER_PAGE = 200;
/** Highest GET `page` Zoho documents; beyond it the emulator refuses rather than guess. */
export const MAX_PAGE = 100;
/** Characters in DELETE's `channel_ids` (Zoho's v8 OpenAPI): about 25 ids of 19 digits. */
export const MAX_CHANNEL_IDS_LENGTH = 512;
/** Characters in GET's `channel_id` (Zoho's v8 OpenAPI); an id is a Java long anyway, at most 19 digits. */
export const MAX_CHANNEL_ID_PARAM_LENGTH = 64;

const MESSAGES = {
  subscribed: "Successfully subscribed for actions-watch of the given module",
  updated: "Successfully updated the subscribe details",
  removed: "Successfully removed the subscribe details",
  unsubscribed: "Successfully un-subscribed from actions-watch",
} as const;

interface SuccessEntry {
  readonly code: "SUCCESS";
  readonly details: Record<string, unknown>;
  readonly message: string;
  readonly status: "success";
}

type Entry = SuccessEntry | ZohoError;

/** 2xx when every entry succeeded, 207 when some did, the version's all-error status (202 or 400) when none did. */
export function batchStatus(
  entries: readonly Entry[],
  successStatus: number,
  allErrorStatus: number,
): number {
  const succeeded = entries.filter((entry) => entry.status === "success").length;
  if (succeeded === entries.length) return successStatus;
  return succeeded === 0 ? allErrorStatus : 207;
}

const envelopeSchema = z.object({ watch: z.array(z.unknown()) });

/**
 * Error details of a query parameter. Zoho's description defines no key for a parameter's name
 * beside `api_name`, so that is where the name goes (no `json_path`: it is not in the body).
 */
const param = (name: string, extra: Record<string, unknown> = {}) => ({ api_name: name, ...extra });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a PATCH body asks to remove events (it then counts as the "disable some events" operation). */
export function isDeleteEventsBody(body: RequestBody): boolean {
  if (body.kind !== "json" || !isObject(body.value) || !Array.isArray(body.value.watch)) return false;
  return body.value.watch.some((item) => isObject(item) && item._delete_events === true);
}

export interface WatchApiOptions {
  readonly channels: ChannelStore;
  readonly clock: Clock;
  readonly catalog: ModuleCatalog;
  /** Zone of the emulated org: expiries are echoed in it. */
  readonly orgTimeZone: string;
}

export class WatchApi {
  constructor(private readonly options: WatchApiOptions) {}

  handle(
    operation: WatchOperation,
    version: ApiVersion,
    query: URLSearchParams,
    body: RequestBody,
  ): HttpAnswer {
    switch (operation) {
      case "list":
        return this.list(version, query);
      case "disable":
        return this.disable(version, query);
      case "enable":
        return this.write(version, body, 201, () => "enable");
      case "update":
        return this.write(version, body, 200, () => "replace");
      case "patch":
      case "disableEvents":
        return this.write(version, body, 200, (raw) =>
          isObject(raw) && raw._delete_events === true ? "deleteEvents" : "merge",
        );
    }
  }

  private write(
    version: ApiVersion,
    body: RequestBody,
    successStatus: number,
    kindOf: (raw: unknown) => ItemKind,
  ): HttpAnswer {
    const items = this.items(body);
    if (!Array.isArray(items)) return items;
    const rules = rulesFor(version);
    const now = this.options.clock.nowMs();
    const seen = new Set<string>();
    const entries = items.map((raw, index): Entry => {
      if (isObject(raw) && raw._delete_events !== undefined && typeof raw._delete_events !== "boolean") {
        return invalidData({
          api_name: "_delete_events",
          json_path: itemJsonPath(index, ["_delete_events"]),
          expected_data_type: "boolean",
        });
      }
      const kind = kindOf(raw);
      const validation = validateWatchItem(kind, raw, { rules, catalog: this.options.catalog, now, index });
      if (!validation.ok) return validation.error;
      const { item } = validation;
      // Two items for one channel in one request would make the result depend on their order.
      if (seen.has(item.channelId)) {
        return zohoError("AMBIGUITY_DURING_PROCESSING", "AMBIGUITY_DURING_PROCESSING", {
          api_name: "channel_id",
          json_path: itemJsonPath(index, ["channel_id"]),
        });
      }
      seen.add(item.channelId);
      return this.apply(kind, item, version, rules, now);
    });
    return json(batchStatus(entries, successStatus, rules.allErrorStatus), { watch: entries });
  }

  /** The `watch` array of a write, or the whole-request error. */
  private items(body: RequestBody): unknown[] | HttpAnswer {
    const value = body.kind === "empty" ? {} : body.kind === "json" ? body.value : undefined;
    if (!isObject(value)) {
      return json(
        400,
        invalidData({ expected_data_type: "jsonobject" }, "the request body is not a valid JSON object"),
      );
    }
    const at = { api_name: "watch", json_path: "$.watch" };
    const parsed = envelopeSchema.safeParse(value);
    if (!parsed.success) {
      const missing = value.watch === undefined || value.watch === null;
      return json(
        400,
        missing ? mandatoryNotFound(at) : invalidData({ ...at, expected_data_type: "jsonarray" }),
      );
    }
    // The body is `{"watch": [...]}` and nothing else (the description's additionalProperties: false).
    const unknownKey = Object.keys(value).find((key) => key !== "watch");
    if (unknownKey !== undefined) {
      return json(400, invalidData({ api_name: unknownKey, json_path: `$.${unknownKey}` }));
    }
    const items = parsed.data.watch;
    // An empty array is not refused: the description sets no minItems, and no sample or SDK of
    // Zoho's shows a refusal. It is answered like any batch: no entries, the success status.
    if (items.length > MAX_ITEMS_PER_REQUEST) {
      return json(400, invalidData({ ...at, maximum_length: MAX_ITEMS_PER_REQUEST }));
    }
    return items;
  }

  private apply(
    kind: ItemKind,
    item: WatchItem,
    version: ApiVersion,
    rules: VersionRules,
    now: number,
  ): Entry {
    const { channels } = this.options;
    const existing = channels.live(item.channelId, now);
    if (kind === "enable") {
      // POST on a live channel is an upsert: events merged, expiry reset, given keys overwrite.
      const expiresAt = item.expiresAt ?? defaultExpiry(now);
      const channel = existing
        ? { ...this.merged(existing, item, now), expiresAt }
        : this.created(item, expiresAt, rules, now);
      channels.save(channel, now);
      return this.success(MESSAGES.subscribed, channel, modulesOf(item.events), version);
    }
    if (!existing) {
      return ZOHO_BODIES.notSubscribed;
    }
    if (kind === "replace") {
      const channel = {
        ...this.created(item, item.expiresAt ?? defaultExpiry(now), rules, now),
        createdAt: existing.createdAt,
      };
      channels.save(channel, now);
      return this.success(MESSAGES.subscribed, channel, modulesOf(item.events), version);
    }
    if (kind === "merge") {
      // The token trap: a PATCH that does not repeat the token clears it.
      const channel: Channel = { ...this.merged(existing, item, now), token: item.token ?? null };
      channels.save(channel, now);
      return this.success(MESSAGES.updated, channel, modulesOf(item.events), version);
    }
    const remaining = removeEvents(existing.events, item.events);
    const remainingModules = modulesOf(remaining);
    const removedModules = modulesOf(item.events).filter((module) =>
      modulesOf(existing.events).includes(module),
    );
    if (remaining.length === 0) {
      channels.remove(existing.channelId, now);
    } else {
      channels.save(
        {
          ...existing,
          events: remaining,
          notificationCondition: keepConditions(existing, remainingModules),
          updatedAt: now,
        },
        now,
      );
    }
    return this.success(MESSAGES.removed, existing, removedModules, version);
  }

  private created(item: WatchItem, expiresAt: number, rules: VersionRules, now: number): Channel {
    return {
      channelId: item.channelId,
      events: item.events,
      notifyUrl: item.notifyUrl ?? "",
      token: item.token ?? null,
      expiresAt,
      notifyOnRelatedAction: item.notifyOnRelatedAction ?? rules.notifyOnRelatedActionDefault,
      returnAffectedFieldValues: item.returnAffectedFieldValues ?? false,
      notificationCondition: item.notificationCondition ?? null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Given keys overwrite, missing ones are kept, events are united. */
  private merged(existing: Channel, item: WatchItem, now: number): Channel {
    return {
      ...existing,
      events: mergeEvents(existing.events, item.events),
      notifyUrl: item.notifyUrl ?? existing.notifyUrl,
      token: item.token === undefined ? existing.token : item.token,
      expiresAt: item.expiresAt ?? existing.expiresAt,
      notifyOnRelatedAction: item.notifyOnRelatedAction ?? existing.notifyOnRelatedAction,
      returnAffectedFieldValues: item.returnAffectedFieldValues ?? existing.returnAffectedFieldValues,
      notificationCondition:
        item.notificationCondition === undefined
          ? existing.notificationCondition
          : item.notificationCondition,
      updatedAt: now,
    };
  }

  private success(
    message: string,
    channel: Channel,
    modules: readonly string[],
    version: ApiVersion,
  ): SuccessEntry {
    const { catalog, orgTimeZone } = this.options;
    return {
      code: "SUCCESS",
      details: {
        events: modules.map((module) => ({
          channel_expiry: formatInZone(channel.expiresAt, orgTimeZone),
          resource_uri: resourceUri(version, module),
          resource_id: catalog.idOf(module),
          resource_name: module,
          channel_id: channel.channelId,
        })),
      },
      message,
      status: "success",
    };
  }

  private list(version: ApiVersion, query: URLSearchParams): HttpAnswer {
    const { catalog, channels, clock, orgTimeZone } = this.options;
    const rawChannelId = query.get("channel_id");
    const channelId = rawChannelId === null ? undefined : normalizeChannelId(rawChannelId.trim());
    if (rawChannelId !== null && rawChannelId.length > MAX_CHANNEL_ID_PARAM_LENGTH) {
      return json(400, invalidData(param("channel_id", { maximum_length: MAX_CHANNEL_ID_PARAM_LENGTH })));
    }
    if (rawChannelId !== null && channelId === undefined)
      return json(400, invalidData({ ...param("channel_id"), expected_data_type: "long" }));
    const module = query.get("module");
    if (module !== null && module.length > MAX_MODULE_NAME_LENGTH) {
      return json(400, invalidData(param("module", { maximum_length: MAX_MODULE_NAME_LENGTH })));
    }
    // Zoho's code for a module name it does not know (in the description's error enum too).
    if (module !== null && !catalog.has(module)) {
      return json(
        400,
        zohoError("INVALID_MODULE", "the module name given seems to be invalid", param("module")),
      );
    }
    const page = pageParameter(query.get("page"), 1);
    if (page === undefined) return json(400, invalidData(param("page")));
    if (page > MAX_PAGE) return json(400, invalidData(param("page"), `page may be at most ${MAX_PAGE}`));
    const requestedPerPage = pageParameter(query.get("per_page"), MAX_PER_PAGE);
    if (requestedPerPage === undefined) return json(400, invalidData(param("per_page")));
    const perPage = Math.min(requestedPerPage, MAX_PER_PAGE);

    // One row per channel and module, as Zoho lists them.
    const rows = channels
      .liveChannels(clock.nowMs())
      .filter((channel) => channelId === undefined || channel.channelId === channelId)
      .flatMap((channel) =>
        modulesOf(channel.events)
          .filter((candidate) => module === null || candidate === module)
          .map((rowModule) => ({
            channel_id: channel.channelId,
            events: eventsOfModule(channel.events, rowModule),
            channel_expiry: formatInZone(channel.expiresAt, orgTimeZone),
            notify_url: channel.notifyUrl,
            token: channel.token,
            resource_uri: resourceUri(version, rowModule),
            resource_id: catalog.idOf(rowModule),
            resource_name: rowModule,
            notify_on_related_action: channel.notifyOnRelatedAction,
            return_affected_field_values: channel.returnAffectedFieldValues,
            notification_condition: keepConditions(channel, [rowModule]),
            fields: null,
          })),
      );
    const pageRows = rows.slice((page - 1) * perPage, page * perPage);
    if (pageRows.length === 0) return { status: 204 };
    return json(200, {
      watch: pageRows,
      info: { per_page: perPage, count: pageRows.length, page, more_records: page * perPage < rows.length },
    });
  }

  private disable(version: ApiVersion, query: URLSearchParams): HttpAnswer {
    const { catalog, channels, clock } = this.options;
    const channelIds = query.get("channel_ids") ?? "";
    if (channelIds.length > MAX_CHANNEL_IDS_LENGTH) {
      return json(
        400,
        invalidData(
          param("channel_ids", { maximum_length: MAX_CHANNEL_IDS_LENGTH }),
          `channel_ids may have at most ${MAX_CHANNEL_IDS_LENGTH} characters; disable the channels with several requests`,
        ),
      );
    }
    const requested = channelIds
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== "");
    if (requested.length === 0) {
      return json(
        400,
        zohoError("REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", param("channel_ids")),
      );
    }
    const now = clock.nowMs();
    const done = new Set<string>();
    const entries = requested.flatMap((raw): Entry[] => {
      const channelId = normalizeChannelId(raw);
      if (channelId === undefined)
        return [invalidData({ ...param("channel_ids"), expected_data_type: "long" })];
      if (done.has(channelId)) return [];
      done.add(channelId);
      const channel = channels.live(channelId, now);
      if (!channel) {
        return [ZOHO_BODIES.notSubscribed];
      }
      channels.remove(channelId, now);
      return modulesOf(channel.events).map((module) => ({
        code: "SUCCESS",
        details: {
          resource_uri: resourceUri(version, module),
          resource_id: catalog.idOf(module),
          channel_id: channelId,
        },
        message: MESSAGES.unsubscribed,
        status: "success",
      }));
    });
    return json(batchStatus(entries, 200, rulesFor(version).allErrorStatus), { watch: entries });
  }
}

/** `resource_uri` as Zoho answers it: up to v7 it says /crm/v2/ whatever the request's version. */
function resourceUri(version: ApiVersion, module: string): string {
  return `https://www.zohoapis.com/crm/${rulesFor(version).resourceUriVersion}/${module}`;
}

function keepConditions(channel: Channel, modules: readonly string[]): Channel["notificationCondition"] {
  const kept = channel.notificationCondition?.filter((condition) =>
    modules.includes(condition.module.api_name),
  );
  return kept && kept.length > 0 ? kept : null;
}

/** A positive integer query parameter; `undefined` when given but not one. */
function pageParameter(raw: string | null, fallback: number): number | undefined {
  if (raw === null) return fallback;
  return /^\d{1,9}$/.test(raw.trim()) && Number(raw) >= 1 ? Number(raw) : undefined;
}
