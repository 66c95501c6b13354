/**
 * Connection settings: where the provider finds Zoho and which credentials it uses.
 *
 * They come from stack config (namespace `zoho-watch`) through the dynamic provider's `configure`
 * hook, with environment variables as the fallback, and are read in the provider process at run
 * time. Nothing here is ever captured into the serialized provider, so no credential lands in the
 * `__provider` text of the state (pulumi/pulumi#8265).
 */
import { DATA_CENTRE_NAMES, type DataCentre, type ZohoEnvironment } from "../zoho/data-centres";
import type { ZohoWatchClientOptions } from "../client/options";
import { API_VERSIONS, DEFAULT_API_VERSION, type ApiVersion } from "../zoho/rules";
import { isLoopbackUrl, resolveClockOffset } from "./emulator-clock";
import { CLOCK_OFFSET_ENV, parseDuration } from "../channel/expiry";
import { nameMeant } from "../channel/names";

export { API_VERSIONS, DEFAULT_API_VERSION, type ApiVersion };

/** The config namespace: keys are `zoho-watch:<key>`. */
export const CONFIG_NAMESPACE = "zoho-watch";

/**
 * Every setting: its config key, its environment variable (read when the key is not set), whether
 * it is a secret, and the sentence that documents it (in docs and in the plugin's schema).
 */
export const SETTINGS = {
  dataCentre: {
    key: "dataCentre",
    env: "ZOHO_DATA_CENTRE",
    description: `The Zoho data centre of the org: ${DATA_CENTRE_NAMES.join(", ")} (default US).`,
  },
  environment: {
    key: "environment",
    env: "ZOHO_ENVIRONMENT",
    description: "production (default), sandbox or developer.",
  },
  accountsUrl: {
    key: "accountsUrl",
    env: "ZOHO_ACCOUNTS_URL",
    description: "Zoho's OAuth server, when not the data centre's (the emulator's URL, for example).",
  },
  apiDomain: {
    key: "apiDomain",
    env: "ZOHO_API_DOMAIN",
    description: "Zoho's API server, when not the data centre's (the emulator's URL, for example).",
  },
  apiVersion: {
    key: "apiVersion",
    env: "ZOHO_API_VERSION",
    description: `The Zoho CRM API version the channels are written with: ${API_VERSIONS.join(", ")} (default ${DEFAULT_API_VERSION}).`,
  },
  clientId: { key: "clientId", env: "ZOHO_CLIENT_ID", description: "The OAuth client id." },
  clientSecret: {
    key: "clientSecret",
    env: "ZOHO_CLIENT_SECRET",
    description: "The OAuth client secret.",
    secret: true,
  },
  refreshToken: {
    key: "refreshToken",
    env: "ZOHO_REFRESH_TOKEN",
    description: "An OAuth refresh token with the ZohoCRM.notifications.ALL scope (and ZohoCRM.org.READ).",
    secret: true,
  },
  concurrency: {
    key: "concurrency",
    env: "ZOHO_CONCURRENCY",
    description: "How many requests to Zoho may be in flight at once.",
    type: "integer",
  },
  /** How long one API operation may take, retries and Retry-After waits included (ISO-8601). */
  operationTimeout: {
    key: "operationTimeout",
    env: "ZOHO_OPERATION_TIMEOUT",
    description:
      "How long one API operation may take, retries and Zoho's Retry-After waits included: an ISO-8601 duration of at most PT1H.",
  },
  /** Emulator runs only: shifts the provider's clock (see {@link CLOCK_OFFSET_ENV}). */
  clockOffset: {
    key: "clockOffset",
    env: CLOCK_OFFSET_ENV,
    description:
      "Emulator runs only: an ISO-8601 duration added to the provider's clock, or file:PATH to follow the emulator's clock file.",
  },
} as const satisfies Record<
  string,
  { key: string; env: string; description: string; secret?: true; type?: "integer" }
>;

/** The name of a setting (`SETTINGS` key). */
export type SettingName = keyof typeof SETTINGS;

/**
 * Where each setting is read from, as documented: its stack config key and the environment
 * variable used when the config key is not set.
 */
export const SETTING_NAMES: Readonly<Record<SettingName, { config: string; env: string }>> = Object.freeze(
  Object.fromEntries(
    Object.entries(SETTINGS).map(([name, { key, env }]) => [
      name,
      Object.freeze({ config: `${CONFIG_NAMESPACE}:${key}`, env }),
    ]),
  ) as Record<SettingName, { config: string; env: string }>,
);

/** Resolved connection settings. Credentials stay optional here: only API calls need them. */
export interface ConnectionSettings {
  dataCentre: DataCentre;
  environment: ZohoEnvironment;
  accountsUrl?: string | undefined;
  apiDomain?: string | undefined;
  apiVersion: ApiVersion;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  refreshToken?: string | undefined;
  concurrency?: number | undefined;
  /** Deadline of one API operation; the client's default (60 s) when undefined. */
  operationTimeoutMs?: number | undefined;
  /** Milliseconds added to the provider's clock; 0 unless `zoho-watch:clockOffset` is set. */
  clockOffsetMs: number;
}

/** What `configure` hands us: `get(key)` on the stack config. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Raised for a setting that is present but unusable; names the config key and the variable. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/** Reads the settings from stack config, falling back to the environment. */
export function readSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionSettings {
  const read = (setting: SettingName): string | undefined => {
    const { key, env: variable } = SETTINGS[setting];
    const value = config?.get(`${CONFIG_NAMESPACE}:${key}`) ?? env[variable];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const where = (setting: SettingName) =>
    `config ${CONFIG_NAMESPACE}:${SETTINGS[setting].key} (or ${SETTINGS[setting].env})`;

  const connection = parseConnection(read, where);
  const clockOffsetText = read("clockOffset");
  if (clockOffsetText === undefined) return { ...connection, clockOffsetMs: 0 };
  // An offset is for the emulator only: against a real Zoho org the clock stays the real one.
  const servers = [connection.accountsUrl, connection.apiDomain].filter((url) => url !== undefined);
  if (connection.accountsUrl === undefined || !servers.every(isLoopbackUrl)) {
    throw new SettingsError(
      `${where("clockOffset")} is set, but Zoho is reached beyond this machine: the clock offset is for the emulator only (accountsUrl and apiDomain on 127.0.0.1 or localhost); unset it against a real Zoho org`,
    );
  }
  const offset = resolveClockOffset(clockOffsetText);
  if (!offset.ok) {
    throw new SettingsError(`${where("clockOffset")} is "${clockOffsetText}": ${offset.reason}`);
  }
  return { ...connection, clockOffsetMs: offset.offsetMs };
}

/** The settings one connection is made of (all but the clock). */
type ConnectionSetting = Exclude<SettingName, "clockOffset">;

/** Validates one connection's settings, read through `read`; `where` names a setting in errors. */
function parseConnection(
  read: (setting: ConnectionSetting) => string | undefined,
  where: (setting: ConnectionSetting) => string,
): Omit<ConnectionSettings, "clockOffsetMs"> {
  const dataCentreText = (read("dataCentre") ?? "US").toUpperCase();
  if (!(DATA_CENTRE_NAMES as string[]).includes(dataCentreText)) {
    throw new SettingsError(
      `${where("dataCentre")} is "${dataCentreText}": use one of ${DATA_CENTRE_NAMES.join(", ")}`,
    );
  }
  const environment = (read("environment") ?? "production").toLowerCase();
  if (!["production", "sandbox", "developer"].includes(environment)) {
    throw new SettingsError(
      `${where("environment")} is "${environment}": use production, sandbox or developer`,
    );
  }
  const apiVersion = read("apiVersion") ?? DEFAULT_API_VERSION;
  if (!(API_VERSIONS as readonly string[]).includes(apiVersion)) {
    throw new SettingsError(
      `${where("apiVersion")} is "${apiVersion}": use one of ${API_VERSIONS.join(", ")}`,
    );
  }
  const concurrencyText = read("concurrency");
  const concurrency = concurrencyText === undefined ? undefined : Number(concurrencyText);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new SettingsError(`${where("concurrency")} must be a whole number of at least 1`);
  }
  const operationTimeoutText = read("operationTimeout");
  const operationTimeout =
    operationTimeoutText === undefined ? undefined : parseDuration(operationTimeoutText)?.toMillis();
  if (
    operationTimeoutText !== undefined &&
    (operationTimeout === undefined || operationTimeout > MAX_OPERATION_TIMEOUT_MS)
  ) {
    throw new SettingsError(
      `${where("operationTimeout")} is "${operationTimeoutText}": use an ISO-8601 duration of at most PT1H, such as PT5M`,
    );
  }
  for (const setting of ["accountsUrl", "apiDomain"] as const) {
    const value = read(setting);
    if (value !== undefined && !isHttpUrl(value)) {
      throw new SettingsError(
        `${where(setting)} is not an http(s) URL; use e.g. https://accounts.zoho.eu, or leave it out to use the data centre's`,
      );
    }
  }
  return {
    dataCentre: dataCentreText as DataCentre,
    environment: environment as ZohoEnvironment,
    accountsUrl: read("accountsUrl"),
    apiDomain: read("apiDomain"),
    apiVersion: apiVersion as ApiVersion,
    clientId: read("clientId"),
    clientSecret: read("clientSecret"),
    refreshToken: read("refreshToken"),
    concurrency,
    operationTimeoutMs: operationTimeout,
  };
}

/**
 * The longest `operationTimeout`: a run waits this long at most for one call (Zoho's Retry-After
 * included), which is already longer than a scheduled CI job should hang on one channel.
 */
const MAX_OPERATION_TIMEOUT_MS = 3_600_000;

/** The structured config key holding named connections. */
export const CONNECTIONS_KEY = `${CONFIG_NAMESPACE}:connections`;

/** The settings a named connection may hold: every connection setting, none from the environment. */
const CONNECTION_FIELDS = Object.keys(SETTINGS).filter((key) => key !== "clockOffset") as ConnectionSetting[];

/**
 * Named connections from the structured config `zoho-watch:connections`: one entry per org or API
 * version, each complete on its own (nothing is inherited from the unnamed settings or the
 * environment, so one org's credentials never leak into another's connection), e.g.
 *
 *     zoho-watch:connections:
 *       emea: { dataCentre: EU, apiVersion: v8, clientId: ..., clientSecret: {secure: ...}, refreshToken: {secure: ...} }
 *
 * A resource picks one with its `connection` input; without one it uses the unnamed settings.
 */
export function readConnections(config: ConfigSource | undefined): Record<string, ConnectionSettings> {
  const raw: unknown = config?.get(CONNECTIONS_KEY);
  if (raw === undefined || raw === "") return {};
  let parsed: unknown = raw;
  if (typeof raw === "string") {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new SettingsError(
        `config ${CONNECTIONS_KEY} is not an object; set it with \`pulumi config set --path '${CONNECTIONS_KEY}.<name>.dataCentre' EU\``,
      );
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new SettingsError(
      `config ${CONNECTIONS_KEY} must be an object of named connections, e.g. { emea: { dataCentre: EU, ... } }`,
    );
  }
  const connections: Record<string, ConnectionSettings> = {};
  for (const [name, entry] of Object.entries(parsed)) {
    const at = `config ${CONNECTIONS_KEY}.${name}`;
    if (!CONNECTION_NAME.test(name)) {
      throw new SettingsError(
        `${at}: a connection name starts with a letter and holds letters, digits, - and _`,
      );
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      throw new SettingsError(`${at} must be an object of settings (${CONNECTION_FIELDS.join(", ")})`);
    }
    const fields = entry as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (!(CONNECTION_FIELDS as string[]).includes(key)) {
        const near = nameMeant(key, CONNECTION_FIELDS);
        throw new SettingsError(
          `${at}.${key} is not a connection setting${near ? `; did you mean ${near}?` : `; use ${CONNECTION_FIELDS.join(", ")}`}`,
        );
      }
    }
    const read = (setting: ConnectionSetting): string | undefined => {
      const value = fields[setting];
      if (value === undefined || value === null) return undefined;
      const text =
        typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : undefined;
      if (text === undefined) throw new SettingsError(`${at}.${setting} must be a string`);
      return text === "" ? undefined : text;
    };
    connections[name] = { ...parseConnection(read, (setting) => `${at}.${setting}`), clockOffsetMs: 0 };
  }
  return connections;
}

const CONNECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Problems with the `zoho-watch:*` keys of a stack's config: any key that names no setting, with
 * the setting it most probably meant (`zoho-watch:clientid` → `zoho-watch:clientId`). A misspelt
 * key would otherwise be ignored and its setting taken from the environment or its default.
 */
export function unknownSettingKeys(keys: Iterable<string>): string[] {
  const known = [...Object.values(SETTINGS).map((s) => s.key as string), "connections"];
  const problems: string[] = [];
  for (const full of keys) {
    if (!full.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
    const key = full.slice(CONFIG_NAMESPACE.length + 1);
    if (known.includes(key)) continue;
    const near = nameMeant(key, known);
    problems.push(
      `config ${full} is not a setting of zoho-watch${near ? `; did you mean ${CONFIG_NAMESPACE}:${near}?` : `; the settings are ${known.join(", ")}`}`,
    );
  }
  return problems;
}

/** Throws a clear error naming every missing credential; API calls need all three. */
export function requireCredentials(
  settings: ConnectionSettings,
  connection?: string,
): {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
} {
  const missing = (["clientId", "clientSecret", "refreshToken"] as const).filter((s) => !settings[s]);
  // The client id is not a secret; the client secret and the refresh token are.
  const secret = (s: (typeof missing)[number]) => (s === "clientId" ? "" : " --secret");
  if (missing.length > 0 && connection !== undefined) {
    const list = missing.map((s) => `${CONNECTIONS_KEY}.${connection}.${s}`);
    throw new SettingsError(
      `missing Zoho credentials of connection "${connection}": set ${list.join(", ")}; e.g. \`pulumi config set --path${secret(missing[0]!)} '${list[0]!}' ...\``,
    );
  }
  if (missing.length > 0) {
    const list = missing.map((s) => `${CONFIG_NAMESPACE}:${SETTINGS[s].key} (or ${SETTINGS[s].env})`);
    throw new SettingsError(
      `missing Zoho credentials: set ${list.join(", ")}; e.g. \`pulumi config set${secret(missing[0]!)} ${CONFIG_NAMESPACE}:${SETTINGS[missing[0]!].key} ...\``,
    );
  }
  return {
    clientId: settings.clientId!,
    clientSecret: settings.clientSecret!,
    refreshToken: settings.refreshToken!,
  };
}

/**
 * The client options a connection's settings give: its credentials (required, see
 * {@link requireCredentials}), where to reach Zoho, the API version and the concurrency limit. The
 * provider, the `zoho-watch` CLI and the live run build their clients from this one mapping, so
 * they reach Zoho the same way; each adds what is its own (a clock, a user agent).
 */
export function clientOptions(settings: ConnectionSettings, connection?: string): ZohoWatchClientOptions {
  return {
    credentials: requireCredentials(settings, connection),
    dataCentre: settings.dataCentre,
    environment: settings.environment,
    accountsUrl: settings.accountsUrl,
    apiDomain: settings.apiDomain,
    apiVersion: settings.apiVersion,
    concurrency: settings.concurrency,
    ...(settings.operationTimeoutMs === undefined
      ? {}
      : { timeouts: { operationMs: settings.operationTimeoutMs } }),
  };
}
