/**
 * The WatchChannel resource described once, as data: every input and output, its type, whether it
 * is secret, what a change to it does, and the sentence that documents it.
 *
 * Both doors read it. `check` takes the key lists from it ({@link INPUT_KEYS} and friends live in
 * inputs.ts, derived from here); the dynamic door's `WatchChannelArgs` is checked against it at
 * compile time; the provider plugin's `schema.json` is generated from it (pulumi/plugin/schema.ts),
 * and so are the SDKs generated from that schema; docs/resource.md is tested against it.
 *
 * Types are written in the vocabulary of Pulumi's package schema (a small JSON-schema subset:
 * `string`, `boolean`, `array`, `object`, `$ref` to a named object type), because that is the one
 * every consumer needs and the richest any of them reads. What the types cannot say (an ISO-8601
 * duration, a decimal channel id, Zoho's limits) `check` says, with one message for both doors.
 */

/** A property's type in Pulumi's schema vocabulary. */
export type PropertyType =
  | { readonly type: "string" | "boolean" | "integer" }
  | { readonly type: "array"; readonly items: PropertyType }
  | { readonly type: "object"; readonly additionalProperties: PropertyType }
  | { readonly $ref: ObjectTypeName };

/** What a change of an input does to the live channel. */
export type OnChange =
  /** Rewritten in place: a full PUT, which also renews the expiry. */
  | "update"
  /** Another channel (or possibly another org): subscribed first, then the old one disabled. */
  | "replace"
  /** An update in place that only the state sees: Zoho holds nothing of it, so no API call. */
  | "store"
  /** Read only by `check` or when the resource is created: a change is no change of the channel. */
  | "ignore";

/** One property of the resource. */
export interface PropertySpec {
  readonly type: PropertyType;
  /** The one sentence (or few) that documents it, in every door and SDK. */
  readonly description: string;
  /**
   * Present on inputs. `required`: the program must give it. `default`: what `check` fills in when
   * it is left out, in words (the value depends on the API version or on another input).
   */
  readonly input?: { readonly required: boolean; readonly onChange: OnChange; readonly default?: string };
  /**
   * `always`: stored encrypted whatever its value. `credentials`: encrypted when the value carries
   * credentials (a URL's user info or query string).
   */
  readonly secret?: "always" | "credentials";
}

/** A named object type used by the resource's properties. */
export interface ObjectTypeSpec {
  readonly description: string;
  readonly properties: Readonly<
    Record<string, { readonly type: PropertyType; readonly description: string }>
  >;
  readonly required: readonly string[];
}

/** The object types, by name. */
export const OBJECT_TYPES = {
  ApiNameRef: {
    description: "A module or field named by its API name (and, optionally, Zoho's id for it).",
    properties: {
      apiName: { type: { type: "string" }, description: "The API name, e.g. `Deals` or `Stage`." },
      id: {
        type: { type: "string" },
        description: "Zoho's id of the module or field, a decimal string; Zoho fills it in when left out.",
      },
    },
    required: ["apiName"],
  },
  FieldSelection: {
    description:
      "One node of a field selection: either a single `field`, or a `group` of nodes joined by `groupOperator`.",
    properties: {
      field: { type: { $ref: "ApiNameRef" }, description: "A single field." },
      groupOperator: { type: { type: "string" }, description: "`and` or `or`, joining the group's nodes." },
      group: {
        type: { type: "array", items: { $ref: "FieldSelection" } },
        description: "At most 2 nodes (Zoho's limit); nest groups to combine more fields.",
      },
    },
    required: [],
  },
  NotificationCondition: {
    description: "Notify only when the selected fields of a module change (API v6+).",
    properties: {
      type: { type: { type: "string" }, description: "Always `field_selection`." },
      module: {
        type: { $ref: "ApiNameRef" },
        description: "The module, one of those the channel's events subscribe.",
      },
      fieldSelection: {
        type: { $ref: "FieldSelection" },
        description: "The fields, as a group even for one field; at most 10 fields in all.",
      },
    },
    required: ["type", "module", "fieldSelection"],
  },
  SubscribedModule: {
    description: "One subscribed module, as Zoho reported it.",
    properties: {
      module: { type: { type: "string" }, description: "The module's API name." },
      resourceId: { type: { type: "string" }, description: "Zoho's id of the module." },
      resourceUri: { type: { type: "string" }, description: "Zoho's URI of the module." },
      resourceName: { type: { type: "string" }, description: "Zoho's name of the module." },
    },
    required: ["module", "resourceId", "resourceUri", "resourceName"],
  },
} as const satisfies Record<string, ObjectTypeSpec>;

/** The name of an object type. */
export type ObjectTypeName = "ApiNameRef" | "FieldSelection" | "NotificationCondition" | "SubscribedModule";

const STRING = { type: "string" } as const;
const BOOLEAN = { type: "boolean" } as const;

/**
 * Every property of a WatchChannel, inputs first, in the order state shows them. Inputs are
 * outputs too (the state stores what was applied); those without `input` are outputs only.
 */
export const WATCH_CHANNEL_PROPERTIES = {
  channelId: {
    type: STRING,
    description:
      "The Zoho channel id, a decimal string below 2^63 (never a JavaScript number: ids exceed 2^53). When left out, a stable id is derived from the stack and the resource name.",
    input: { required: false, onChange: "replace", default: "derived from the stack and the resource name" },
  },
  events: {
    type: { type: "array", items: STRING },
    description:
      'Events to subscribe, `"<Module>.<create|edit|delete|all>"`, e.g. `["Deals.all", "Contacts.create"]`; at most 50.',
    input: { required: true, onChange: "update" },
  },
  notifyUrl: {
    type: STRING,
    description:
      "Where Zoho POSTs notifications: an https URL (plain http only to this machine, or with allowPlainHttp), at most 255 characters. Stored as a secret when it holds credentials (user info or a query string).",
    input: { required: true, onChange: "update" },
    secret: "credentials",
  },
  token: {
    type: STRING,
    description:
      "Verification token Zoho echoes in every notification, at most 50 characters. Always a secret.",
    input: { required: false, onChange: "update" },
    secret: "always",
  },
  expiresIn: {
    type: STRING,
    description:
      'How long each subscription lasts, an ISO-8601 duration such as `"P6D"`; at least 10 minutes. Default and maximum: the API version\'s maximum less 10 minutes for clock skew (`P6DT23H50M` from v4, `PT23H50M` before).',
    input: { required: false, onChange: "update", default: "the API version's maximum less 10 minutes" },
  },
  renewBefore: {
    type: STRING,
    description:
      "The renewal window, an ISO-8601 duration: once the channel expires within it, a preview shows the renewal and `pulumi up` renews it. Default: half of `expiresIn`. Schedule `pulumi up` more often than this.",
    input: { required: false, onChange: "store", default: "half of expiresIn" },
  },
  notifyOnRelatedAction: {
    type: BOOLEAN,
    description:
      "Also notify on related actions (Zoho's `notify_on_related_action`). Sent on every write. Default: Zoho's documented default for the API version, false on v2 and v2.1, true from v3.",
    input: { required: false, onChange: "update", default: "Zoho's documented default for the API version" },
  },
  returnAffectedFieldValues: {
    type: BOOLEAN,
    description: "Include the changed field values in notifications (API v3+).",
    input: { required: false, onChange: "update" },
  },
  notificationCondition: {
    type: { type: "array", items: { $ref: "NotificationCondition" } },
    description: "Notify only when these fields change (API v6+); at most 2 conditions.",
    input: { required: false, onChange: "update" },
  },
  adopt: {
    type: BOOLEAN,
    description:
      "Take over a live channel with this channelId even though its details differ from this declaration. Without it, creating a resource for a live channel this stack does not manage fails, naming what differs. Read only when the resource is created.",
    input: { required: false, onChange: "ignore" },
  },
  allowPlainHttp: {
    type: BOOLEAN,
    description:
      "Accept a plain-http notifyUrl to a host other than this machine. Refused by default: Zoho would send every notification, the token included, unencrypted. Never sent to Zoho.",
    input: { required: false, onChange: "ignore" },
  },
  connection: {
    type: STRING,
    description:
      "A named connection of the provider's `connections` (another org, data centre or API version); the provider's own settings when left out. Changing it replaces the channel, subscribed through the new connection first.",
    input: { required: false, onChange: "replace" },
  },
  channelExpiry: {
    type: STRING,
    description: "The live expiry exactly as Zoho returned it, in the org's offset.",
  },
  apiVersion: {
    type: STRING,
    description: "The Zoho API version the channel was last written with.",
  },
  modules: {
    type: { type: "array", items: { $ref: "SubscribedModule" } },
    description: "The subscribed modules, with Zoho's resource ids and URIs.",
  },
} as const satisfies Record<string, PropertySpec>;

/** The name of a property. */
export type PropertyName = keyof typeof WATCH_CHANNEL_PROPERTIES;

type Spec<K extends PropertyName> = (typeof WATCH_CHANNEL_PROPERTIES)[K];

/** The names of the inputs. */
export type InputName = {
  [K in PropertyName]: Spec<K> extends { input: object } ? K : never;
}[PropertyName];

/** `true` when `A` and `B` are the same set of keys, `never` otherwise: for compile-time checks. */
export type KeysMatch<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : never;

/** The names of the properties that are outputs only. */
export type OutputOnlyName = Exclude<PropertyName, InputName>;

/** The inputs whose change `onChange` says `kind`. */
export type InputChanging<Kind extends OnChange> = {
  [K in InputName]: Spec<K> extends { input: { onChange: Kind } } ? K : never;
}[InputName];

const entries = Object.entries(WATCH_CHANNEL_PROPERTIES) as [PropertyName, PropertySpec][];

/** The names of the properties whose spec satisfies `test`, in the model's order. */
function namesWhere<N extends PropertyName>(test: (spec: PropertySpec) => boolean): readonly N[] {
  return Object.freeze(entries.filter(([, spec]) => test(spec)).map(([name]) => name as N));
}

/** Every input, in the order the state shows them. */
export const INPUT_NAMES = namesWhere<InputName>((spec) => spec.input !== undefined);

/** The outputs that are no input: what Zoho answered. */
export const OUTPUT_ONLY_NAMES = namesWhere<OutputOnlyName>((spec) => spec.input === undefined);

/** The inputs a program must give (`channelId` is derived when left out). */
export const REQUIRED_INPUT_NAMES = namesWhere<InputName>((spec) => spec.input?.required === true);

/** The inputs a change of which replaces the channel. */
export const REPLACING_INPUT_NAMES = namesWhere<InputChanging<"replace">>(
  (spec) => spec.input?.onChange === "replace",
);

/** The inputs a change of which is an update in place: written to Zoho, or only to the state. */
export const UPDATING_INPUT_NAMES = namesWhere<InputChanging<"update" | "store">>(
  (spec) => spec.input?.onChange === "update" || spec.input?.onChange === "store",
);

/** The properties stored encrypted whatever their value. */
export const ALWAYS_SECRET_NAMES = namesWhere((spec) => spec.secret === "always");
