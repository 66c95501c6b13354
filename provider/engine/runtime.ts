/**
 * The provider runtime: everything one provider process needs, built once by `configure`.
 *
 * Pulumi starts one dynamic-provider process per operation. In it, a {@link ProviderRuntime} holds
 * the connection settings, the clock, the batching client (one token request per run, whatever the
 * number of channels) and the run's {@link RunMemory}. The lifecycle's functions take it as their
 * first argument; nothing else in `provider/` keeps state between calls.
 */
import { ZohoWatchClient } from "../client/client";
import { BatchingWatchClient } from "./batcher";
import { offsetClock, type Clock } from "../channel/expiry";
import { RunMemory, type ChannelMemory } from "./run-memory";
import { resolveEndpoints } from "../zoho/data-centres";
import {
  CONNECTIONS_KEY,
  readConnections,
  readSettings,
  clientOptions,
  SettingsError,
  type ConfigSource,
  type ConnectionSettings,
} from "./settings";

/** What a runtime is built from; tests inject a clock, the provider process reads settings. */
export interface RuntimeOptions {
  /** The unnamed connection (and the clock offset). */
  settings: ConnectionSettings;
  /** Named connections (`zoho-watch:connections`), selected per resource by its `connection` input. */
  connections?: Record<string, ConnectionSettings>;
  /** Default: real time shifted by `settings.clockOffsetMs`. */
  clock?: Clock;
}

/**
 * One provider process's settings, clock, clients and per-run memory. Each connection (the unnamed
 * one, and every named one) gets its own client: its own access token and concurrency limit.
 */
export class ProviderRuntime {
  readonly settings: ConnectionSettings;
  readonly connections: Readonly<Record<string, ConnectionSettings>>;
  readonly clock: Clock;
  readonly memory = new RunMemory();
  /**
   * The stored inputs `check` was given per connection and channel id. The engine checks a
   * replacement (a renewal) a second time with no old inputs; this is how that second check still
   * knows which values the stack already held.
   */
  readonly heldInputs = new Map<string, Record<string, unknown>>();
  private readonly clients = new Map<string, BatchingWatchClient>();
  private readonly scopes = new Map<string, ChannelMemory>();
  private readonly endpoints = new Map<string, string>();
  private readonly orgs = new Map<string, Promise<string>>();

  constructor(options: RuntimeOptions) {
    this.settings = options.settings;
    this.connections = options.connections ?? {};
    this.clock = options.clock ?? offsetClock(options.settings.clockOffsetMs);
  }

  /** Builds a runtime from stack config, with the `ZOHO_*` environment as the fallback. */
  static fromConfig(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ProviderRuntime {
    return new ProviderRuntime({ settings: readSettings(config, env), connections: readConnections(config) });
  }

  /**
   * The settings of a connection: the unnamed one for undefined, else the named one. An unknown name
   * is an error naming the config key (`check` reports it against the resource first).
   */
  connection(name?: string): ConnectionSettings {
    if (name === undefined) return this.settings;
    const found = this.connections[name];
    if (!found) throw new SettingsError(unknownConnectionReason(name, this.connections));
    return found;
  }

  /** The batching client of a connection; built on first use (previews need no credentials). */
  zoho(connection?: string): BatchingWatchClient {
    const key = connection ?? "";
    let client = this.clients.get(key);
    if (!client) {
      const settings = this.connection(connection);
      client = new BatchingWatchClient(
        new ZohoWatchClient({
          ...clientOptions(settings, connection),
          // The client checks expiries against the provider's clock, shifted like it.
          clock: this.clock,
        }),
        { clock: this.clock, memory: this.channels(connection) },
      );
      this.clients.set(key, client);
    }
    return client;
  }

  /** The run's memory of the channels of the endpoint a connection resolves to. */
  channels(connection?: string): ChannelMemory {
    const key = connection ?? "";
    let memory = this.scopes.get(key);
    if (!memory) {
      memory = this.memory.scope(this.endpointOf(connection));
      this.scopes.set(key, memory);
    }
    return memory;
  }

  /** The endpoint (accounts server and API domain) a connection resolves to: its data centre. */
  endpointOf(connection?: string): string {
    const key = connection ?? "";
    let endpoint = this.endpoints.get(key);
    if (endpoint === undefined) {
      // Resolved once per connection: every diff, create and delete asks.
      const settings = this.connection(connection);
      const { accountsUrl, apiDomain } = resolveEndpoints({
        dataCentre: settings.dataCentre,
        environment: settings.environment,
        accountsUrl: settings.accountsUrl,
        apiDomain: settings.apiDomain,
      });
      endpoint = `${accountsUrl} ${apiDomain}`;
      this.endpoints.set(key, endpoint);
    }
    return endpoint;
  }

  /**
   * The id of the org a connection's credentials act in, asked of Zoho (`GET /crm/{version}/org`)
   * at most once per connection per run; a failure is kept too, so every delete that needs that org
   * fails alike instead of asking again. Only the delete decision asks (see org-scope.ts).
   */
  orgOf(connection?: string): Promise<string> {
    const key = connection ?? "";
    let org = this.orgs.get(key);
    if (!org) {
      org = this.zoho(connection)
        .org()
        .then(
          (answer) => answer.id,
          (error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(`Zoho did not say which org ${connectionLabel(connection)} acts in: ${message}`);
          },
        );
      this.orgs.set(key, org);
    }
    return org;
  }

  /** Whether another reading of the config connects the same way (then `configure` keeps this runtime). */
  sameSettings(settings: ConnectionSettings, connections: Record<string, ConnectionSettings> = {}): boolean {
    return (
      JSON.stringify(this.settings) === JSON.stringify(settings) &&
      JSON.stringify(this.connections) === JSON.stringify(connections)
    );
  }

  /**
   * Sends whatever is queued and closes every client; with `abort` (the process is being stopped),
   * calls in flight fail at once instead of being waited for.
   */
  async close(options: { abort?: boolean } = {}): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close(options)));
  }
}

/** How messages name a connection: `connection "emea"`, or the unnamed settings. */
export function connectionLabel(connection?: string): string {
  return connection === undefined || connection === ""
    ? "the unnamed connection (zoho-watch:* settings)"
    : `connection "${connection}"`;
}

/** Why a connection name is unusable, naming the config key and the names that exist. */
export function unknownConnectionReason(
  name: string,
  connections: Readonly<Record<string, unknown>>,
): string {
  const names = Object.keys(connections);
  return (
    `connection "${name}" is not among the named connections in config ${CONNECTIONS_KEY}` +
    (names.length > 0 ? ` (${names.join(", ")})` : " (none are set)") +
    `; add it with \`pulumi config set --path '${CONNECTIONS_KEY}.${name}.dataCentre' <DC>\` and its credentials, or leave connection out to use the unnamed settings`
  );
}
