import * as z from "zod";
import { RATE_LIMIT_CODES } from "../zoho/errors";
import type { NotificationCondition } from "../zoho/notification-condition";
import type { TimelineSnapshot } from "../shared/timeline";
import type { OrgSpec } from "../shared/options";

/**
 * The control API's contract, shared by the in-process emulator, the HTTP routes under
 * `/__emulator/` and the {@link EmulatorControl} client. Request bodies are zod schemas (validated at
 * the edge); their TypeScript types are inferred from them.
 */

export type { TimelineSnapshot } from "../shared/timeline";
export type { OrgSpec } from "../shared/options";

/** Path prefix reserved for the control API; nothing under it is part of Zoho's API. */
export const CONTROL_PREFIX = "/__emulator/";

import { OPERATIONS, type Operation } from "../shared/operations";

export { OPERATIONS, type Operation };

/** Request counts since start or the last reset, whatever the outcome (401s, 429s and faults included). */
export type RequestStats = Record<Operation, number> & {
  /** Requests answered 429, by the concurrency limit or by a fault. */
  rejected429: number;
  /** Every request to the emulated Zoho (token endpoint and unknown paths included, control calls not). */
  total: number;
};

const faultMatchSchema = z
  .object({
    /** HTTP method, case-insensitive. */
    method: z.string().optional(),
    /** Substring of the request path (query string excluded). */
    path: z.string().optional(),
    operation: z.enum(OPERATIONS).optional(),
  })
  .strict();

/** How many matching requests the fault affects; omitted = every matching request until cleared. */
const timesSchema = z.number().int().positive().optional();

/**
 * A fault to inject into requests to the emulated Zoho (never into control calls). One fault applies
 * per request: the oldest matching one.
 */
export const faultSpecSchema = z.discriminatedUnion("kind", [
  /** Answers with this status instead of processing the request (nothing changes). */
  z
    .object({
      kind: z.literal("status"),
      status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)]),
      retryAfterSeconds: z.number().int().nonnegative().optional(),
      /** Code of a 429 body; default: the emulator's `rateLimitCode` option. */
      code: z.enum(RATE_LIMIT_CODES).optional(),
      match: faultMatchSchema.optional(),
      times: timesSchema,
    })
    .strict()
    .refine((fault) => fault.code === undefined || fault.status === 429, {
      path: ["code"],
      message: "code only applies to status 429",
    }),
  /** Waits before processing; the request counts as in flight meanwhile. */
  z
    .object({
      kind: z.literal("latency"),
      ms: z.number().int().nonnegative().max(120_000),
      match: faultMatchSchema.optional(),
      times: timesSchema,
    })
    .strict(),
  /** Destroys the socket before doing anything: the request had no effect. */
  z
    .object({ kind: z.literal("drop-connection"), match: faultMatchSchema.optional(), times: timesSchema })
    .strict(),
  /** Processes the request (the change is applied), then destroys the socket without answering. */
  z
    .object({ kind: z.literal("drop-response"), match: faultMatchSchema.optional(), times: timesSchema })
    .strict(),
]);
export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultMatch = z.infer<typeof faultMatchSchema>;

/** An injected fault as listed by the emulator; `remaining` is null when unlimited. */
export type InjectedFault = FaultSpec & { readonly id: string; readonly remaining: number | null };

/** A record change to notify channels about. */
export const recordChangeSchema = z
  .object({
    /** Module API name, e.g. "Leads". */
    module: z.string().min(1),
    /** Subscription verb; the notification says insert / update / delete. */
    operation: z.enum(["create", "edit", "delete"]),
    /** Record ids (decimal strings, like Zoho's). */
    ids: z.array(z.string().regex(/^\d+$/, "record ids are decimal strings")).min(1),
    /** New field values per record id: drive `affected_fields` and `affected_values`. */
    values: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** The org whose record changed (its id); default: the default org. */
    org: z.string().optional(),
  })
  .strict();
export type RecordChange = z.infer<typeof recordChangeSchema>;

export const setClockSchema = z.object({ now: z.string() }).strict();
export const advanceClockSchema = z.object({ by: z.union([z.string(), z.number()]) }).strict();
export const revokeSchema = z.object({ org: z.string().optional() }).strict();
export { orgSpecSchema } from "../shared/options";
export const concurrencyLimitSchema = z.object({ limit: z.number().int().nonnegative().nullable() }).strict();

/** The JSON body POSTed to a channel's notify_url. */
export interface NotificationBody {
  readonly server_time: number;
  readonly query_params: Record<string, string>;
  readonly module: string;
  readonly resource_uri: string;
  readonly ids: readonly string[];
  readonly affected_fields: ReadonlyArray<Record<string, readonly string[]>>;
  readonly operation: "insert" | "update" | "delete";
  readonly channel_id: string;
  readonly token: string | null;
  readonly affected_values?: ReadonlyArray<{ record_id: string; values: Record<string, unknown> }>;
}

/** One notification the emulator sent, or decided not to send. */
export interface DeliveryRecord {
  readonly channelId: string;
  readonly url: string;
  /** HTTP status of the receiver's answer, or a text: "skipped: not loopback", "error: ECONNREFUSED", ... */
  readonly status: number | string;
  /** True when the receiver answered 2xx. */
  readonly delivered: boolean;
  /** Emulator time of the attempt, ISO UTC. */
  readonly at: string;
  readonly body: NotificationBody;
}

/** A stored channel as the control API shows it (expired ones included). */
export interface ChannelSnapshot {
  readonly channelId: string;
  readonly events: readonly string[];
  readonly notifyUrl: string;
  readonly token: string | null;
  /** ISO UTC. */
  readonly expiresAt: string;
  /** Whether the channel exists for the watch API right now (not expired on the emulator clock). */
  readonly live: boolean;
  readonly notifyOnRelatedAction: boolean;
  readonly returnAffectedFieldValues: boolean;
  readonly notificationCondition: readonly NotificationCondition[] | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An org of the emulated Zoho as the control API shows it (never its client secret or refresh token). */
export interface OrgSnapshot {
  /** The org id `GET /crm/{version}/org` answers; name it in `channels(org)`, `timeline(org)`, ... */
  readonly id: string;
  readonly zgid: string;
  readonly companyName: string;
  /** The OAuth client id of its credentials. */
  readonly clientId: string;
  /** True for the org of the `credentials` option. */
  readonly isDefault: boolean;
}

/**
 * Everything a test, demo or CI script can do to an emulator besides calling Zoho's API. Implemented
 * by the running emulator itself and, over HTTP, by {@link EmulatorControl}.
 */
export interface EmulatorControls {
  /** Emulator time, ISO UTC. */
  now(): Promise<string>;
  /** Sets emulator time (it keeps running with real time); returns the new time. */
  setClock(iso: string): Promise<string>;
  /** Moves emulator time forward by an ISO-8601 duration ("PT50M") or milliseconds; returns the new time. */
  advanceClock(by: string | number): Promise<string>;
  /** Notifies every live channel subscribed to the change; resolves once every delivery ended. */
  simulateRecordChange(change: RecordChange): Promise<DeliveryRecord[]>;
  /** Every delivery recorded since start or the last clear (the latest 1000). */
  deliveries(): Promise<DeliveryRecord[]>;
  clearDeliveries(): Promise<void>;
  /** Every stored channel of an org (default: the default org), expired ones included. */
  channels(org?: string): Promise<ChannelSnapshot[]>;
  /** Subscription intervals per channel and module, in an org (default: the default org). */
  timeline(org?: string): Promise<TimelineSnapshot>;
  /** Every org: the default one first, then those of the `orgs` option, then those added. */
  orgs(): Promise<OrgSnapshot[]>;
  /**
   * Adds an org with its own credentials and no channels; its refresh token must be new. Orgs added
   * this way are kept in the state file and removed by `reset()`.
   */
  addOrg(spec: OrgSpec): Promise<OrgSnapshot>;
  injectFault(fault: FaultSpec): Promise<InjectedFault>;
  /** Faults still active. */
  faults(): Promise<InjectedFault[]>;
  clearFaults(): Promise<void>;
  /** Most API requests in flight at once; beyond it, 429 TOO_MANY_REQUESTS. 0 or null = unlimited. */
  setConcurrencyLimit(limit: number | null): Promise<void>;
  stats(): Promise<RequestStats>;
  resetStats(): Promise<void>;
  /** Makes every access token issued so far invalid now (API calls with them get 401 INVALID_TOKEN). */
  expireAccessTokens(): Promise<void>;
  /**
   * Revokes an org's refresh token (default: the default org's): token requests with it get
   * `invalid_code`, its access tokens stop working.
   */
  revokeRefreshToken(org?: string): Promise<void>;
  /**
   * Back to a fresh start: no channels, deliveries, timeline, faults, stats or tokens, clock offset 0,
   * refresh tokens valid, concurrency limit as configured at start, only the orgs of the options.
   */
  reset(): Promise<void>;
}
