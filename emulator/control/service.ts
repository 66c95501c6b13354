import * as z from "zod";
import { parseDurationMs, parseInstant } from "../shared/clock";
import {
  CONTROL_PREFIX,
  advanceClockSchema,
  concurrencyLimitSchema,
  faultSpecSchema,
  orgSpecSchema,
  revokeSchema,
  recordChangeSchema,
  setClockSchema,
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
import type { EmulatorCore } from "../runtime/core";
import { json, type HttpAnswer } from "../shared/http-io";
import { isLive } from "../shared/store";
import { UnknownOrgError, type EmulatedOrg } from "../runtime/orgs";

/** A control call the emulator refuses (bad input); answered 400 over HTTP. */
export class ControlInputError extends Error {}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ControlInputError(z.prettifyError(result.error));
  return result.data;
}

/**
 * The control API implemented in process. The running emulator exposes these methods directly and
 * the `/__emulator/` routes call them, so both paths share one implementation.
 */
export class ControlService implements EmulatorControls {
  constructor(protected readonly core: EmulatorCore) {}

  now(): Promise<string> {
    return Promise.resolve(this.core.clock.nowIso());
  }

  setClock(iso: string): Promise<string> {
    return this.run(() => {
      let instant: number;
      try {
        instant = parseInstant(iso);
      } catch (error) {
        throw new ControlInputError((error as Error).message);
      }
      this.core.clock.set(instant);
      return this.core.clock.nowIso();
    });
  }

  advanceClock(by: string | number): Promise<string> {
    return this.run(() => {
      let ms: number;
      try {
        ms = parseDurationMs(by);
      } catch (error) {
        throw new ControlInputError((error as Error).message);
      }
      this.core.clock.advance(ms);
      return this.core.clock.nowIso();
    });
  }

  async simulateRecordChange(change: RecordChange): Promise<DeliveryRecord[]> {
    const valid = parse(recordChangeSchema, change);
    if (!this.core.catalog.has(valid.module)) {
      throw new ControlInputError(`"${valid.module}" is not a module of the emulated org`);
    }
    const org = this.org(valid.org);
    const records = await this.core.notifier.simulate(valid, org.channels);
    this.core.flush();
    return records;
  }

  deliveries(): Promise<DeliveryRecord[]> {
    return Promise.resolve(this.core.deliveries.list());
  }

  clearDeliveries(): Promise<void> {
    return this.run(() => this.core.deliveries.clear());
  }

  channels(org?: string): Promise<ChannelSnapshot[]> {
    const now = this.core.clock.nowMs();
    const iso = (ms: number) => new Date(ms).toISOString();
    return this.run(() =>
      this.org(org)
        .channels.all()
        .map((channel) => ({
          channelId: channel.channelId,
          events: [...channel.events],
          notifyUrl: channel.notifyUrl,
          token: channel.token,
          expiresAt: iso(channel.expiresAt),
          live: isLive(channel, now),
          notifyOnRelatedAction: channel.notifyOnRelatedAction,
          returnAffectedFieldValues: channel.returnAffectedFieldValues,
          notificationCondition: channel.notificationCondition,
          createdAt: iso(channel.createdAt),
          updatedAt: iso(channel.updatedAt),
        })),
    );
  }

  timeline(org?: string): Promise<TimelineSnapshot> {
    return this.run(() => this.org(org).timeline.snapshot(this.core.clock.nowMs()));
  }

  orgs(): Promise<OrgSnapshot[]> {
    return Promise.resolve(this.core.orgs.all().map((org) => this.describe(org)));
  }

  addOrg(spec: OrgSpec): Promise<OrgSnapshot> {
    return this.run(() => {
      try {
        return this.describe(this.core.orgs.add(parse(orgSpecSchema, spec), true));
      } catch (error) {
        if (error instanceof UnknownOrgError) throw new ControlInputError(error.message);
        throw error;
      }
    });
  }

  injectFault(fault: FaultSpec): Promise<InjectedFault> {
    return this.run(() => this.core.faults.inject(parse(faultSpecSchema, fault)));
  }

  faults(): Promise<InjectedFault[]> {
    return Promise.resolve(this.core.faults.list());
  }

  clearFaults(): Promise<void> {
    return this.run(() => this.core.faults.clear());
  }

  setConcurrencyLimit(limit: number | null): Promise<void> {
    return this.run(() => {
      this.core.concurrency.limit = parse(concurrencyLimitSchema, { limit }).limit;
    });
  }

  stats(): Promise<RequestStats> {
    return Promise.resolve(this.core.stats.snapshot());
  }

  resetStats(): Promise<void> {
    return this.run(() => this.core.stats.reset());
  }

  expireAccessTokens(): Promise<void> {
    return this.run(() => this.core.oauth.expireAccessTokens());
  }

  revokeRefreshToken(org?: string): Promise<void> {
    return this.run(() => this.core.oauth.revokeRefreshToken(this.org(org).id));
  }

  reset(): Promise<void> {
    return this.run(() => this.core.reset());
  }

  /** An org by id (the default org for undefined); an unknown id is a ControlInputError. */
  private org(id: string | undefined): EmulatedOrg {
    try {
      return this.core.orgs.get(id);
    } catch (error) {
      if (error instanceof UnknownOrgError) throw new ControlInputError(error.message);
      throw error;
    }
  }

  private describe(org: EmulatedOrg): OrgSnapshot {
    return {
      id: org.id,
      zgid: org.zgid,
      companyName: org.companyName,
      clientId: org.credentials.clientId,
      isDefault: org === this.core.orgs.default,
    };
  }

  /** Runs a synchronous change, persists it, and reports errors as a rejected promise. */
  private run<T>(change: () => T): Promise<T> {
    try {
      const result = change();
      this.core.flush();
      return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

type Route = (service: ControlService, body: unknown, query: URLSearchParams) => Promise<HttpAnswer>;

const noContent: HttpAnswer = { status: 204 };

/** `METHOD path` (below the prefix) → handler. The client in client.ts mirrors this table. */
const ROUTES: Readonly<Record<string, Route>> = {
  "GET clock": async (service) => json(200, { now: await service.now() }),
  "PUT clock": async (service, body) =>
    json(200, { now: await service.setClock(parse(setClockSchema, body).now) }),
  "POST clock/advance": async (service, body) =>
    json(200, { now: await service.advanceClock(parse(advanceClockSchema, body).by) }),
  "POST record-changes": async (service, body) =>
    json(200, { deliveries: await service.simulateRecordChange(body as RecordChange) }),
  "GET deliveries": async (service) => json(200, { deliveries: await service.deliveries() }),
  "DELETE deliveries": async (service) => (await service.clearDeliveries(), noContent),
  "GET channels": async (service, _body, query) =>
    json(200, { channels: await service.channels(query.get("org") ?? undefined) }),
  "GET timeline": async (service, _body, query) =>
    json(200, { timeline: await service.timeline(query.get("org") ?? undefined) }),
  "GET orgs": async (service) => json(200, { orgs: await service.orgs() }),
  "POST orgs": async (service, body) => json(201, { org: await service.addOrg(body as OrgSpec) }),
  "GET faults": async (service) => json(200, { faults: await service.faults() }),
  "POST faults": async (service, body) => json(201, { fault: await service.injectFault(body as FaultSpec) }),
  "DELETE faults": async (service) => (await service.clearFaults(), noContent),
  "PUT concurrency-limit": async (service, body) => {
    const { limit } = parse(concurrencyLimitSchema, body);
    await service.setConcurrencyLimit(limit);
    return json(200, { limit });
  },
  "GET stats": async (service) => json(200, { stats: await service.stats() }),
  "DELETE stats": async (service) => (await service.resetStats(), noContent),
  "POST access-tokens/expire": async (service) => (await service.expireAccessTokens(), noContent),
  "POST refresh-token/revoke": async (service, body) => (
    await service.revokeRefreshToken(parse(revokeSchema, body).org),
    noContent
  ),
  "POST reset": async (service) => (await service.reset(), noContent),
};

/** Answers a request under {@link CONTROL_PREFIX}. Errors are `{ "error": "..." }` (not Zoho-shaped: this API is ours). */
export async function answerControlRequest(
  service: ControlService,
  method: string,
  pathname: string,
  rawBody: Buffer,
  query: URLSearchParams = new URLSearchParams(),
): Promise<HttpAnswer> {
  const route = ROUTES[`${method} ${pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, "")}`];
  if (!route) return json(404, { error: `no control route ${method} ${pathname}` });
  let body: unknown = {};
  if (rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      return json(400, { error: "the body is not JSON" });
    }
  }
  try {
    return await route(service, body, query);
  } catch (error) {
    if (error instanceof ControlInputError) return json(400, { error: error.message });
    throw error;
  }
}
