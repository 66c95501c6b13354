/**
 * The data the client exchanges with Zoho, as zod schemas that are also the TypeScript types.
 *
 * Inputs are camelCase and validated once, at the edge, before anything is sent; their schemas
 * transform into the snake_case wire items. Answers are validated on arrival and transformed into
 * camelCase results. Channel ids are decimal strings everywhere past the edge.
 */
import { DateTime } from "luxon";
import * as z from "../zod";
import { formatExpiry, parseExpiry, readExpiry, type ExpiryInput } from "./dates";
import { API_NAME_PATTERN, EVENT_OPERATIONS, EVENT_PATTERN, LIMITS } from "./rules";

// Versions live in the rulebook; re-exported here for callers that imported them from schemas.
export { API_VERSIONS, type ApiVersion } from "./rules";

// ---------------------------------------------------------------------------------------------
// Ids

/** The most digits a channel id has: Zoho's ids are Java longs (LIMITS.maxChannelId). */
export const CHANNEL_ID_DIGITS = String(LIMITS.maxChannelId).length;

// Leading zeros are refused because Zoho would read "007" as 7 and the id would no longer match
// what the caller stored.
const DECIMAL_ID = new RegExp(`^[1-9]\\d{0,${CHANNEL_ID_DIGITS - 1}}$`);

/** Whether `text` is a channel id as Zoho stores it: decimal, no leading zero, at most 2^63 − 1. */
export function isChannelIdText(text: string): boolean {
  return DECIMAL_ID.test(text) && BigInt(text) <= LIMITS.maxChannelId;
}

/**
 * A channel id as callers may give it: a decimal string, a bigint, or a number that is still a
 * safe integer (a larger number has already been rounded by JavaScript and is refused).
 * Output: the decimal string.
 */
export const ChannelIdSchema = z.union([z.string(), z.number(), z.bigint()]).transform((value, ctx) => {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    ctx.addIssue({
      code: "custom",
      message:
        "a channel id above 2^53 cannot be a JavaScript number (it is already rounded); pass it as a string or bigint",
    });
    return z.NEVER;
  }
  const text = typeof value === "string" ? value.trim() : value.toString();
  if (!isChannelIdText(text)) {
    ctx.addIssue({
      code: "custom",
      message: "a channel id must be a positive decimal integer below 2^63 without leading zeros",
    });
    return z.NEVER;
  }
  return text;
});

/** What callers may pass as a channel id: `"1105420521999070702"`, `1105420521999070702n`, `1000000068001`. */
export type ChannelIdLike = z.input<typeof ChannelIdSchema>;

// ---------------------------------------------------------------------------------------------
// Item fields

/** `{Module_API_name}.{create|edit|delete|all}`, e.g. `Leads.create`, `Custom_Module__c.all`. */
export const EventSchema = z
  .string()
  .max(LIMITS.maxEventLength, `an event may have at most ${LIMITS.maxEventLength} characters`)
  .regex(
    EVENT_PATTERN,
    `an event is "{Module_API_name}.{${EVENT_OPERATIONS.join("|")}}", e.g. "Leads.create"`,
  )
  .refine(
    (event) => event.indexOf(".") <= LIMITS.maxModuleNameLength,
    `a module API name may have at most ${LIMITS.maxModuleNameLength} characters`,
  );

/** An item's events: at least one, at most {@link LIMITS.maxEventsPerItem}. */
export const EventListSchema = z
  .array(EventSchema)
  .min(1, "events must name at least one event")
  .max(LIMITS.maxEventsPerItem, `events may name at most ${LIMITS.maxEventsPerItem} events per channel`);

/** An absolute http(s) URL of at most {@link LIMITS.maxNotifyUrlLength} characters (Zoho's OpenAPI limit). */
export const NotifyUrlSchema = z
  .string()
  .max(LIMITS.maxNotifyUrlLength, `notifyUrl may have at most ${LIMITS.maxNotifyUrlLength} characters`)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  }, "notifyUrl must be an absolute http(s) URL");

/** The verification token echoed in every notification: 1–{@link LIMITS.maxTokenLength} characters (more → INVALID_DATA). */
export const ChannelTokenSchema = z
  .string()
  .min(1, "token must not be empty; use null to clear it")
  .max(LIMITS.maxTokenLength, `token may have at most ${LIMITS.maxTokenLength} characters`);

/** A luxon DateTime or an ISO-8601 string with offset; output is the wire string (no milliseconds). */
export const ChannelExpirySchema = z
  .union([z.string(), z.custom<DateTime>((value) => DateTime.isDateTime(value), "expected a luxon DateTime")])
  .transform((value: ExpiryInput, ctx) => {
    const parsed = readExpiry(value);
    if (!parsed.isValid) {
      ctx.addIssue({
        code: "custom",
        message: `channelExpiry is not a valid ISO-8601 date-time with offset (${parsed.invalidExplanation ?? parsed.invalidReason ?? "invalid"})`,
      });
      return z.NEVER;
    }
    return formatExpiry(parsed);
  });

// ---------------------------------------------------------------------------------------------
// notification_condition (v6+)

/** A reference to a module or field by API name (and optionally id). */
export interface ApiNameRef {
  apiName: string;
  id?: string | undefined;
}

/** One node of a field selection: a single field, or a group of nodes joined by and/or. */
export type FieldSelectionNode =
  { field: ApiNameRef } | { groupOperator: "and" | "or"; group: FieldSelectionNode[] };

/** Notify only when the selected fields change (`notification_condition`, v6+). */
export interface NotificationCondition {
  type: "field_selection";
  module: ApiNameRef;
  fieldSelection: FieldSelectionNode;
}

/** A module or field reference; `maxApiName` is Zoho's limit for the kind of name it holds. */
const apiNameRefSchema = (maxApiName: number) =>
  z.strictObject({
    apiName: z
      .string()
      .min(1)
      .max(maxApiName, `an API name may have at most ${maxApiName} characters (Zoho's limit)`),
    id: z
      .string()
      .regex(/^\d+$/, "id must be a decimal string")
      .max(
        LIMITS.maxConditionIdLength,
        `an id may have at most ${LIMITS.maxConditionIdLength} digits (Zoho's limit)`,
      )
      .optional(),
  });
const ModuleRefSchema = apiNameRefSchema(LIMITS.maxModuleNameLength);
const FieldRefSchema = apiNameRefSchema(LIMITS.maxFieldNameLength);

const FieldSelectionNodeSchema: z.ZodType<FieldSelectionNode> = z.lazy(() =>
  z.union([
    z.strictObject({ field: FieldRefSchema }),
    z.strictObject({ groupOperator: z.enum(["and", "or"]), group: z.array(FieldSelectionNodeSchema).min(1) }),
  ]),
);

function countFields(node: FieldSelectionNode): number {
  return "field" in node ? 1 : node.group.reduce((sum, child) => sum + countFields(child), 0);
}

/** The first group holding more than the limit allows: its path (below `fieldSelection`) and size. */
function findWideGroup(
  node: FieldSelectionNode,
  path: (string | number)[],
): { path: (string | number)[]; size: number } | undefined {
  if ("field" in node) return undefined;
  if (node.group.length > LIMITS.maxConditionGroupSize)
    return { path: [...path, "group"], size: node.group.length };
  for (const [i, child] of node.group.entries()) {
    const found = findWideGroup(child, [...path, "group", i]);
    if (found) return found;
  }
  return undefined;
}

/**
 * Validates a notification condition: `fieldSelection` is a group (Zoho's `field_selection` always
 * has `group_operator` and `group`), each group holds at most {@link LIMITS.maxConditionGroupSize}
 * entries, and at most {@link LIMITS.maxConditionFields} fields are selected in all.
 */
export const NotificationConditionSchema = z
  .strictObject({
    type: z.literal("field_selection"),
    module: ModuleRefSchema,
    fieldSelection: FieldSelectionNodeSchema,
  })
  .superRefine((condition, ctx) => {
    const selection = condition.fieldSelection;
    if ("field" in selection) {
      ctx.addIssue({
        code: "custom",
        path: ["fieldSelection"],
        message:
          'must be a group, even for one field: { groupOperator: "or", group: [{ field: { apiName: "Stage" } }] }',
      });
      return;
    }
    const wide = findWideGroup(selection, ["fieldSelection"]);
    if (wide) {
      ctx.addIssue({
        code: "custom",
        path: wide.path,
        message: `a field selection group may hold at most ${LIMITS.maxConditionGroupSize} entries (this one has ${wide.size}); nest groups to combine more fields`,
      });
    }
    const fields = countFields(selection);
    if (fields > LIMITS.maxConditionFields) {
      ctx.addIssue({
        code: "custom",
        path: ["fieldSelection"],
        message: `a notification condition may select at most ${LIMITS.maxConditionFields} fields (this one selects ${fields})`,
      });
    }
  });

/** An item's conditions: at least one, at most {@link LIMITS.maxConditionsPerItem}. */
export const NotificationConditionListSchema = z
  .array(NotificationConditionSchema)
  .min(1)
  .max(
    LIMITS.maxConditionsPerItem,
    `a channel may carry at most ${LIMITS.maxConditionsPerItem} notification conditions (Zoho's limit)`,
  );

function refToWire(ref: ApiNameRef): Record<string, string> {
  return ref.id === undefined ? { api_name: ref.apiName } : { api_name: ref.apiName, id: ref.id };
}

function nodeToWire(node: FieldSelectionNode): Record<string, unknown> {
  if ("field" in node) return { field: refToWire(node.field) };
  return { group_operator: node.groupOperator, group: node.group.map(nodeToWire) };
}

/** camelCase condition → Zoho's snake_case JSON. */
export function conditionToWire(condition: NotificationCondition): Record<string, unknown> {
  return {
    type: condition.type,
    module: refToWire(condition.module),
    field_selection: nodeToWire(condition.fieldSelection),
  };
}

/** Zoho's snake_case JSON → camelCase keys, recursively (values untouched). */
export function snakeToCamelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeToCamelKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
        snakeToCamelKeys(inner),
      ]),
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Wire items (what is sent)

/** One item of `{"watch": [...]}` as sent to Zoho. */
export const WireWatchItemSchema = z.strictObject({
  channel_id: z.string(),
  events: z.array(z.string()),
  notify_url: z.string().optional(),
  token: z.string().optional(),
  channel_expiry: z.string().optional(),
  notify_on_related_action: z.boolean().optional(),
  return_affected_field_values: z.boolean().optional(),
  notification_condition: z.array(z.record(z.string(), z.unknown())).optional(),
  _delete_events: z.literal(true).optional(),
});

/** One wire item. */
export type WireWatchItem = z.infer<typeof WireWatchItemSchema>;

const optionalDetails = {
  token: ChannelTokenSchema.optional(),
  channelExpiry: ChannelExpirySchema.optional(),
  notifyOnRelatedAction: z.boolean().optional(),
  returnAffectedFieldValues: z.boolean().optional(),
  notificationCondition: NotificationConditionListSchema.optional(),
};

interface ParsedDetails {
  channelId: string;
  events: string[];
  notifyUrl?: string | undefined;
  token?: string | null | undefined;
  channelExpiry?: string | undefined;
  notifyOnRelatedAction?: boolean | undefined;
  returnAffectedFieldValues?: boolean | undefined;
  notificationCondition?: NotificationCondition[] | undefined;
}

function detailsToWire(item: ParsedDetails): WireWatchItem {
  const wire: WireWatchItem = { channel_id: item.channelId, events: item.events };
  if (item.notifyUrl !== undefined) wire.notify_url = item.notifyUrl;
  // A null token is sent as "no token": Zoho then stores null, which is what null asks for.
  if (typeof item.token === "string") wire.token = item.token;
  if (item.channelExpiry !== undefined) wire.channel_expiry = item.channelExpiry;
  if (item.notifyOnRelatedAction !== undefined) wire.notify_on_related_action = item.notifyOnRelatedAction;
  if (item.returnAffectedFieldValues !== undefined) {
    wire.return_affected_field_values = item.returnAffectedFieldValues;
  }
  if (item.notificationCondition !== undefined) {
    wire.notification_condition = item.notificationCondition.map(conditionToWire);
  }
  return wire;
}

/**
 * A channel to enable (POST) — or to replace (PUT, {@link UpdateItemSchema}): every detail given
 * is stored, every detail not given is dropped.
 */
export const EnableItemSchema = z
  .strictObject({
    channelId: ChannelIdSchema,
    events: EventListSchema,
    notifyUrl: NotifyUrlSchema,
    ...optionalDetails,
  })
  .transform(detailsToWire);

/** Input of enable (POST). */
export type EnableItem = z.input<typeof EnableItemSchema>;

/** A full replacement of a channel's details (PUT): same shape as an enable item. */
export const UpdateItemSchema = EnableItemSchema;

/** Input of update (PUT). */
export type UpdateItem = z.input<typeof UpdateItemSchema>;

/**
 * A merge update (PATCH). `events` and `token` are required: Zoho nulls the token of a PATCH
 * without one (the "token trap") and requires events. Pass `token: null` to clear it on purpose.
 */
export const PatchItemSchema = z
  .strictObject({
    channelId: ChannelIdSchema,
    events: EventListSchema,
    notifyUrl: NotifyUrlSchema.optional(),
    ...optionalDetails,
    token: z.union([ChannelTokenSchema, z.null()], {
      error: (issue) =>
        issue.input === undefined
          ? "token is required on PATCH (Zoho clears the token of a PATCH without one); pass null to clear it on purpose"
          : `token must be a string of 1-${LIMITS.maxTokenLength} characters or null`,
    }),
  })
  .transform(detailsToWire);

/** Input of patch (PATCH). */
export type PatchItem = z.input<typeof PatchItemSchema>;

/** Events to remove from a channel (PATCH with `_delete_events: true`). */
export const DisableEventsItemSchema = z
  .strictObject({
    channelId: ChannelIdSchema,
    events: EventListSchema,
  })
  .transform((item): WireWatchItem => ({
    channel_id: item.channelId,
    events: item.events,
    _delete_events: true,
  }));

/** Input of disableEvents. */
export type DisableEventsItem = z.input<typeof DisableEventsItemSchema>;

/** Filter of list (GET). */
export const ListFilterSchema = z.strictObject({
  channelId: ChannelIdSchema.optional(),
  /** A module API name, e.g. `Leads`. */
  module: z.string().regex(API_NAME_PATTERN, "module must be a module API name such as Leads").optional(),
  /** Rows per page, 1–{@link LIMITS.maxPerPage} (Zoho's maximum and default). */
  perPage: z.number().int().min(1).max(LIMITS.maxPerPage).optional(),
});

/** Input of list. */
export type ListFilter = z.input<typeof ListFilterSchema>;

// ---------------------------------------------------------------------------------------------
// Answers

/** An id in an answer: a string, or a number already turned into its exact text by json.ts. */
const WireIdSchema = z.union([z.string(), z.number(), z.bigint()]).transform((value) => String(value));

const ExpiryFromWireSchema = z.string().transform((text, ctx) => {
  const parsed = parseExpiry(text);
  if (!parsed.isValid) {
    ctx.addIssue({ code: "custom", message: "channel_expiry is not an ISO-8601 date-time" });
    return z.NEVER;
  }
  return parsed;
});

/** One entry of a write answer: read its own `status`, whatever the HTTP status was. */
export const WireEntrySchema = z.looseObject({
  code: z.string(),
  status: z.string(),
  message: z.string().optional(),
  details: z.record(z.string(), z.unknown()).nullish(),
});

/** A write answer `{"watch": [entry, ...]}`. */
export const WireWriteAnswerSchema = z.looseObject({ watch: z.array(WireEntrySchema) });

/** A top-level error answer (401, 429, 404, some 400s): `{code, message, details, status}`. */
export const WireErrorAnswerSchema = z.looseObject({
  code: z.string(),
  status: z.string().optional(),
  message: z.string().optional(),
  details: z.record(z.string(), z.unknown()).nullish(),
});

/** What a success entry says about one subscribed resource (one item per module). */
export const WireResourceSchema = z
  .looseObject({
    channel_id: WireIdSchema.optional(),
    channel_expiry: ExpiryFromWireSchema.optional(),
    resource_uri: z.string().optional(),
    resource_id: WireIdSchema.optional(),
    resource_name: z.string().optional(),
  })
  .transform((r) => ({
    channelId: r.channel_id,
    channelExpiry: r.channel_expiry,
    resourceUri: r.resource_uri,
    resourceId: r.resource_id,
    resourceName: r.resource_name,
  }));

/** A module a channel is subscribed to, as a success entry reports it. */
export type WatchResource = z.output<typeof WireResourceSchema>;

const NotificationConditionFromWireSchema = z
  .array(z.looseObject({ type: z.string(), module: z.looseObject({ api_name: z.string() }) }))
  .nullish()
  .transform((value) => (value ? (snakeToCamelKeys(value) as NotificationCondition[]) : null));

/** One row of a GET answer (one per channel × module). */
export const WireSubscriptionSchema = z
  .looseObject({
    channel_id: WireIdSchema,
    events: z.array(z.string()),
    channel_expiry: ExpiryFromWireSchema,
    notify_url: z.string(),
    token: z.string().nullish(),
    resource_uri: z.string().nullish(),
    resource_id: WireIdSchema.nullish(),
    resource_name: z.string().nullish(),
    notify_on_related_action: z.boolean().nullish(),
    return_affected_field_values: z.boolean().nullish(),
    notification_condition: NotificationConditionFromWireSchema,
    fields: z.unknown().optional(),
  })
  .transform((row) => ({
    channelId: row.channel_id,
    events: row.events,
    channelExpiry: row.channel_expiry,
    notifyUrl: row.notify_url,
    token: row.token ?? null,
    resourceUri: row.resource_uri ?? undefined,
    resourceId: row.resource_id ?? undefined,
    resourceName: row.resource_name ?? undefined,
    notifyOnRelatedAction: row.notify_on_related_action ?? undefined,
    returnAffectedFieldValues: row.return_affected_field_values ?? undefined,
    notificationCondition: row.notification_condition,
    fields: row.fields ?? null,
  }));

/** One GET row: a channel's subscription to one module. */
export type WatchSubscription = z.output<typeof WireSubscriptionSchema>;

/** A GET answer page. */
export const WireListAnswerSchema = z.looseObject({
  watch: z.array(WireSubscriptionSchema),
  info: z
    .looseObject({
      per_page: z.number().optional(),
      page: z.number().optional(),
      count: z.number().optional(),
      more_records: z.boolean(),
    })
    .optional(),
});

/**
 * `GET /crm/{version}/org` (Zoho's Organization API): `{"org": [{"id", "zgid", "company_name", ...}]}`,
 * one object, the org the access token acts in. Only what identifies the org is read.
 */
export const WireOrgAnswerSchema = z
  .looseObject({
    org: z.tuple([
      z.looseObject({
        id: WireIdSchema,
        zgid: WireIdSchema.nullish(),
        company_name: z.string().nullish(),
      }),
    ]),
  })
  .transform(({ org: [org] }) => ({
    id: org.id,
    zgid: org.zgid ?? undefined,
    companyName: org.company_name ?? undefined,
  }));

/** The org an access token acts in. */
export type ZohoOrg = z.output<typeof WireOrgAnswerSchema>;

/** A successful refresh-grant answer. */
export const TokenAnswerSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
  // Old form: `expires_in_sec` in seconds, `expires_in` then in milliseconds.
  expires_in_sec: z.number().positive().optional(),
  api_domain: z.string().optional(),
  token_type: z.string().optional(),
});

/** An OAuth error answer (Zoho sends these with HTTP 200 as well as 4xx). */
export const TokenErrorAnswerSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

/**
 * Formats zod issues as `path: message` lines with the property path the caller wrote
 * (e.g. `[1].events[0]: an event is ...`). Messages never include input values.
 */
export function formatIssues(error: z.ZodError, prefix = ""): string[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`))
      .join("")
      .replace(/^\./, "");
    const where = `${prefix}${path}`;
    return where === "" ? issue.message : `${where}: ${issue.message}`;
  });
}
