import { Clock } from "../shared/clock";
import { FaultInjector } from "../control/faults";
import { ModuleCatalog } from "../shared/modules";
import { DeliveryLog, Notifier } from "../zoho/notifications";
import { OAuthServer } from "../zoho/oauth";
import type { ResolvedOptions } from "../shared/options";
import { writeClockFile } from "./clock-file";
import { loadState, saveState, type StoredState } from "./state-file";
import { StatsCounter } from "../control/stats";
import { OrgRegistry } from "./orgs";

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
 * The emulated Zoho: its orgs (each with its channels and timeline), the accounts server, every other
 * component, wired together, and the persistence of their state. The HTTP server and the control
 * service are thin layers over it.
 */
export class EmulatorCore {
  readonly catalog: ModuleCatalog;
  readonly clock: Clock;
  readonly orgs: OrgRegistry;
  readonly deliveries: DeliveryLog;
  readonly oauth: OAuthServer;
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
    this.orgs = new OrgRegistry(
      { clock: this.clock, catalog: this.catalog, timeZone: options.orgTimeZone, onChange: changed },
      options.credentials,
      options.orgs,
    );
    this.deliveries = new DeliveryLog(changed);
    this.oauth = new OAuthServer({
      orgs: () => this.orgs.credentials(),
      scopes: options.scopes,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds,
      rateLimit: options.tokenRateLimit,
      clock: this.clock,
      apiDomain: () => this.baseUrl,
      onChange: changed,
    });
    this.notifier = new Notifier({
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
    for (const saved of stored.orgs) {
      const known = this.orgs.all().find((org) => org.id === saved.id);
      // Orgs of the options are there already; those added through the control API come back.
      const org =
        known ??
        (saved.credentials
          ? this.orgs.add(
              { id: saved.id, companyName: saved.companyName, credentials: saved.credentials },
              true,
            )
          : undefined);
      if (!org) continue; // an org of earlier options that these options no longer have
      org.channels.restore(saved.channels);
      org.timeline.restore(saved.timeline);
    }
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
    this.orgs.reset();
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
      orgs: this.orgs.all().map((org) => ({
        id: org.id,
        companyName: org.companyName,
        // Only an org added at run time needs its credentials back; the options give the others'.
        credentials: org.added ? { ...org.credentials } : undefined,
        channels: org.channels.all().map((channel) => ({
          ...channel,
          events: [...channel.events],
          notificationCondition: channel.notificationCondition ? [...channel.notificationCondition] : null,
        })),
        timeline: org.timeline.toStored(),
      })),
      deliveries: this.deliveries.list(),
      tokens: this.oauth.toStored(),
    };
  }
}
