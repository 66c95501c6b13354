/**
 * The provider plugin's Pulumi package schema, derived from the resource model (channel/model.ts)
 * and the settings (engine/settings.ts). Nothing in it is written by hand here but the package's
 * own names: `GetSchema` answers it, YAML programs read their types from it, and the SDKs are
 * generated from the committed copy (`schema.json`, which a test keeps equal to this derivation).
 */
import {
  OBJECT_TYPES,
  WATCH_CHANNEL_PROPERTIES,
  REQUIRED_INPUT_NAMES,
  type ObjectTypeName,
  type ObjectTypeSpec,
  type PropertySpec,
  type PropertyType,
} from "../../channel/model";
import { SETTINGS, CONNECTIONS_KEY, type SettingName } from "../../engine/settings";
import { PLUGIN_PACKAGE, PLUGIN_WATCH_CHANNEL_TYPE } from "../../channel/resource-type";

const PACKAGE_NAME = PLUGIN_PACKAGE;

/** A property in the schema's JSON form. */
type SchemaProperty = Record<string, unknown>;

/** The token of a model object type. */
function typeToken(name: ObjectTypeName | "Connection"): string {
  return `${PACKAGE_NAME}:index:${name}`;
}

function schemaType(type: PropertyType): SchemaProperty {
  if ("$ref" in type) return { $ref: `#/types/${typeToken(type.$ref)}` };
  if (type.type === "array") return { type: "array", items: schemaType(type.items) };
  if (type.type === "object")
    return { type: "object", additionalProperties: schemaType(type.additionalProperties) };
  return { type: type.type };
}

function resourceProperty(spec: PropertySpec, asInput: boolean): SchemaProperty {
  return {
    ...schemaType(spec.type),
    description: spec.description,
    ...(spec.secret === "always" && { secret: true }),
    ...(asInput && spec.input?.onChange === "replace" && { replaceOnChanges: true }),
  };
}

/** The settings a connection or the provider takes, as schema properties. */
function settingProperties(names: readonly SettingName[]): Record<string, SchemaProperty> {
  return Object.fromEntries(
    names.map((name) => {
      const setting: (typeof SETTINGS)[SettingName] = SETTINGS[name];
      return [
        setting.key,
        {
          type: "type" in setting ? setting.type : "string",
          description: setting.description,
          ...("secret" in setting && { secret: true }),
        },
      ];
    }),
  );
}

const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
/** A named connection holds every setting but the clock offset (one clock per provider). */
const CONNECTION_SETTING_NAMES = SETTING_NAMES.filter((name) => name !== "clockOffset");

/** The provider's configuration: every setting, with its environment variable, and `connections`. */
function providerProperties(withEnvironment: boolean): Record<string, SchemaProperty> {
  const properties = settingProperties(SETTING_NAMES);
  if (withEnvironment) {
    for (const name of SETTING_NAMES) {
      properties[SETTINGS[name].key] = {
        ...properties[SETTINGS[name].key],
        defaultInfo: { environment: [SETTINGS[name].env] },
      };
    }
  }
  properties[CONNECTIONS_KEY.split(":")[1]!] = {
    type: "object",
    additionalProperties: { $ref: `#/types/${typeToken("Connection")}` },
    description:
      "Named connections (another org, data centre or API version), each complete on its own; a WatchChannel picks one with its `connection` input.",
  };
  return properties;
}

/** The package schema for `version` (the npm package's version). */
export function packageSchema(version: string): Record<string, unknown> {
  const entries = Object.entries(WATCH_CHANNEL_PROPERTIES) as [string, PropertySpec][];
  const inputs = entries.filter(([, spec]) => spec.input !== undefined);
  const types: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(OBJECT_TYPES) as [ObjectTypeName, ObjectTypeSpec][]) {
    types[typeToken(name)] = {
      type: "object",
      description: spec.description,
      properties: Object.fromEntries(
        Object.entries(spec.properties).map(([key, property]) => [
          key,
          { ...schemaType(property.type), description: property.description },
        ]),
      ),
      required: [...spec.required],
    };
  }
  types[typeToken("Connection")] = {
    type: "object",
    description: "One named connection: the settings of one org, data centre and API version.",
    properties: settingProperties(CONNECTION_SETTING_NAMES),
  };
  return {
    name: PACKAGE_NAME,
    displayName: "Zoho CRM watch channels",
    version,
    description:
      "Zoho CRM instant-notification subscriptions (watch channels) declared in code and kept subscribed by `pulumi up`.",
    keywords: ["pulumi", "zoho", "zoho-crm", "webhooks", "category/utility", "kind/native"],
    license: "Apache-2.0",
    publisher: "pulumi-zoho-watch",
    config: { variables: providerProperties(false) },
    provider: {
      description: "The zoho-watch provider: which Zoho org to act in, and with which credentials.",
      inputProperties: providerProperties(true),
    },
    // Every SDK is generated as a package of its own, versioned with this schema.
    meta: { supportPack: true },
    types,
    resources: {
      [PLUGIN_WATCH_CHANNEL_TYPE]: {
        description:
          "A Zoho CRM watch channel kept subscribed by `pulumi up`: a change of events, URL, token or options updates it in place, and so does a renewal (shown as a change of `channelExpiry`) once the channel expires within `renewBefore`.",
        properties: Object.fromEntries(entries.map(([name, spec]) => [name, resourceProperty(spec, false)])),
        required: entries
          .filter(
            ([name, spec]) =>
              spec.input === undefined ||
              spec.input.default !== undefined ||
              REQUIRED_INPUT_NAMES.includes(name as never),
          )
          .map(([name]) => name),
        inputProperties: Object.fromEntries(
          inputs.map(([name, spec]) => [name, resourceProperty(spec, true)]),
        ),
        requiredInputs: [...REQUIRED_INPUT_NAMES],
      },
    },
    language: LANGUAGE,
  };
}

/**
 * What each language's SDK is called and needs (what the generators read: toolchain/gen-sdk).
 * The Node SDK is compiled into the npm package (`pulumi-zoho-watch/plugin`); the Python one is a
 * wheel of its own; the Go one a module under sdk/go. Python asks for the `pulumi` release PyPI
 * serves here (3.272), which speaks the same protocol as the 3.276 this package builds on.
 */
const LANGUAGE = {
  nodejs: {
    packageName: "pulumi-zoho-watch-sdk",
    packageDescription:
      "Zoho CRM watch channels as Pulumi resources: the SDK of the zoho-watch provider plugin.",
    dependencies: { "@pulumi/pulumi": "^3.276.0" },
    respectSchemaVersion: true,
  },
  python: {
    packageName: "pulumi_zoho_watch",
    requires: { pulumi: ">=3.272.0,<4.0.0" },
    pyproject: { enabled: true },
    respectSchemaVersion: true,
  },
  go: {
    importBasePath: "github.com/pulumi-zoho-watch/pulumi-zoho-watch/sdk/go/zohowatch",
    generateResourceContainerTypes: true,
    respectSchemaVersion: true,
  },
};
