import { request, type Dispatcher } from "undici";
import {
  CONTROL_PREFIX,
  type ChannelSnapshot,
  type DeliveryRecord,
  type EmulatorControls,
  type FaultSpec,
  type InjectedFault,
  type OrgSnapshot,
  type OrgSpec,
  type RecordChange,
  type RequestStats,
  type TimelineSnapshot,
} from "./contract";

/** `?org=<id>`, or nothing for the default org. */
function orgQuery(org: string | undefined): string {
  return org === undefined ? "" : `?org=${encodeURIComponent(org)}`;
}

/** A control call the emulator refused or failed; `body` is its answer (usually `{ error }`). */
export class EmulatorControlError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    const detail =
      typeof body === "object" && body !== null && "error" in body
        ? String(body.error)
        : JSON.stringify(body);
    super(`${what} failed with HTTP ${status}: ${detail}`);
    this.name = "EmulatorControlError";
  }
}

export interface EmulatorControlOptions {
  /** undici dispatcher to use (default: undici's global one). */
  readonly dispatcher?: Dispatcher;
  /** Per-call timeout. Default 30 s (a record change waits for its deliveries). */
  readonly timeoutMs?: number;
}

/**
 * Drives an emulator over HTTP, typically one started by another process (`zoho-crm-emulator` in CI,
 * the demo, a Pulumi program under test). Same methods as the running emulator.
 *
 * @example
 * const control = new EmulatorControl(process.env.ZOHO_EMULATOR_URL!);
 * await control.advanceClock("PT50M");
 */
export class EmulatorControl implements EmulatorControls {
  private readonly base: string;

  /** @param baseUrl the emulator's base URL, as `startEmulator().url` or the CLI prints it. */
  constructor(
    baseUrl: string | URL,
    private readonly options: EmulatorControlOptions = {},
  ) {
    this.base = String(baseUrl).replace(/\/+$/, "");
  }

  async now(): Promise<string> {
    return (await this.call<{ now: string }>("GET", "clock")).now;
  }

  async setClock(iso: string): Promise<string> {
    return (await this.call<{ now: string }>("PUT", "clock", { now: iso })).now;
  }

  async advanceClock(by: string | number): Promise<string> {
    return (await this.call<{ now: string }>("POST", "clock/advance", { by })).now;
  }

  async simulateRecordChange(change: RecordChange): Promise<DeliveryRecord[]> {
    return (await this.call<{ deliveries: DeliveryRecord[] }>("POST", "record-changes", change)).deliveries;
  }

  async deliveries(): Promise<DeliveryRecord[]> {
    return (await this.call<{ deliveries: DeliveryRecord[] }>("GET", "deliveries")).deliveries;
  }

  async clearDeliveries(): Promise<void> {
    await this.call("DELETE", "deliveries");
  }

  async channels(org?: string): Promise<ChannelSnapshot[]> {
    return (await this.call<{ channels: ChannelSnapshot[] }>("GET", `channels${orgQuery(org)}`)).channels;
  }

  async timeline(org?: string): Promise<TimelineSnapshot> {
    return (await this.call<{ timeline: TimelineSnapshot }>("GET", `timeline${orgQuery(org)}`)).timeline;
  }

  async orgs(): Promise<OrgSnapshot[]> {
    return (await this.call<{ orgs: OrgSnapshot[] }>("GET", "orgs")).orgs;
  }

  async addOrg(spec: OrgSpec): Promise<OrgSnapshot> {
    return (await this.call<{ org: OrgSnapshot }>("POST", "orgs", spec)).org;
  }

  async injectFault(fault: FaultSpec): Promise<InjectedFault> {
    return (await this.call<{ fault: InjectedFault }>("POST", "faults", fault)).fault;
  }

  async faults(): Promise<InjectedFault[]> {
    return (await this.call<{ faults: InjectedFault[] }>("GET", "faults")).faults;
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "faults");
  }

  async setConcurrencyLimit(limit: number | null): Promise<void> {
    await this.call("PUT", "concurrency-limit", { limit });
  }

  async stats(): Promise<RequestStats> {
    return (await this.call<{ stats: RequestStats }>("GET", "stats")).stats;
  }

  async resetStats(): Promise<void> {
    await this.call("DELETE", "stats");
  }

  async expireAccessTokens(): Promise<void> {
    await this.call("POST", "access-tokens/expire");
  }

  async revokeRefreshToken(org?: string): Promise<void> {
    await this.call("POST", "refresh-token/revoke", org === undefined ? undefined : { org });
  }

  async reset(): Promise<void> {
    await this.call("POST", "reset");
  }

  private async call<T = undefined>(method: Dispatcher.HttpMethod, path: string, body?: unknown): Promise<T> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const response = await request(`${this.base}${CONTROL_PREFIX}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.options.dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    let parsed: unknown = undefined;
    if (text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (response.statusCode >= 300)
      throw new EmulatorControlError(response.statusCode, parsed, `${method} ${path}`);
    return parsed as T;
  }
}
