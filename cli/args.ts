/**
 * Command-line arguments: `zoho-watch <command> [options]`, read with node:util parseArgs.
 *
 * The connection flags are derived from the provider's settings table, so the CLI and the provider
 * can never disagree on a setting's name: `zoho-watch:apiDomain` / `ZOHO_API_DOMAIN` is
 * `--api-domain`. A flag wins over its environment variable.
 */
import { parseArgs } from "node:util";
import { Duration } from "luxon";
import { CONFIG_NAMESPACE, SETTINGS, type ConfigSource } from "./provider-settings";

/** The commands the CLI knows. */
export const COMMANDS = ["status", "adopt"] as const;
export type Command = (typeof COMMANDS)[number];

/** Bad arguments: the message says which one and what to do. Exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** How far ahead `status` looks by default: a day, so a daily CI run warns at least once. */
export const DEFAULT_WARN_WITHIN = "PT24H";

export type SettingName = keyof typeof SETTINGS;

/** `apiDomain` → `api-domain`. */
export function flagOf(setting: SettingName): string {
  return SETTINGS[setting].key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

const CONNECTION_FLAGS = Object.fromEntries(
  (Object.keys(SETTINGS) as SettingName[]).map((setting) => [flagOf(setting), { type: "string" as const }]),
);

const OPTIONS = {
  ...CONNECTION_FLAGS,
  // No parseArgs defaults: `adopt` must be able to tell that a status-only flag was given.
  "warn-within": { type: "string" },
  state: { type: "string" },
  stack: { type: "string" },
  snippet: { type: "boolean" },
  door: { type: "string" },
  format: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parsed arguments of one invocation. */
export interface Invocation {
  command: Command | "help";
  /** Connection settings given as flags, readable like stack config (`zoho-watch:<key>`). */
  flags: ConfigSource;
  /** How far ahead `status` looks for lapsing channels. */
  warnWithin: Duration;
  /** The text given to `--warn-within`, for messages. */
  warnWithinText: string;
  /** `--state`: a file path, `-` for stdin, or undefined. */
  state: string | undefined;
  /** `--stack`: the stack whose config (and state) to read; undefined = the project's current stack. */
  stack: string | undefined;
  /** `adopt --snippet`: declarations to paste into an existing program (no imports, no top-level names). */
  snippet: boolean;
  /** `adopt --door`: declarations for the dynamic `WatchChannel` or the plugin's. */
  door: AdoptDoor;
  /** `adopt --format`: a TypeScript program (either door) or Pulumi YAML (the plugin). */
  format: AdoptFormat;
  json: boolean;
}

/** The doors `adopt` writes declarations for. */
export const ADOPT_DOORS = ["dynamic", "plugin"] as const;
export type AdoptDoor = (typeof ADOPT_DOORS)[number];

/** The languages `adopt` writes declarations in. */
export const ADOPT_FORMATS = ["typescript", "yaml"] as const;
export type AdoptFormat = (typeof ADOPT_FORMATS)[number];

/** Parses `argv` (without node and the script); throws {@link UsageError}. */
export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [commandText, ...extra] = positionals;
  if (values.help || commandText === "help") {
    return { ...defaults(), command: "help" };
  }
  // No command is a usage error, not help: a CI step that lost its arguments must not pass.
  if (commandText === undefined) throw new UsageError(`a command is needed: ${COMMANDS.join(" or ")}`);
  if (!(COMMANDS as readonly string[]).includes(commandText)) {
    throw new UsageError(`unknown command "${commandText}": use ${COMMANDS.join(" or ")}`);
  }
  const command = commandText as Command;
  if (extra.length > 0) {
    throw new UsageError(`unexpected argument "${extra[0]}" after ${command}`);
  }
  if (command === "adopt" && (values.json !== undefined || values["warn-within"] !== undefined)) {
    throw new UsageError(
      "adopt takes only --state, --stack, --snippet, --door, --format and the connection flags; --json and --warn-within belong to status",
    );
  }
  if (command === "status") {
    const adoptOnly = (["snippet", "door", "format"] as const).find((flag) => values[flag] !== undefined);
    if (adoptOnly) throw new UsageError(`--${adoptOnly} belongs to adopt`);
  }
  const { door, format } = adoptForm(values.door, values.format, values.snippet ?? false);
  if (values.stack === "") throw new UsageError("--stack needs a stack name");
  const warnWithinText = values["warn-within"] ?? DEFAULT_WARN_WITHIN;
  const warnWithin = Duration.fromISO(warnWithinText);
  if (!warnWithin.isValid || warnWithin.toMillis() < 0) {
    throw new UsageError(
      `--warn-within "${warnWithinText}" is not an ISO-8601 duration: use e.g. PT24H, P2D or P3DT12H`,
    );
  }
  if (values.state === "") throw new UsageError("--state needs a file name, or - to read stdin");

  const flagValues = values as Record<string, string | boolean | undefined>;
  const flags: ConfigSource = {
    get(key: string): string | undefined {
      const setting = (Object.keys(SETTINGS) as SettingName[]).find(
        (name) => `${CONFIG_NAMESPACE}:${SETTINGS[name].key}` === key,
      );
      const value = setting === undefined ? undefined : flagValues[flagOf(setting)];
      return typeof value === "string" ? value : undefined;
    },
  };
  return {
    command,
    flags,
    warnWithin,
    warnWithinText,
    state: values.state,
    stack: values.stack,
    snippet: values.snippet ?? false,
    door,
    format,
    json: values.json ?? false,
  };
}

/**
 * `--door` and `--format` of adopt. YAML programs reach only the plugin, so `--format yaml` means
 * `--door plugin`; and its output is already entries to merge into Pulumi.yaml, so `--snippet`
 * (a TypeScript block without imports) has no YAML form.
 */
function adoptForm(
  doorText: string | undefined,
  formatText: string | undefined,
  snippet: boolean,
): { door: AdoptDoor; format: AdoptFormat } {
  if (formatText !== undefined && !(ADOPT_FORMATS as readonly string[]).includes(formatText)) {
    throw new UsageError(`--format "${formatText}": use ${ADOPT_FORMATS.join(" or ")}`);
  }
  if (doorText !== undefined && !(ADOPT_DOORS as readonly string[]).includes(doorText)) {
    throw new UsageError(`--door "${doorText}": use ${ADOPT_DOORS.join(" or ")}`);
  }
  const format = (formatText ?? "typescript") as AdoptFormat;
  if (format === "yaml") {
    if (doorText === "dynamic") {
      throw new UsageError(
        "--door dynamic --format yaml: the dynamic WatchChannel lives in TypeScript or JavaScript programs only; YAML programs use the plugin (--format yaml alone)",
      );
    }
    if (snippet) {
      throw new UsageError(
        "--snippet is for TypeScript: --format yaml already prints config and resources entries to merge into Pulumi.yaml",
      );
    }
    return { door: "plugin", format };
  }
  return { door: (doorText ?? "dynamic") as AdoptDoor, format };
}

function defaults(): Omit<Invocation, "command"> {
  return {
    flags: { get: () => undefined },
    warnWithin: Duration.fromISO(DEFAULT_WARN_WITHIN),
    warnWithinText: DEFAULT_WARN_WITHIN,
    state: undefined,
    stack: undefined,
    snippet: false,
    door: "dynamic",
    format: "typescript",
    json: false,
  };
}

/** The help text, with every connection flag and its variable. */
export function usage(): string {
  const connection = (Object.keys(SETTINGS) as SettingName[])
    .map(
      (setting) =>
        `  --${flagOf(setting).padEnd(18)} ${SETTINGS[setting].env.padEnd(24)} ${CONFIG_NAMESPACE}:${SETTINGS[setting].key}`,
    )
    .join("\n");
  return `Usage:
  zoho-watch status [--warn-within <ISO duration, default PT24H>] [--state <file>|-] [--stack <name>] [--json]
  zoho-watch adopt  [--state <file>|-] [--stack <name>] [--snippet] [--door dynamic|plugin]
                    [--format typescript|yaml]

status   lists the org's live watch channels and says which are at risk: lapsing within
         --warn-within, or (given the stack's state) managed channels that are missing, whose token
         is null, or whose URL or events differ from the state.
         Exit 0 healthy, 1 something at risk, 2 the check could not be made (usage, settings,
         credentials, Zoho unreachable).
adopt    prints WatchChannel declarations for the live channels the stack does not manage (a state
         of either door counts): TypeScript, a program file of its own, or with --snippet a block to
         paste into the existing program (it needs that program's imports of @pulumi/pulumi and the
         WatchChannel). --door plugin declares the plugin's WatchChannel
         (pulumi-zoho-watch/plugin) instead of the dynamic one; --format yaml prints config and
         resources entries for a Pulumi YAML program (the plugin's).

The stack: run in a Pulumi project, zoho-watch reads the current stack's (or --stack <name>'s)
zoho-watch:* config with \`pulumi config --json --show-secrets\` and, unless --state is given, its
state with \`pulumi stack export --show-secrets\`; decrypted values are never printed.
--state takes the JSON of \`pulumi stack export\` instead: a file, or - for stdin.

Connection settings, each from (first found) a flag, its environment variable, or the stack's
config key zoho-watch:<name>:
${connection}
Prefer the stack's config or the variables for the client secret and refresh token: a command line
is visible to other processes.`;
}
