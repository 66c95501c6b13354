/**
 * The public verbs of the Zoho watch API: enable, list/get, update, patch, disableEvents, disable.
 *
 * Each verb validates its input with the schemas (nothing is sent when an item is invalid), runs
 * one request through the executor, and reads Zoho's answer into one outcome per item.
 */
import type { DateTime } from "luxon";
import type { Dispatcher } from "undici";
import type { z } from "zod";
import { disableOutcomes, itemOutcomes, type ErrorContext, type WatchOutcome } from "./answers";
import {
  resolveEndpoints,
  type DataCentre,
  type ResolvedEndpoints,
  type ZohoEnvironment,
} from "./data-centres";
import { ZohoApiError, ZohoValidationError, type ZohoOperation } from "./errors";
import { ApiExecutor } from "./executor";
import { HttpTransport, type HttpTimeouts } from "./http";
import { ConcurrencyLimiter } from "./limiter";
import { OAuthTokenSource, type ZohoCredentials } from "./oauth";
import { Redactor } from "./redact";
import { retryOptions, type RetryOptions } from "./retry";
import {
  API_VERSIONS,
  DEFAULT_API_VERSION,
  isApiVersion,
  LIMITS,
  unsupportedReason,
  type ApiVersion,
  type VersionFeature,
} from "./rules";
import {
  ChannelIdSchema,
  DisableEventsItemSchema,
  EnableItemSchema,
  formatIssues,
  ListFilterSchema,
  PatchItemSchema,
  UpdateItemSchema,
  WireListAnswerSchema,
  WireWriteAnswerSchema,
  type ChannelIdLike,
  type DisableEventsItem,
  type EnableItem,
  type ListFilter,
  type NotificationCondition,
  type PatchItem,
  type UpdateItem,
  type WatchSubscription,
  type WireWatchItem,
} from "./schemas";

/** Time bounds. All in milliseconds. */
export interface ZohoTimeouts extends HttpTimeouts {
  /**
   * Overall deadline of one API request: the token fetch it waits for, every attempt and every
   * backoff wait. Each page of a `list` is one request. Default 60 s.
   */
  operationMs: number;
}

/** Options of {@link ZohoWatchClient}. */
export interface ZohoWatchClientOptions {
  /** Refresh-token grant credentials. Never logged, never put in an error. */
  credentials: ZohoCredentials;
  /** The org's data centre. Default `US`. */
  dataCentre?: DataCentre | undefined;
  /** `sandbox` and `developer` orgs use `sandbox.` / `developer.zohoapis.*`. Default `production`. */
  environment?: ZohoEnvironment | undefined;
  /** Accounts server override (emulator, proxy), e.g. `http://127.0.0.1:4000`. */
  accountsUrl?: string | undefined;
  /** API origin override; when set, the token answer's `api_domain` is ignored. */
  apiDomain?: string | undefined;
  /** Default `v8`. */
  apiVersion?: ApiVersion | undefined;
  /**
   * Requests in flight at once. Default 5: Zoho's lowest concurrency tier (Free edition); raise it
   * to your edition's limit (Standard 10, Professional 15, Enterprise 20, Ultimate 25).
   */
  concurrency?: number | undefined;
  retry?: Partial<RetryOptions> | undefined;
  timeouts?: Partial<ZohoTimeouts> | undefined;
  /** Renew the access token this long before it expires. Default 60 s. */
  tokenRefreshMarginMs?: number | undefined;
  /** After the accounts server throttled token requests, fail fast for this long. Default 60 s. */
  tokenThrottleCooldownMs?: number | undefined;
  /** Use this undici dispatcher instead of an own keep-alive Agent (it is not closed by {@link ZohoWatchClient.close}). */
  dispatcher?: Dispatcher | undefined;
  /** Default `pulumi-zoho-watch`. */
  userAgent?: string | undefined;
}

/** Options of one call. */
export interface CallOptions {
  /** Aborts the call; the promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** A channel as a whole: its GET rows (one per module) merged. */
export interface WatchChannel {
  channelId: string;
  /** All events, across modules, in Zoho's order. */
  events: string[];
  channelExpiry: DateTime;
  notifyUrl: string;
  token: string | null;
  notifyOnRelatedAction: boolean | undefined;
  returnAffectedFieldValues: boolean | undefined;
  notificationCondition: NotificationCondition[] | null;
  /** One row per module, as Zoho listed them. */
  subscriptions: WatchSubscription[];
}

const DEFAULT_TIMEOUTS: ZohoTimeouts = {
  connectMs: 10_000,
  headersMs: 30_000,
  bodyMs: 30_000,
  operationMs: 60_000,
};

/**
 * Client for Zoho CRM watch channels (`/crm/{version}/actions/watch`).
 *
 * Construction makes no request: the first API call fetches the access token, which all later
 * and concurrent calls share. Write verbs return one {@link WatchOutcome} per item, in order;
 * they throw only for failures of the whole call (auth, network, limits, invalid input).
 * Call {@link ZohoWatchClient.close} when done to release sockets.
 */
export class ZohoWatchClient {
  /** Where requests go (the API origin may still be replaced by the token's `api_domain`). */
  readonly endpoints: ResolvedEndpoints;
  readonly apiVersion: ApiVersion;
  private readonly transport: HttpTransport;
  private readonly tokens: OAuthTokenSource;
  private readonly limiter: ConcurrencyLimiter;
  private readonly executor: ApiExecutor;
  private readonly redactor = new Redactor();
  private closed = false;

  constructor(options: ZohoWatchClientOptions) {
    const { credentials } = options;
    for (const key of ["clientId", "clientSecret", "refreshToken"] as const) {
      if (typeof credentials?.[key] !== "string" || credentials[key].trim() === "") {
        throw new TypeError(`credentials.${key} is required`);
      }
    }
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    if (!isApiVersion(this.apiVersion)) {
      throw new TypeError(`apiVersion must be one of ${API_VERSIONS.join(", ")}`);
    }
    this.endpoints = resolveEndpoints(options);
    const timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts ?? {}) };
    const retry = retryOptions(options.retry);
    const userAgent = options.userAgent ?? "pulumi-zoho-watch";
    this.redactor.add(credentials.clientSecret, credentials.refreshToken);
    this.transport = new HttpTransport({ timeouts, dispatcher: options.dispatcher });
    this.tokens = new OAuthTokenSource({
      credentials,
      endpoints: this.endpoints,
      transport: this.transport,
      redactor: this.redactor,
      retry,
      timeoutMs: timeouts.operationMs,
      refreshMarginMs: options.tokenRefreshMarginMs,
      throttleCooldownMs: options.tokenThrottleCooldownMs,
      userAgent,
    });
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 5);
    this.executor = new ApiExecutor({
      transport: this.transport,
      tokens: this.tokens,
      limiter: this.limiter,
      retry,
      apiVersion: this.apiVersion,
      operationTimeoutMs: timeouts.operationMs,
      userAgent,
      isClosed: () => this.closed,
    });
  }

  /** Token HTTP requests made so far (for diagnostics and tests). */
  get tokenRequests(): number {
    return this.tokens.requests;
  }

  /**
   * Enables channels (POST). Re-enabling an existing channel id re-subscribes it (events merged,
   * expiry reset); it never creates a second channel.
   */
  async enable(
    items: EnableItem | readonly EnableItem[],
    options: CallOptions = {},
  ): Promise<WatchOutcome[]> {
    return this.write("enable", EnableItemSchema, items, options);
  }

  /** Replaces channels' details (PUT): details not given are dropped (e.g. an omitted token is cleared). */
  async update(
    items: UpdateItem | readonly UpdateItem[],
    options: CallOptions = {},
  ): Promise<WatchOutcome[]> {
    return this.write("update", UpdateItemSchema, items, options);
  }

  /**
   * Changes some details (PATCH). Every item must carry `events` and `token` (`null` to clear it):
   * Zoho clears the token of a PATCH without one, which would break receivers that verify it.
   */
  async patch(items: PatchItem | readonly PatchItem[], options: CallOptions = {}): Promise<WatchOutcome[]> {
    return this.write("patch", PatchItemSchema, items, options);
  }

  /** Removes some events from channels (PATCH with `_delete_events: true`); the channels stay. */
  async disableEvents(
    items: DisableEventsItem | readonly DisableEventsItem[],
    options: CallOptions = {},
  ): Promise<WatchOutcome[]> {
    return this.write("disableEvents", DisableEventsItemSchema, items, options);
  }

  /**
   * Disables channels (DELETE `?channel_ids=`). One outcome per channel id; a channel that was
   * already gone fails with `ZOHO_NOT_FOUND`, which a caller deleting it can treat as done
   * ({@link isAlreadyGone}).
   */
  async disable(
    channelIds: ChannelIdLike | readonly ChannelIdLike[],
    options: CallOptions = {},
  ): Promise<WatchOutcome[]> {
    const list = toArray(channelIds);
    const ids = list.map((id, i) => {
      const parsed = ChannelIdSchema.safeParse(id);
      if (!parsed.success) throw this.invalid("disable", formatIssues(parsed.error, `channelIds[${i}]`));
      return parsed.data;
    });
    if (ids.length === 0) throw this.invalid("disable", ["channelIds must name at least one channel"]);
    const unique = [...new Set(ids)];
    const redactor = this.redactor.child();
    const answer = await this.executor.run({
      operation: "disable",
      query: { channel_ids: unique.join(",") },
      redactor,
      signal: options.signal,
    });
    const context = this.context("disable", answer.status, answer.attempts, redactor);
    const entries = this.readWrite(answer.json, context);
    const outcomes = disableOutcomes(entries, unique, context);
    return ids.map((id) => outcomes[unique.indexOf(id)] as WatchOutcome);
  }

  /**
   * Lists subscriptions (GET), following every page. One row per channel × module. An empty
   * result (HTTP 204) is an empty array.
   */
  async list(filter: ListFilter = {}, options: CallOptions = {}): Promise<WatchSubscription[]> {
    const parsed = ListFilterSchema.safeParse(filter);
    if (!parsed.success) throw this.invalid("list", formatIssues(parsed.error, "filter."));
    const query: Record<string, string> = { per_page: String(parsed.data.perPage ?? LIMITS.maxPerPage) };
    if (parsed.data.channelId !== undefined) query["channel_id"] = parsed.data.channelId;
    if (parsed.data.module !== undefined) query["module"] = parsed.data.module;

    const rows: WatchSubscription[] = [];
    // Zoho serves pages up to LIMITS.maxPage; a runaway `more_records: true` stops there too.
    for (let page = 1; page <= LIMITS.maxPage; page += 1) {
      const redactor = this.redactor.child();
      const answer = await this.executor.run({
        operation: "list",
        query: { ...query, page: String(page) },
        redactor,
        signal: options.signal,
      });
      if (answer.status === 204 || answer.json === undefined) return rows;
      const result = WireListAnswerSchema.safeParse(answer.json);
      if (!result.success) {
        throw this.unreadable("list", answer.status, answer.attempts, result.error);
      }
      for (const row of result.data.watch) {
        // Tokens read back are secrets too: keep them out of any later error text.
        redactor.add(row.token);
        this.redactor.add(row.token);
        rows.push(row);
      }
      if (!result.data.info?.more_records || result.data.watch.length === 0) return rows;
    }
    throw new ZohoApiError(
      `list: Zoho still reports more records after page ${LIMITS.maxPage}, the last page it serves; ` +
        "narrow the list with a module or channel id filter",
      {
        operation: "list",
      },
    );
  }

  /** One channel with its rows merged, or undefined when Zoho does not know it. */
  async get(channelId: ChannelIdLike, options: CallOptions = {}): Promise<WatchChannel | undefined> {
    const parsed = ChannelIdSchema.safeParse(channelId);
    if (!parsed.success) throw this.invalid("list", formatIssues(parsed.error, "channelId"));
    const rows = (await this.list({ channelId: parsed.data }, options)).filter(
      (r) => r.channelId === parsed.data,
    );
    const first = rows[0];
    if (!first) return undefined;
    const events: string[] = [];
    for (const row of rows) for (const event of row.events) if (!events.includes(event)) events.push(event);
    return {
      channelId: first.channelId,
      events,
      channelExpiry: first.channelExpiry,
      notifyUrl: first.notifyUrl,
      token: first.token,
      notifyOnRelatedAction: first.notifyOnRelatedAction,
      returnAffectedFieldValues: first.returnAffectedFieldValues,
      notificationCondition: first.notificationCondition,
      subscriptions: rows,
    };
  }

  /**
   * Releases the connection pool. Calls in flight finish or fail with `ZOHO_CLOSED`; later calls
   * fail with `ZOHO_CLOSED`. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.tokens.close();
    this.limiter.rejectAll(new Error("the Zoho client was closed"));
    await this.transport.close();
  }

  private async write<S extends z.ZodType<WireWatchItem, unknown>>(
    operation: ZohoOperation,
    schema: S,
    input: z.input<S> | readonly z.input<S>[],
    options: CallOptions,
  ): Promise<WatchOutcome[]> {
    const items = toArray(input);
    const redactor = this.redactor.child();
    const wire: WireWatchItem[] = [];
    const issues: string[] = [];
    items.forEach((item, i) => {
      // Register secrets before validating, so even issue text cannot carry them.
      const record = item as { token?: unknown; notifyUrl?: unknown };
      if (typeof record?.token === "string") redactor.add(record.token);
      if (typeof record?.notifyUrl === "string") redactor.addUrl(record.notifyUrl);
      const parsed = schema.safeParse(item);
      if (parsed.success) wire.push(parsed.data);
      else
        issues.push(
          ...formatIssues(parsed.error, items.length === 1 && !Array.isArray(input) ? "" : `[${i}].`),
        );
    });
    if (items.length === 0) issues.push("at least one item is required");
    issues.push(...this.versionIssues(wire));
    if (issues.length > 0)
      throw this.invalid(
        operation,
        issues.map((line) => redactor.text(line)),
      );

    const answer = await this.executor.run({
      operation,
      body: { watch: wire },
      redactor,
      signal: options.signal,
    });
    const context = this.context(operation, answer.status, answer.attempts, redactor);
    const entries = this.readWrite(answer.json, context);
    return itemOutcomes(
      entries,
      wire.map((w) => w.channel_id),
      context,
    );
  }

  /** Features newer than the configured version: refused before sending, since Zoho may ignore them silently. */
  private versionIssues(items: readonly WireWatchItem[]): string[] {
    const issues: string[] = [];
    items.forEach((item, i) => {
      const used: [VersionFeature, unknown][] = [
        ["returnAffectedFieldValues", item.return_affected_field_values],
        ["notificationCondition", item.notification_condition],
      ];
      for (const [feature, value] of used) {
        const reason = value === undefined ? undefined : unsupportedReason(this.apiVersion, feature);
        if (reason) issues.push(`[${i}].${feature}: ${reason}`);
      }
    });
    return issues;
  }

  private readWrite(json: unknown, context: ErrorContext): z.output<typeof WireWriteAnswerSchema>["watch"] {
    const result = WireWriteAnswerSchema.safeParse(json);
    if (!result.success)
      throw this.unreadable(context.operation, context.status, context.attempts, result.error);
    return result.data.watch;
  }

  private context(
    operation: ZohoOperation,
    status: number,
    attempts: number,
    redactor: Redactor,
  ): ErrorContext {
    return { operation, status, attempts, redactor };
  }

  private invalid(operation: ZohoOperation, issues: string[]): ZohoValidationError {
    return new ZohoValidationError(
      `${operation}: invalid input, nothing was sent:\n  ${issues.join("\n  ")}`,
      {
        operation,
        issues,
      },
    );
  }

  private unreadable(
    operation: ZohoOperation,
    status: number,
    attempts: number,
    error: z.ZodError,
  ): ZohoApiError {
    // Paths only: the answer may hold tokens and URLs.
    const where = [...new Set(error.issues.map((issue) => issue.path.join(".") || "(root)"))].slice(0, 5);
    return new ZohoApiError(
      `${operation}: Zoho's answer (HTTP ${status}) has an unexpected shape at ${where.join(", ")}`,
      { operation, status, attempts },
    );
  }
}

function toArray<T>(value: T | readonly T[]): T[] {
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
