#!/usr/bin/env node
/**
 * `zoho-watch`: the operations CLI of pulumi-zoho-watch (the package's second bin).
 *
 *   zoho-watch status [--warn-within PT24H] [--state <file>|-] [--stack <name>] [--json]
 *   zoho-watch adopt  [--state <file>|-] [--stack <name>] [--snippet] [--door dynamic|plugin] [--format typescript|yaml]
 *   zoho-watch plugin install   (cli/plugin-install.ts)
 *
 * Settings come from a flag, else its `ZOHO_*` variable, else (run in a Pulumi project) the stack's
 * `zoho-watch:*` config; the state from `--state`, else the stack's `pulumi stack export`.
 *
 * Exit codes: 0 healthy (or adopt printed), 1 something at risk, 2 the check could not be made
 * (usage, settings, credentials, Zoho unreachable). A scheduled CI job running `status` is the
 * alert: it fails, and CI's failure notification reaches a person before a channel lapses.
 */
import "../provider/node-version"; // first: a clear error on a too old Node.js
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ZohoWatchClient, isZohoError } from "../provider/client";
import { adoptionProgram, adoptionSnippet, adoptionYaml, unmanagedChannels } from "./adopt";
import { flagOf, parseInvocation, usage, UsageError, type Invocation, type SettingName } from "./args";
import { listLiveChannels, type LiveChannel } from "./live";
import { pluginCommand, PLUGIN_USAGE } from "./plugin-install";
import {
  clientOptions,
  CONFIG_NAMESPACE,
  offsetClock,
  readSettings,
  SETTINGS,
  SettingsError,
  type ConfigSource,
  type ConnectionSettings,
} from "./provider-settings";
import { exportStack, readStackConfig, StackError, type StackContext } from "./stack";
import { judgeStatus, renderStatus } from "./status";
import { managedChannels, StateFileError, type ManagedChannel } from "./state";

/** The process's exit codes. */
export const EXIT = { healthy: 0, atRisk: 1, cannotCheck: 2 } as const;

/** Where the CLI reads and writes; the real process's streams by default, replaceable in tests. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  /** Where the Pulumi project (if any) is looked for, and `pulumi` runs. */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

/** Runs one invocation and returns its exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === "plugin") return await pluginCommand(argv.slice(1), io);
    const invocation = parseInvocation(argv);
    if (invocation.command === "help") {
      io.stdout(`${usage()}\n\n${PLUGIN_USAGE}\n`);
      return EXIT.healthy;
    }
    const stack = await readStackConfig(io.cwd, io.env, invocation.stack);
    const settings = readCliSettings(invocation, io.env, stack);
    // The state before any request to Zoho: a bad file fails first.
    const managed =
      invocation.state !== undefined
        ? await readState(invocation.state, io)
        : stack.kind === "read"
          ? managedChannels(
              await exportStack(io.cwd, io.env, stack.stack),
              `the state of stack ${stack.stack}`,
            )
          : undefined;
    // "Now" as the provider sees it: shifted by the clock offset (emulator runs only).
    const now = offsetClock(settings.clockOffsetMs)();
    const live = await fetchLiveChannels(settings, stack);
    if (invocation.command === "adopt") {
      const channels = unmanagedChannels(live, managed);
      io.stdout(
        invocation.format === "yaml"
          ? adoptionYaml(channels, now)
          : invocation.snippet
            ? adoptionSnippet(channels, now, invocation.door)
            : adoptionProgram(channels, now, invocation.door),
      );
      return EXIT.healthy;
    }
    const report = judgeStatus({
      live,
      managed,
      now,
      warnWithin: invocation.warnWithin,
      warnWithinText: invocation.warnWithinText,
    });
    io.stdout(invocation.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
    return report.healthy ? EXIT.healthy : EXIT.atRisk;
  } catch (error) {
    io.stderr(`zoho-watch: ${describe(error)}\n`);
    return EXIT.cannotCheck;
  }
}

async function readState(source: string, io: CliIo): Promise<ManagedChannel[]> {
  let text: string;
  try {
    text = source === "-" ? await io.readStdin() : await readFile(source, "utf8");
  } catch (error) {
    throw new StateFileError(`cannot read --state ${source}: ${(error as Error).message}`);
  }
  return managedChannels(text, source === "-" ? "the state on stdin" : source);
}

/**
 * The settings, each from the first of: its flag, its `ZOHO_*` variable, the stack's config. An
 * unusable one is a {@link SettingsError} whose message names all three ways.
 */
function readCliSettings(
  invocation: Invocation,
  env: NodeJS.ProcessEnv,
  stack: StackContext,
): ConnectionSettings {
  const variable = (key: string): string | undefined => {
    const setting = settingOfKey(key);
    const value = setting === undefined ? undefined : env[SETTINGS[setting].env];
    return value === undefined || value.trim() === "" ? undefined : value;
  };
  // The stack's `clockOffset: file:PATH` is relative to the project, as the provider reads it (it
  // runs there); zoho-watch may run in a subdirectory.
  const fromStack = (key: string): string | undefined => {
    if (stack.kind !== "read") return undefined;
    const value = stack.config.get(key);
    if (settingOfKey(key) !== "clockOffset" || value === undefined) return value;
    const file = /^\s*file:(.*)$/s.exec(value)?.[1];
    return file === undefined ? value : `file:${path.resolve(stack.directory, file.trim())}`;
  };
  const layered: ConfigSource = {
    get: (key) => invocation.flags.get(key) ?? variable(key) ?? fromStack(key),
  };
  try {
    return readSettings(layered, {});
  } catch (error) {
    if (error instanceof SettingsError) {
      throw new SettingsError(`${allWays(error.message)}\n${whereSettingsComeFrom(stack)}`);
    }
    throw error;
  }
}

/**
 * The provider's messages name a setting as `config zoho-watch:<key> (or ZOHO_...)`, the two ways a
 * provider takes it; the CLI names its three: `--flag, ZOHO_... or zoho-watch:<key>`.
 */
function allWays(message: string): string {
  return (Object.keys(SETTINGS) as SettingName[]).reduce(
    (text, setting) =>
      text
        .split(`config ${CONFIG_NAMESPACE}:${SETTINGS[setting].key} (or ${SETTINGS[setting].env})`)
        .join(waysOf(setting)),
    message,
  );
}

/** `--client-id, ZOHO_CLIENT_ID or zoho-watch:clientId`. */
function waysOf(setting: SettingName): string {
  return `--${flagOf(setting)}, ${SETTINGS[setting].env} or ${CONFIG_NAMESPACE}:${SETTINGS[setting].key}`;
}

function settingOfKey(key: string): SettingName | undefined {
  return (Object.keys(SETTINGS) as SettingName[]).find(
    (setting) => `${CONFIG_NAMESPACE}:${SETTINGS[setting].key}` === key,
  );
}

/** The credentials, named all three ways, for the error when some are missing. */
const CREDENTIALS = ["clientId", "clientSecret", "refreshToken"] as const;

/** The sentence every settings error ends with: the ways zoho-watch really takes a setting. */
function whereSettingsComeFrom(stack: StackContext): string {
  const where =
    stack.kind === "read"
      ? `the config of stack ${stack.stack} was read`
      : stack.kind === "unreadable"
        ? `the stack's config could not be read: ${stack.reason}`
        : "not run in a Pulumi project, so no stack config was read";
  return (
    "zoho-watch takes each setting as a flag (e.g. --client-id), an environment variable (e.g. ZOHO_CLIENT_ID), " +
    `or, run in the Pulumi project, the stack's config (e.g. ${CONFIG_NAMESPACE}:clientId; the current stack, or --stack <name>); ` +
    `${where}. See \`zoho-watch --help\`.`
  );
}

/** Names every missing credential with its flag, variable and config key; no value is ever shown. */
function requireCliCredentials(settings: ConnectionSettings, stack: StackContext): void {
  const missing = CREDENTIALS.filter((setting) => !settings[setting]);
  if (missing.length === 0) return;
  const ways = missing.map(waysOf).join("; ");
  const example = missing
    .map(
      (setting) =>
        `\`pulumi config set ${setting === "clientId" ? "" : "--secret "}${CONFIG_NAMESPACE}:${SETTINGS[setting].key} …\``,
    )
    .join(", ");
  throw new SettingsError(
    `missing Zoho credentials: ${missing.join(", ")} (${ways}); e.g. ${example} in the project\n${whereSettingsComeFrom(stack)}`,
  );
}

/** One client, so one token request, for the whole invocation. */
async function fetchLiveChannels(settings: ConnectionSettings, stack: StackContext): Promise<LiveChannel[]> {
  requireCliCredentials(settings, stack);
  const client = new ZohoWatchClient({
    ...clientOptions(settings),
    userAgent: "pulumi-zoho-watch-cli",
  });
  try {
    return await listLiveChannels(client);
  } finally {
    await client.close();
  }
}

/** One line for stderr. Zoho errors are already free of secrets (the client redacts them). */
function describe(error: unknown): string {
  if (error instanceof UsageError) return `${error.message}\nRun \`zoho-watch --help\` for usage.`;
  // Settings errors already name the flag, the variable and the config key (readCliSettings).
  if (error instanceof SettingsError) return error.message;
  if (error instanceof StateFileError || error instanceof StackError) return error.message;
  // The client's messages already say which credential or setting to check, without secrets.
  if (isZohoError(error)) return `cannot list the watch channels: ${error.message}`;
  if (error instanceof TypeError || error instanceof RangeError) return error.message;
  return `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readAll(process.stdin),
  }).then((code) => {
    process.exitCode = code;
  });
}
