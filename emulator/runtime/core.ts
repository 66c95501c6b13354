import { Clock } from "../shared/clock";
import { FaultInjector } from "../control/faults";
import { ModuleCatalog } from "../shared/modules";
import { DeliveryLog, Notifier } from "../zoho/notifications";
import { OAuthServer } from "../zoho/oauth";
import type { ResolvedOptions } from "../shared/options";
import { writeClockFile } from "./clock-file";
import { loadState, saveState, type StoredState } from "./state-file";
import { StatsCounter } from "../control/stats";
import { ChannelStore } from "../shared/store";
import { Timeline } from "../shared/timeline";
import { WatchApi } from "../zoho/watch-api";

/** How many API requests are in flight, against Zoho's per-org concurrency limit. */
export class ConcurrencyGate {
  private inFlight = 0;

  constructor(public limit: number | null) {}

  /** Counts a request in; `overLimit` says whether it must be refused. Call `release` once it is answered. */
  enter(): { readonly overLimit: boolean; readonly release: () => void } {
    this.inFlight += 1;
    const overLimit = this.limit !== null && this.limit > 0 && this.inFlight > this.limit;
    let released = false;
    return {
      overLimit,
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
      },
    };
  }
}

/**
 * One emulated org: every component, wired together, and the persistence of their state. The HTTP
 * server and the control service are thin layers over it.
 */
export class EmulatorCore {
  readonly catalog: ModuleCatalog;
  readonly clock: Clock;
  readonly timeline = new Timeline();
  readonly channels: ChannelStore;
  readonly deliveries: DeliveryLog;
  readonly oauth: OAuthServer;
  readonly watchApi: WatchApi;
  readonly notifier: Notifier;
  readonly faults = new FaultInjector();
  readonly stats = new StatsCounter();
  readonly concurrency: ConcurrencyGate;
  /** Set once the server listens. */
  baseUrl = "";
  /** Set once the server listens. */
  port: number | undefined;
  private dirty = false;

  constructor(readonly options: ResolvedOptions) {
    const changed = () => {
      this.dirty = true;
    };
    this.catalog = new ModuleCatalog(options.customModules);
    this.clock = new Clock(0, () => {
      changed();
      this.writeClock();
    });
    this.channels = new ChannelStore(this.timeline, changed);
    this.deliveries = new DeliveryLog(changed);
    this.oauth = new OAuthServer({
      credentials: options.credentials,
      scopes: options.scopes,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds,
      rateLimit: options.tokenRateLimit,
      clock: this.clock,
      apiDomain: () => this.baseUrl,
      onChange: changed,
    });
    this.watchApi = new WatchApi({
      channels: this.channels,
      clock: this.clock,
      catalog: this.catalog,
      orgTimeZone: options.orgTimeZone,
    });
    this.notifier = new Notifier({
      channels: this.channels,
      clock: this.clock,
      log: this.deliveries,
      allowExternalDelivery: options.allowExternalDelivery,
      timeoutMs: options.deliveryTimeoutMs,
      ownAddress: () => (this.port === undefined ? undefined : { host: options.host, port: this.port }),
    });
    this.concurrency = new ConcurrencyGate(options.concurrencyLimit);
  }

  /** Restores the state file's content, if there is one, then writes the clock file (if any). */
  load(): void {
    const stored = this.options.stateFile === undefined ? undefined : loadState(this.options.stateFile);
    if (stored) this.restore(stored);
    this.writeClock();
  }

  /**
   * Keeps the clock file (the `clockFile` option) equal to the clock's offset. Called on every
   * change of the offset, so a provider reading the file never has a stale offset for long.
   */
  writeClock(): void {
    if (this.options.clockFile === undefined) return;
    writeClockFile(this.options.clockFile, this.clock.offsetMs, this.clock.nowIso());
  }

  private restore(stored: StoredState): void {
    this.clock.restore(stored.clockOffsetMs);
    this.channels.restore(stored.channels);
    this.timeline.restore(stored.timeline);
    this.deliveries.restore(stored.deliveries);
    this.oauth.restore(stored.tokens);
  }

  /** Writes the state file if anything changed since the last write (or always, with `force`). */
  flush(force = false): void {
    if (this.options.stateFile === undefined || (!this.dirty && !force)) return;
    this.dirty = false;
    saveState(this.options.stateFile, this.stored());
  }

  /** Back to a fresh start (see EmulatorControls.reset). */
  reset(): void {
    this.clock.restore(0);
    this.channels.clear();
    this.timeline.clear();
    this.deliveries.clear();
    this.oauth.clear();
    this.faults.clear();
    this.stats.reset();
    this.concurrency.limit = this.options.concurrencyLimit;
    this.writeClock();
    this.flush(true);
  }

  private stored(): StoredState {
    return {
      clockOffsetMs: this.clock.offsetMs,
      channels: this.channels.all().map((channel) => ({
        ...channel,
        events: [...channel.events],
        notificationCondition: channel.notificationCondition ? [...channel.notificationCondition] : null,
      })),
      timeline: this.timeline.toStored(),
      deliveries: this.deliveries.list(),
      tokens: this.oauth.toStored(),
    };
  }
}
