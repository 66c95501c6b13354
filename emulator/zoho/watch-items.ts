import * as z from "zod";
import type { VersionRules } from "../shared/api-versions";
import { canonicalEvents, modulesOf, parseEvent } from "../shared/events";
import { resolveChannelExpiry } from "./expiry";
import type { ModuleCatalog } from "../shared/modules";
import { validateNotificationConditions, type NotificationCondition } from "./notification-condition";
import { invalidData, itemJsonPath, mandatoryNotFound, type ZohoError } from "./errors";

/**
 * Validation of one item of a write's `watch[]` array, at the edge: zod checks presence, types and
 * lengths; the checks after it give meaning (id range, known modules, URL, expiry rules, conditions).
 * The first problem becomes the item's Zoho error entry, with `api_name` and `json_path`.
 */

/** What the item is for: POST, PUT, PATCH, or PATCH with `_delete_events: true`. */
export type ItemKind = "enable" | "replace" | "merge" | "deleteEvents";

/** A valid item. Optional members are `undefined` when the request did not give the key. */
export interface WatchItem {
  readonly channelId: string;
  /** Canonical events (see shared/events.ts). */
  readonly events: readonly string[];
  readonly notifyUrl?: string;
  /** `null` when given as null. */
  readonly token?: string | null;
  /** Already resolved: a too-distant expiry has become now + 1 h. */
  readonly expiresAt?: number;
  readonly notifyOnRelatedAction?: boolean;
  readonly returnAffectedFieldValues?: boolean;
  readonly notificationCondition?: readonly NotificationCondition[] | null;
}

export interface ItemContext {
  readonly rules: VersionRules;
  readonly catalog: ModuleCatalog;
  readonly now: number;
  /** Position in `watch[]`. */
  readonly index: number;
}

export type ItemValidation =
  { readonly ok: true; readonly item: WatchItem } | { readonly ok: false; readonly error: ZohoError };

/**
 * Limits of one item. Zoho's OpenAPI description of v8 states them (`maxItems`, `maxLength`); where
 * it contradicts Zoho's documented behaviour the documented figure wins (token: 50, not 256; see
 * README "Where Zoho's OpenAPI description and Zoho disagree"). They hold for every version: no
 * older page allows more.
 */
export const MAX_TOKEN_LENGTH = 50;
export const MAX_NOTIFY_URL_LENGTH = 255;
export const MAX_EVENTS_PER_ITEM = 50;
export const MAX_EVENT_LENGTH = 128;
export const MAX_CONDITIONS_PER_ITEM = 2;
/** `fields` of an item: undocumented beyond the GET row schema (at most 100); accepted, not stored. */
const MAX_FIELDS_KEY_ITEMS = 100;
const JAVA_LONG_MAX = 9_223_372_036_854_775_807n;

/**
 * The keys an item may carry: those Zoho documents (its description's `additionalProperties: false`
 * refuses anything else). `fields` appears in Zoho's SDK models and in an error example of the
 * description, so Zoho reads it; `_delete_events` is the "disable some events" flag.
 */
const ITEM_KEYS: ReadonlySet<string> = new Set([
  "channel_id",
  "events",
  "notify_url",
  "token",
  "channel_expiry",
  "notify_on_related_action",
  "return_affected_field_values",
  "notification_condition",
  "fields",
  "_delete_events",
]);

/** Zoho's names for the type a key expects, as its `expected_data_type` details say them. */
const EXPECTED_DATA_TYPES: Readonly<Record<string, string>> = {
  channel_id: "long",
  events: "jsonarray",
  notify_url: "string",
  token: "string",
  channel_expiry: "datetime",
  notify_on_related_action: "boolean",
  return_affected_field_values: "boolean",
  notification_condition: "jsonarray",
};

/**
 * A channel id as Zoho stores it (a Java long): decimal digits, 1 to 2^63-1, leading zeros dropped.
 * Uses BigInt so ids above 2^53 never pass through a JS number.
 */
export function normalizeChannelId(value: string): string | undefined {
  if (!/^\d{1,30}$/.test(value)) return undefined;
  const id = BigInt(value);
  return id >= 1n && id <= JAVA_LONG_MAX ? id.toString() : undefined;
}

/** Item keys after zod: the widest shape; each kind's schema produces a subset of it. */
interface ItemData {
  channel_id: string;
  events: string[];
  notify_url?: string;
  token?: string | null;
  channel_expiry?: string | null;
  notify_on_related_action?: boolean;
  return_affected_field_values?: boolean;
  notification_condition?: unknown[] | null;
}

/** Stands for a key the version does not know: accepted whatever it holds, then dropped. */
const ignored = z
  .unknown()
  .transform(() => undefined)
  .optional();

function itemSchema(kind: ItemKind, rules: VersionRules): z.ZodType<ItemData> {
  const identity = {
    channel_id: z.string(),
    events: z.array(z.string().max(MAX_EVENT_LENGTH)).min(1).max(MAX_EVENTS_PER_ITEM),
  };
  if (kind === "deleteEvents") return z.object(identity);
  const notifyUrl = z.string().max(MAX_NOTIFY_URL_LENGTH);
  return z.object({
    ...identity,
    notify_url: kind === "merge" ? notifyUrl.optional() : notifyUrl,
    token: z.string().max(MAX_TOKEN_LENGTH).nullable().optional(),
    channel_expiry: z.string().nullable().optional(),
    notify_on_related_action: z.boolean().optional(),
    return_affected_field_values: rules.supportsAffectedFieldValues ? z.boolean().optional() : ignored,
    notification_condition: rules.supportsNotificationCondition
      ? z.array(z.unknown()).max(MAX_CONDITIONS_PER_ITEM).nullable().optional()
      : ignored,
    fields: z
      .array(z.unknown())
      .max(MAX_FIELDS_KEY_ITEMS)
      .nullable()
      .optional()
      .transform(() => undefined),
  });
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = raw;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function issueToZohoError(issue: z.core.$ZodIssue, raw: unknown, index: number): ZohoError {
  const apiName = [...issue.path].reverse().find((key) => typeof key === "string") ?? "watch";
  const details = { api_name: apiName, json_path: itemJsonPath(index, issue.path) };
  const value = valueAt(raw, issue.path);
  if (issue.code === "invalid_type") {
    // A missing (or null) key is "not found"; a null inside an array is just bad data.
    if ((value === undefined || value === null) && issue.path.length === 1) return mandatoryNotFound(details);
    const expected =
      issue.path.length > 1 ? issue.expected : (EXPECTED_DATA_TYPES[apiName] ?? issue.expected);
    return invalidData({ ...details, expected_data_type: expected });
  }
  if (issue.code === "too_big") return invalidData({ ...details, maximum_length: Number(issue.maximum) });
  return invalidData(details);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** Validates item `context.index` of a write request. */
export function validateWatchItem(kind: ItemKind, raw: unknown, context: ItemContext): ItemValidation {
  const { index, rules, catalog, now } = context;
  const reject = (error: ZohoError): ItemValidation => ({ ok: false, error });
  const at = (...path: PropertyKey[]) => ({
    api_name: [...path].reverse().find((key) => typeof key === "string"),
    json_path: itemJsonPath(index, path),
  });

  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return reject(
      invalidData({ api_name: "watch", json_path: itemJsonPath(index), expected_data_type: "jsonobject" }),
    );
  }
  const unknownKey = Object.keys(raw).find((key) => !ITEM_KEYS.has(key));
  if (unknownKey !== undefined) return reject(invalidData(at(unknownKey)));
  const parsed = itemSchema(kind, rules).safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return reject(first ? issueToZohoError(first, raw, index) : invalidData(at()));
  }
  const data = parsed.data;

  const channelId = normalizeChannelId(data.channel_id);
  if (channelId === undefined)
    return reject(invalidData({ ...at("channel_id"), expected_data_type: "long" }));

  for (const [position, event] of data.events.entries()) {
    const parsedEvent = parseEvent(event);
    if (!parsedEvent || !catalog.has(parsedEvent.module)) return reject(invalidData(at("events", position)));
  }
  const events = canonicalEvents(data.events);

  if (data.notify_url !== undefined && !isHttpUrl(data.notify_url))
    return reject(invalidData(at("notify_url")));

  let expiresAt: number | undefined;
  if (data.channel_expiry !== undefined && data.channel_expiry !== null) {
    const expiry = resolveChannelExpiry(data.channel_expiry, now, rules.maxExpiryMs);
    if (!expiry.ok) return reject(invalidData(at("channel_expiry")));
    expiresAt = expiry.expiresAt;
  }

  let notificationCondition: readonly NotificationCondition[] | null | undefined;
  if (data.notification_condition) {
    const conditions = validateNotificationConditions(data.notification_condition, {
      index,
      eventModules: modulesOf(events),
      catalog,
    });
    if (!conditions.ok) return reject(conditions.error);
    // An empty array means "no condition", which Zoho shows as null.
    notificationCondition = conditions.value.length > 0 ? conditions.value : null;
  } else {
    notificationCondition = data.notification_condition;
  }

  return {
    ok: true,
    item: {
      channelId,
      events,
      notifyUrl: data.notify_url,
      token: data.token,
      expiresAt,
      notifyOnRelatedAction: data.notify_on_related_action,
      returnAffectedFieldValues: data.return_affected_field_values,
      notificationCondition,
    },
  };
}
