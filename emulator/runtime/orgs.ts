import type { Clock } from "../shared/clock";
import type { ModuleCatalog } from "../shared/modules";
import { DEFAULT_ORG_ID, DEFAULT_ORG_NAME, type OrgSpec } from "../shared/options";
import { ChannelStore } from "../shared/store";
import { Timeline } from "../shared/timeline";
import type { OAuthCredentials, OrgCredentials } from "../zoho/oauth";
import type { OrgFacts } from "../zoho/org-api";
import { WatchApi } from "../zoho/watch-api";

/**
 * The orgs of the emulated Zoho. Each has its own credentials (an access token acts in the org of the
 * refresh token it was minted from), its own channels and timeline: a channel id names a channel only
 * within its org, as in Zoho, where two orgs may each have a channel 42.
 */

/** An org given a `zgid` Zoho-like: a short decimal id distinct from the org id. */
const ZGID_BASE = 700000001;

export class EmulatedOrg implements OrgFacts {
  readonly timeline = new Timeline();
  readonly channels: ChannelStore;
  readonly watchApi: WatchApi;

  constructor(
    readonly id: string,
    readonly zgid: string,
    readonly companyName: string,
    readonly credentials: OAuthCredentials,
    readonly timeZone: string,
    /** Added through the control API (kept in the state file, removed by reset), not by the options. */
    readonly added: boolean,
    deps: { readonly clock: Clock; readonly catalog: ModuleCatalog; readonly onChange: () => void },
  ) {
    this.channels = new ChannelStore(this.timeline, deps.onChange);
    this.watchApi = new WatchApi({
      channels: this.channels,
      clock: deps.clock,
      catalog: deps.catalog,
      orgTimeZone: timeZone,
    });
  }
}

export interface OrgRegistryOptions {
  readonly clock: Clock;
  readonly catalog: ModuleCatalog;
  readonly timeZone: string;
  readonly onChange: () => void;
}

export class OrgRegistry {
  private list: EmulatedOrg[] = [];

  constructor(
    private readonly options: OrgRegistryOptions,
    defaultCredentials: OAuthCredentials,
    configured: readonly OrgSpec[],
  ) {
    this.add({ id: DEFAULT_ORG_ID, companyName: DEFAULT_ORG_NAME, credentials: defaultCredentials }, false);
    for (const spec of configured) this.add(spec, false);
  }

  /** The org of the `credentials` option. */
  get default(): EmulatedOrg {
    return this.list[0] as EmulatedOrg;
  }

  all(): readonly EmulatedOrg[] {
    return this.list;
  }

  credentials(): OrgCredentials[] {
    return this.list.map((org) => ({ orgId: org.id, credentials: org.credentials }));
  }

  /** The org with this id (the default org for undefined); an unknown id throws an error naming the ids there are. */
  get(id?: string): EmulatedOrg {
    if (id === undefined) return this.default;
    const org = this.list.find((candidate) => candidate.id === id);
    if (!org) {
      throw new UnknownOrgError(
        `no org ${id} in this emulator (orgs: ${this.list.map((o) => o.id).join(", ")}); add one with addOrg`,
      );
    }
    return org;
  }

  /** Adds an org; its id and refresh token must be new. */
  add(spec: OrgSpec, added: boolean): EmulatedOrg {
    const n = this.list.length;
    const id = spec.id ?? (BigInt(DEFAULT_ORG_ID) + 1000n * BigInt(n)).toString();
    if (this.list.some((org) => org.id === id)) throw new UnknownOrgError(`org ${id} already exists`);
    if (this.list.some((org) => org.credentials.refreshToken === spec.credentials.refreshToken)) {
      // A refresh token names one org: two orgs sharing one could not tell whose channels a call means.
      throw new UnknownOrgError(`org ${id}: that refresh token already belongs to another org`);
    }
    const org = new EmulatedOrg(
      id,
      String(ZGID_BASE + n),
      spec.companyName ?? `Emulated Org ${n + 1}`,
      { ...spec.credentials },
      this.options.timeZone,
      added,
      this.options,
    );
    this.list.push(org);
    if (added) this.options.onChange();
    return org;
  }

  /** Drops the orgs added at run time and every org's channels and timeline. */
  reset(): void {
    this.list = this.list.filter((org) => !org.added);
    for (const org of this.list) {
      org.channels.clear();
      org.timeline.clear();
    }
  }
}

/** An org id or org spec the emulator cannot use (answered 400 by the control API). */
export class UnknownOrgError extends Error {}
