/**
 * The rulebook: every fact about Zoho's watch API that the client (and the resource built on it)
 * checks against — the API versions and what differs between them, the field limits, the batch
 * limits and the standard modules. Each fact is written here once; schemas, client and resource
 * ask these functions instead of spelling a version gate or a number themselves.
 *
 * Sources: Zoho's documentation pages of the watch API (v2 to v8), its Kaizen #170 FAQ, its SDKs,
 * and its OpenAPI description of v8 (`v8.0/notifications/notifications.yaml` in the public
 * repository zoho/crm-oas). The emulator keeps its own table (emulator/shared/api-versions.ts,
 * emulator/shared/modules.ts) on purpose: two independent readings of the docs, kept in agreement
 * by test/rules/agreement.test.ts, and both held to the description by test/contract/.
 */
import { Duration } from "luxon";

// ---------------------------------------------------------------------------------------------
// Versions

/** Every version Zoho serves the watch API under (`/crm/{version}/actions/watch`), oldest first. */
export const API_VERSIONS = ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"] as const;

/** One of {@link API_VERSIONS}. */
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The version a client uses when none is configured. */
export const DEFAULT_API_VERSION: ApiVersion = "v8";

/** Whether `value` names a version of {@link API_VERSIONS}. */
export function isApiVersion(value: unknown): value is ApiVersion {
  return typeof value === "string" && (API_VERSIONS as readonly string[]).includes(value);
}

/** Whether `version` is `since` or newer. */
export function isAtLeast(version: ApiVersion, since: ApiVersion): boolean {
  return API_VERSIONS.indexOf(version) >= API_VERSIONS.indexOf(since);
}

/** Item keys that only some versions understand; older versions silently ignore them. */
export type VersionFeature = "returnAffectedFieldValues" | "notificationCondition";

/** The first version that understands each {@link VersionFeature}. */
export const FEATURE_SINCE: Readonly<Record<VersionFeature, ApiVersion>> = {
  // `return_affected_field_values` appears in the v3 docs.
  returnAffectedFieldValues: "v3",
  // `notification_condition` appears in the v6 docs.
  notificationCondition: "v6",
};

/** Whether `version` understands `feature`. */
export function supports(version: ApiVersion, feature: VersionFeature): boolean {
  return isAtLeast(version, FEATURE_SINCE[feature]);
}

/**
 * Why `version` cannot carry `feature` (`"needs API v6 or later; the client uses v4"`), or undefined
 * when it can. `user` names whose version it is, e.g. `"this stack (zoho-watch:apiVersion)"`.
 */
export function unsupportedReason(
  version: ApiVersion,
  feature: VersionFeature,
  user = "the client",
): string | undefined {
  if (supports(version, feature)) return undefined;
  return `needs API ${FEATURE_SINCE[feature]} or later; ${user} uses ${version}`;
}

// Zoho's Kaizen #170 FAQ: one day up to v3, seven days from v4 (the v2 page also says one day).
const MAX_EXPIRY_V2_TO_V3 = Duration.fromObject({ days: 1 });
const MAX_EXPIRY_FROM_V4 = Duration.fromObject({ days: 7 });

/**
 * The longest channel lifetime `version` accepts: `P1D` for v2–v3, `P7D` from v4. A later
 * `channel_expiry` is not refused: Zoho silently cuts it to {@link FALLBACK_CHANNEL_LIFETIME}.
 */
export function maxExpiresIn(version: ApiVersion): Duration {
  return isAtLeast(version, "v4") ? MAX_EXPIRY_FROM_V4 : MAX_EXPIRY_V2_TO_V3;
}

/** Lifetime Zoho gives a channel created without `channel_expiry`, or with one beyond the maximum. */
export const FALLBACK_CHANNEL_LIFETIME: Duration = Duration.fromObject({ hours: 1 });

/**
 * `notify_on_related_action` when an enable or replace does not give it: false on v2/v2.1 (the v2
 * page), true from v3 (later pages and Kaizen #170). Send it explicitly when it matters.
 */
export function defaultNotifyOnRelatedAction(version: ApiVersion): boolean {
  return isAtLeast(version, "v3");
}

/** Everything version-dependent about one version, for tables and comparisons. */
export interface VersionRules {
  readonly version: ApiVersion;
  readonly maxExpiresIn: Duration;
  readonly defaultNotifyOnRelatedAction: boolean;
  readonly features: Readonly<Record<VersionFeature, boolean>>;
}

/** The rules of one version, in one object. */
export function rulesFor(version: ApiVersion): VersionRules {
  return {
    version,
    maxExpiresIn: maxExpiresIn(version),
    defaultNotifyOnRelatedAction: defaultNotifyOnRelatedAction(version),
    features: {
      returnAffectedFieldValues: supports(version, "returnAffectedFieldValues"),
      notificationCondition: supports(version, "notificationCondition"),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Limits

/**
 * Zoho's published limits. Where sources disagree, the strictest figure is kept (the reason is
 * beside each). Zoho publishes its OpenAPI description for v8 only; no older page allows more, so
 * its limits hold for every version.
 */
export const LIMITS = {
  /** Channel ids are Java longs: a decimal string of at most 2^63 − 1. */
  maxChannelId: 9_223_372_036_854_775_807n,
  /** `token`: the prose docs say 50 (more → INVALID_DATA); the v8 OpenAPI says 256 for PATCH. */
  maxTokenLength: 50,
  /** `notify_url`: Zoho's OpenAPI. */
  maxNotifyUrlLength: 255,
  /** `events` of one item on writes (the GET row schema says 10; more is not relied on). */
  maxEventsPerItem: 50,
  /** Characters of one event, `Module.operation` (v8 OpenAPI: `events[]` maxLength). */
  maxEventLength: 128,
  /** Characters of a module API name, in an event or a condition (v8 OpenAPI: `module` maxLength). */
  maxModuleNameLength: 64,
  /** `notification_condition` entries of one item (v8 OpenAPI: maxItems). */
  maxConditionsPerItem: 2,
  /** Characters of a field API name in a condition (v8 OpenAPI PATCH; its GET rows say 128). */
  maxFieldNameLength: 64,
  /** Characters of a module or field id in a condition (v8 OpenAPI PATCH; its GET rows say 64). */
  maxConditionIdLength: 32,
  /** Objects in a `field_selection` group; this client holds nested groups to it too (strictest reading). */
  maxConditionGroupSize: 2,
  /** Fields selected by one `notification_condition`, nested groups included. */
  maxConditionFields: 10,
  /** Items in one POST/PUT/PATCH (`watch` maxItems 50). */
  maxItemsPerWrite: 50,
  /** Characters of the DELETE `channel_ids` query parameter (about 25 ids of 19 digits). */
  maxChannelIdsParamLength: 512,
  /** GET `per_page`: default and maximum. */
  maxPerPage: 200,
  /** GET `page`: documented up to 100, so at most 20,000 rows can be listed per filter. */
  maxPage: 100,
} as const;

// ---------------------------------------------------------------------------------------------
// Modules and events

/** Standard module API names of a Zoho CRM org (v7 list); orgs add custom ones. */
export const STANDARD_MODULES = [
  "Leads",
  "Accounts",
  "Contacts",
  "Deals",
  "Campaigns",
  "Tasks",
  "Cases",
  "Meetings",
  "Calls",
  "Solutions",
  "Products",
  "Vendors",
  "Price_Books",
  "Quotes",
  "Sales_Orders",
  "Purchase_Orders",
  "Invoices",
  "Appointments",
  "Services",
] as const;

/** One of {@link STANDARD_MODULES}. */
export type StandardModule = (typeof STANDARD_MODULES)[number];

/** The operations of an event (`Deals.create`); `all` stands for the other three. */
export const EVENT_OPERATIONS = ["create", "edit", "delete", "all"] as const;

/** One of {@link EVENT_OPERATIONS}. */
export type EventOperation = (typeof EVENT_OPERATIONS)[number];

const API_NAME = "[A-Za-z][A-Za-z0-9_]*";

/** Shape of a module or field API name (`Leads`, `Custom_Module__c`). */
export const API_NAME_PATTERN = new RegExp(`^${API_NAME}$`);

/** Shape of an event, `{Module_API_name}.{operation}`; groups 1 and 2 are the module and operation. */
export const EVENT_PATTERN = new RegExp(`^(${API_NAME})\\.(${EVENT_OPERATIONS.join("|")})$`);

/**
 * Shape of an event with any word as its operation (`Deals.update`), so that a check can tell an
 * unknown operation apart from a malformed event; groups 1 and 2 are the module and operation.
 */
export const EVENT_SHAPE_PATTERN = new RegExp(`^(${API_NAME})\\.([A-Za-z]+)$`);
