/**
 * `zoho-watch adopt`: `WatchChannel` declarations for live channels a stack does not manage — the
 * stand-in for `pulumi import`, which dynamic providers cannot offer (pulumi/pulumi#16175). For
 * either door: the dynamic `WatchChannel` (TypeScript), or the plugin's (TypeScript through
 * `pulumi-zoho-watch/plugin`, or Pulumi YAML), where `pulumi import` is the other way, named too.
 *
 * Each declaration repeats what Zoho holds (id, events, URL, condition, options) and sets
 * `adopt: true`, so the next `pulumi up` takes the live channel over instead of refusing it. What
 * must not be printed is left to stack config: the token always (Zoho's is a secret, and a null one
 * should not be kept), and a notify URL that carries credentials (user info or a query string).
 */
import type { DateTime } from "luxon";
import type { AdoptDoor } from "./args";
import { eventsByModule } from "./events";
import { PLUGIN_WATCH_CHANNEL_TYPE } from "../provider/channel/resource-type";
import { urlHoldsCredentials, type LiveChannel } from "./live";
import type { ManagedChannel } from "./state";

/** The config keys a declaration reads, so the printed instructions and the code agree. */
export function configKeys(channelId: string): { token: string; notifyUrl: string } {
  return { token: `token-${channelId}`, notifyUrl: `notifyUrl-${channelId}` };
}

/** The live channels that no resource of the stack manages (all of them without a state). */
export function unmanagedChannels(
  live: readonly LiveChannel[],
  managed: readonly ManagedChannel[] | undefined,
): LiveChannel[] {
  const ids = new Set((managed ?? []).map((channel) => channel.channelId));
  return live.filter((channel) => !ids.has(channel.channelId));
}

/** The `pulumi config set` lines (as comments) for the secrets the declarations read. */
function setupComments(channels: readonly LiveChannel[]): string[] {
  return channels.flatMap((channel) => {
    const keys = configKeys(channel.channelId);
    const commands = [`//   pulumi config set --secret ${keys.token} <the token your receiver expects>`];
    if (urlHoldsCredentials(channel.notifyUrl)) {
      commands.push(
        `//   pulumi config set --secret ${keys.notifyUrl} <the notify URL, with its credentials>`,
      );
    }
    return commands;
  });
}

function stamp(generatedAt: DateTime): string {
  return generatedAt.toUTC().startOf("second").toISO({ suppressMilliseconds: true }) ?? "";
}

function nothingToAdopt(generatedAt: DateTime): string {
  return `// zoho-watch adopt at ${stamp(generatedAt)}: every live channel is managed by the stack; nothing to adopt.\n`;
}

function heading(channels: readonly LiveChannel[], generatedAt: DateTime): string {
  return `// zoho-watch adopt at ${stamp(generatedAt)}: ${channels.length} live channel${channels.length === 1 ? "" : "s"} this stack does not manage.`;
}

/**
 * A complete, compilable program declaring `channels`, with its own imports and `config`: a new
 * program, or a file of its own next to the existing one. To paste into an existing program, use
 * {@link adoptionSnippet} (pasted there, these imports and `const config` would be declared twice).
 */
export function adoptionProgram(
  channels: readonly LiveChannel[],
  generatedAt: DateTime,
  door: AdoptDoor = "dynamic",
): string {
  if (channels.length === 0) return nothingToAdopt(generatedAt);
  const lines = [
    heading(channels, generatedAt),
    "// A program of its own (to paste into an existing program, run `zoho-watch adopt --snippet`);",
    "// `adopt: true` lets the next `pulumi up` take each live channel over (its details are rewritten",
    "// as declared here) instead of refusing it. Set the secrets first:",
    ...setupComments(channels),
    ...importComments(channels, door, "//"),
    'import * as pulumi from "@pulumi/pulumi";',
    DOORS[door].importLine,
    "",
    "const config = new pulumi.Config();",
    "",
  ];
  for (const channel of channels) lines.push(...declaration(channel, "config", door), "");
  return `${lines.join("\n").trimEnd()}\n`;
}

/** What each door's TypeScript declarations import and construct. */
const DOORS: Record<AdoptDoor, { importLine: string; imports: string; constructor: string }> = {
  dynamic: {
    importLine: 'import { WatchChannel } from "pulumi-zoho-watch";',
    imports: '`{ WatchChannel }` from "pulumi-zoho-watch"',
    constructor: "WatchChannel",
  },
  plugin: {
    importLine: 'import * as zoho from "pulumi-zoho-watch/plugin";',
    imports: '`* as zoho` from "pulumi-zoho-watch/plugin"',
    constructor: "zoho.WatchChannel",
  },
};

/**
 * The plugin's other way to take a channel over: `pulumi import`, which stores the live channel as
 * it is (no rewrite) and prints its own declaration.
 */
function importComments(channels: readonly LiveChannel[], door: AdoptDoor, comment: string): string[] {
  if (door !== "plugin") return [];
  return [
    `${comment} Or take each over as it is with \`pulumi import\` (then leave its declaration below out):`,
    ...channels.map(
      (channel) => `${comment}   pulumi import ${PLUGIN_TYPE} ${resourceName(channel)} ${channel.channelId}`,
    ),
  ];
}

/** The plugin's WatchChannel type token, as `pulumi import` takes it. */
const PLUGIN_TYPE = PLUGIN_WATCH_CHANNEL_TYPE;

/** The name a printed declaration gives the channel's resource. */
function resourceName(channel: LiveChannel): string {
  return `channel-${channel.channelId}`;
}

/** The name the snippet's block gives its config object: unlikely to shadow one of the program's. */
const SNIPPET_CONFIG = "adoptedConfig";

/**
 * The declarations as one block to paste into an existing program (`adopt --snippet`). It declares
 * nothing at the top level: its config object lives inside the block, so a program that already
 * has `const config` (or any other name) compiles unchanged, and it relies on the imports such a
 * program already has (`pulumi` from `@pulumi/pulumi`, `WatchChannel` from `pulumi-zoho-watch`),
 * which a paste must not repeat.
 */
export function adoptionSnippet(
  channels: readonly LiveChannel[],
  generatedAt: DateTime,
  door: AdoptDoor = "dynamic",
): string {
  if (channels.length === 0) return nothingToAdopt(generatedAt);
  const lines = [
    heading(channels, generatedAt),
    '// Paste into the stack\'s program, which imports `* as pulumi` from "@pulumi/pulumi" and',
    `// ${DOORS[door].imports}; \`adopt: true\` lets the next \`pulumi up\` take each`,
    "// live channel over (its details are rewritten as declared here). Set the secrets first:",
    ...setupComments(channels),
    ...importComments(channels, door, "//"),
    "{",
    `  const ${SNIPPET_CONFIG} = new pulumi.Config();`,
  ];
  for (const channel of channels) {
    const text = declaration(channel, SNIPPET_CONFIG, door).join("\n");
    lines.push("", ...text.split("\n").map((line) => `  ${line}`));
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function declaration(channel: LiveChannel, config: string, door: AdoptDoor): string[] {
  const keys = configKeys(channel.channelId);
  const name = resourceName(channel);
  const url = urlHoldsCredentials(channel.notifyUrl)
    ? `${config}.requireSecret(${literal(keys.notifyUrl)}), // the live URL holds credentials: not printed`
    : `${literal(channel.notifyUrl)},`;
  const lines = [
    `new ${DOORS[door].constructor}(${literal(name)}, {`,
    `  channelId: ${literal(channel.channelId)},`,
    `  events: ${literal(compactEvents(channel.events))},`,
    `  notifyUrl: ${url}`,
    `  token: ${config}.requireSecret(${literal(keys.token)}),${channel.token === null ? " // Zoho holds none now (a PATCH without a token clears it)" : ""}`,
  ];
  if (channel.notifyOnRelatedAction !== undefined) {
    lines.push(`  notifyOnRelatedAction: ${channel.notifyOnRelatedAction},`);
  }
  if (channel.returnAffectedFieldValues !== undefined) {
    lines.push(`  returnAffectedFieldValues: ${channel.returnAffectedFieldValues},`);
  }
  if (channel.notificationCondition && channel.notificationCondition.length > 0) {
    lines.push(`  notificationCondition: ${literal(channel.notificationCondition, "  ")},`);
  }
  lines.push("  adopt: true,", "});");
  return lines;
}

/**
 * The plugin's declarations in Pulumi YAML: `config` and `resources` entries to merge into the
 * project's Pulumi.yaml (whole, they are a Pulumi.yaml's body). The secrets stay in stack config,
 * declared as secret config the resources read.
 */
export function adoptionYaml(channels: readonly LiveChannel[], generatedAt: DateTime): string {
  if (channels.length === 0) return `#${nothingToAdopt(generatedAt).slice(2)}`;
  const shell = setupComments(channels).map((line) => `#${line.slice(2)}`);
  const lines = [
    `#${heading(channels, generatedAt).slice(2)}`,
    "# Merge these config and resources entries into the project's Pulumi.yaml (with its plugins entry",
    "# for zoho-watch: docs/plugin.md); `adopt: true` lets the next `pulumi up` take each live channel",
    "# over (its details are rewritten as declared here) instead of refusing it. Set the secrets first:",
    ...shell,
    ...importComments(channels, "plugin", "#"),
    "config:",
  ];
  for (const channel of channels) {
    const keys = configKeys(channel.channelId);
    const secrets = [keys.token, ...(urlHoldsCredentials(channel.notifyUrl) ? [keys.notifyUrl] : [])];
    for (const key of secrets) lines.push(`  ${key}:`, "    type: string", "    secret: true");
  }
  lines.push("resources:");
  for (const channel of channels) {
    const keys = configKeys(channel.channelId);
    const url = urlHoldsCredentials(channel.notifyUrl)
      ? `\${${keys.notifyUrl}} # the live URL holds credentials: not printed`
      : JSON.stringify(channel.notifyUrl);
    lines.push(
      `  ${resourceName(channel)}:`,
      "    type: zoho-watch:WatchChannel",
      "    properties:",
      `      channelId: ${JSON.stringify(channel.channelId)}`,
      `      events: ${JSON.stringify(compactEvents(channel.events))}`,
      `      notifyUrl: ${url}`,
      `      token: \${${keys.token}}${channel.token === null ? " # Zoho holds none now (a PATCH without a token clears it)" : ""}`,
    );
    if (channel.notifyOnRelatedAction !== undefined) {
      lines.push(`      notifyOnRelatedAction: ${channel.notifyOnRelatedAction}`);
    }
    if (channel.returnAffectedFieldValues !== undefined) {
      lines.push(`      returnAffectedFieldValues: ${channel.returnAffectedFieldValues}`);
    }
    if (channel.notificationCondition && channel.notificationCondition.length > 0) {
      // JSON is YAML's flow style: one line, exactly what Zoho holds.
      lines.push(`      notificationCondition: ${JSON.stringify(channel.notificationCondition)}`);
    }
    lines.push("      adopt: true");
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Zoho lists `Deals.all` as its three operations; write them back as `Deals.all` (the provider
 * compares events that way too), keeping Zoho's module order.
 */
export function compactEvents(events: readonly string[]): string[] {
  const byModule = eventsByModule(events);
  return Object.entries(byModule).flatMap(([module, operations]) =>
    ["create", "edit", "delete"].every((op) => operations.includes(op))
      ? [`${module}.all`]
      : operations.map((op) => `${module}.${op}`),
  );
}

/**
 * A TypeScript literal in the style of a hand-written program: strings quoted as JSON, object keys
 * bare when they are identifiers, short arrays of strings on one line.
 */
function literal(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === "string"))
      return `[${value.map((item) => JSON.stringify(item)).join(", ")}]`;
    const inner = indent + "  ";
    return `[\n${value.map((item) => `${inner}${literal(item, inner)},`).join("\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const inner = indent + "  ";
    const entries = Object.entries(value).map(
      ([key, item]) =>
        `${inner}${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${literal(item, inner)},`,
    );
    return `{\n${entries.join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}
