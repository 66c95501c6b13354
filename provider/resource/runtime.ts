/**
 * The provider runtime: everything one provider process needs, built once by `configure`.
 *
 * Pulumi starts one dynamic-provider process per operation. In it, a {@link ProviderRuntime} holds
 * the connection settings, the clock, the batching client (one token request per run, whatever the
 * number of channels) and the run's {@link RunMemory}. The lifecycle's functions take it as their
 * first argument; nothing else in `provider/` keeps state between calls.
 */
import { ZohoWatchClient } from "../zoho/client";
import { BatchingWatchClient } from "./batcher";
import { offsetClock, type Clock } from "./expiry";
import { RunMemory } from "./run-memory";
import { readSettings, requireCredentials, type ConfigSource, type ConnectionSettings } from "./settings";

/** What a runtime is built from; tests inject a clock, the provider process reads settings. */
export interface RuntimeOptions {
  settings: ConnectionSettings;
  /** Default: real time shifted by `settings.clockOffsetMs`. */
  clock?: Clock;
}

/** One provider process's settings, clock, client and per-run memory. */
export class ProviderRuntime {
  readonly settings: ConnectionSettings;
  readonly clock: Clock;
  readonly memory = new RunMemory();
  private client: BatchingWatchClient | undefined;

  constructor(options: RuntimeOptions) {
    this.settings = options.settings;
    this.clock = options.clock ?? offsetClock(options.settings.clockOffsetMs);
  }

  /** Builds a runtime from stack config, with the `ZOHO_*` environment as the fallback. */
  static fromConfig(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ProviderRuntime {
    return new ProviderRuntime({ settings: readSettings(config, env) });
  }

  /** The batching client for these settings; built on first use (previews need no credentials). */
  zoho(): BatchingWatchClient {
    this.client ??= new BatchingWatchClient(
      new ZohoWatchClient({
        credentials: requireCredentials(this.settings),
        dataCentre: this.settings.dataCentre,
        environment: this.settings.environment,
        accountsUrl: this.settings.accountsUrl,
        apiDomain: this.settings.apiDomain,
        apiVersion: this.settings.apiVersion,
        concurrency: this.settings.concurrency,
      }),
      { clock: this.clock, memory: this.memory },
    );
    return this.client;
  }

  /** Whether `other` connects the same way (then a second `configure` keeps this runtime). */
  sameSettings(other: ConnectionSettings): boolean {
    return JSON.stringify(this.settings) === JSON.stringify(other);
  }

  /** Sends whatever is queued and closes the client. */
  async close(): Promise<void> {
    await this.client?.close();
  }
}
