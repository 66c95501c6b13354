/**
 * The public verbs of the Zoho watch API: enable, list/get, update, patch, disableEvents, disable.
 *
 * Each verb validates its input with the schemas and the rulebook (nothing is sent when an item is
 * invalid), splits it into requests Zoho accepts (batches.ts), runs each through the executor, and
 * reads Zoho's answers into one outcome per item; writes then check the answered expiry (expiry.ts).
 */
import type { DateTime } from "luxon";
import type * as z from "../zod";
import { disableOutcomes, itemOutcomes, type ErrorContext, type WatchOutcome } from "./answers";
import { chunkByJoinedLength, chunkBySize, sendChunks } from "./batches";
import { resolveEndpoints, type ResolvedEndpoints } from "../zoho/data-centres";
import { parseExpiry } from "../zoho/dates";
import {
  ZohoApiError,
  ZohoNotFoundError,
  ZohoUnexpectedAnswerError,
  ZohoValidationError,
  type ZohoOperation,
} from "../zoho/errors";
import { ApiExecutor, type ApiAnswer, type ApiRequest } from "./executor";
import { checkAnsweredExpiry, expiryBeyondMaximum } from "./expiry";
import { HttpTransport, type HttpTimeouts } from "./http";
import { ConcurrencyLimiter } from "./limiter";
import { OAuthTokenSource } from "./oauth";
import {
  DEFAULT_EXPIRY_TOLERANCE_MS,
  parseClientOptions,
  systemClock,
  type ZohoWatchClientOptions,
} from "./options";
import { Redactor } from "./redact";
import { retryOptions } from "./retry";
import {
  DEFAULT_API_VERSION,
  LIMITS,
  unsupportedReason,
  type ApiVersion,
  type VersionFeature,
} from "../zoho/rules";
import {
  ChannelIdSchema,
  DisableEventsItemSchema,
  EnableItemSchema,
  formatIssues,
  ListFilterSchema,
  PatchItemSchema,
  UpdateItemSchema,
  WireListAnswerSchema,
  WireOrgAnswerSchema,
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
  type ZohoOrg,
} from "../zoho/schemas";

/** Time bounds. All in milliseconds. */
export interface ZohoTimeouts extends HttpTimeouts {
  /**
   * Overall deadline of one API request: the token fetch it waits for, every attempt and every
   * backoff wait. Each page of a `list` and each request of a split write is one request. Default 60 s.
   */
  operationMs: number;
}

export type { ZohoWatchClientOptions } from "./options";

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
 * they throw only for failures of the whole call (auth, network, limits, invalid input). A call
 * with more items than one request may carry is sent as several requests, one after another
 * (see batches.ts): a request that fails as a whole then fails only its own items, unless every
 * request failed, in which case the call throws.
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
  private readonly clock: () => DateTime;
  private readonly expiryToleranceMs: number;
  private closed = false;

  /**
   * Validates `options` (a TypeError names every bad option and what it accepts) and prepares the
   * connection pool. Makes no request.
   */
  constructor(input: ZohoWatchClientOptions) {
    const options = parseClientOptions(input);
    const { credentials } = options;
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.clock = options.clock ?? systemClock;
    this.expiryToleranceMs = options.expiryToleranceMs ?? DEFAULT_EXPIRY_TOLERANCE_MS;
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
      timer: options.timer,
    });
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 5);
    this.executor = new ApiExecutor({
      transport: this.transport,
      tokens: this.tokens,
      limiter: this.limiter,
      retry,
      apiVersion: this.apiVersion,
      operationTimeoutMs: timeouts.operationMs,
      timer: options.timer,
      userAgent,
      isClosed: () => this.closed,
    });
  }

  /** Token HTTP requests made so far (for diagnostics and tests). */
  get tokenRequests(): number {
    return this.tokens.requests;
  }

  /**
   * Starts getting an access token, when none is held, without waiting for it. For a caller that
   * will send a request shortly but not at once (the provider's batching window): the token
   * request, and loading the HTTP stack, then overlap the wait. A failure is not reported here; the
   * request that follows joins the same token request and reports it.
   */
  prepare(): void {
    if (this.closed) return;
    this.tokens.get().catch(() => undefined);
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
    // Zoho reads at most LIMITS.maxChannelIdsParamLength characters of channel_ids: one DELETE per group.
    const groups = chunkByJoinedLength(unique, LIMITS.maxChannelIdsParamLength);
    const outcomes = await sendChunks(
      groups,
      async (group) => {
        const redactor = this.redactor.child();
        const answer = await this.runAbout(group, {
          operation: "disable",
          query: { channel_ids: group.join(",") },
          redactor,
          signal: options.signal,
        });
        if (Array.isArray(answer)) return answer;
        const context = this.context("disable", answer.status, answer.attempts, redactor);
        return disableOutcomes(this.readWrite(answer.json, context), group, context);
      },
      (group) => group,
    );
    return ids.map((id) => outcomes[unique.indexOf(id)] as WatchOutcome);
  }

  /**
   * Lists subscriptions (GET), following every page. One row per channel × module. Only HTTP 204
   * or an empty `watch` list means "none": any other answer that is not a list (an empty body with
   * HTTP 200, a missing `watch`) throws `ZOHO_UNEXPECTED_ANSWER`, since reading it as "gone" would
   * orphan live channels.
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
      if (answer.status === 204) return rows;
      if (answer.json === undefined) {
        throw new ZohoUnexpectedAnswerError(
          `list: Zoho answered HTTP ${answer.status} with an empty body; only HTTP 204 or an empty list means ` +
            "no channel matches, so nothing is concluded from it. Try again later",
          { operation: "list", status: answer.status, attempts: answer.attempts },
        );
      }
      // A bare empty array says "none" as clearly as {"watch": []}.
      if (Array.isArray(answer.json) && answer.json.length === 0) return rows;
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
    return mergeRows(rows);
  }

  /**
   * Every live channel of the org, its rows merged, by channel id: one paged listing (200 rows a
   * page), so knowing about many channels costs a few calls instead of one per channel.
   */
  async channels(options: CallOptions = {}): Promise<Map<string, WatchChannel>> {
    const byId = new Map<string, WatchSubscription[]>();
    for (const row of await this.list({}, options)) {
      byId.set(row.channelId, [...(byId.get(row.channelId) ?? []), row]);
    }
    const channels = new Map<string, WatchChannel>();
    for (const [id, rows] of byId) {
      const channel = mergeRows(rows);
      if (channel) channels.set(id, channel);
    }
    return channels;
  }

  /**
   * The org the credentials act in (`GET /crm/{version}/org`, scope `ZohoCRM.org.READ`): its id
   * tells two orgs of one data centre apart. Any answer without exactly one org with an id throws
   * `ZOHO_UNEXPECTED_ANSWER`: a caller deciding by the org must never guess it.
   */
  async org(options: CallOptions = {}): Promise<ZohoOrg> {
    const answer = await this.executor.run({
      operation: "org",
      redactor: this.redactor.child(),
      signal: options.signal,
    });
    const result = WireOrgAnswerSchema.safeParse(answer.json);
    if (!result.success) throw this.unreadable("org", answer.status, answer.attempts, result.error);
    return result.data;
  }

  /**
   * Releases the connection pool. Calls in flight finish (or, with `abort`, fail at once) and later
   * calls fail with `ZOHO_CLOSED`. Safe to call twice.
   */
  async close(options: { abort?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.tokens.close();
    this.limiter.rejectAll(new Error("the Zoho client was closed"));
    await this.transport.close(options);
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
    issues.push(...this.ruleIssues(wire, items.length === 1 && !Array.isArray(input)));
    if (issues.length > 0)
      throw this.invalid(
        operation,
        issues.map((line) => redactor.text(line)),
      );

    // Zoho takes at most LIMITS.maxItemsPerWrite items per request.
    return sendChunks(
      chunkBySize(wire, LIMITS.maxItemsPerWrite),
      (chunk) => this.writeChunk(operation, chunk, redactor, options),
      (chunk) => chunk.map((item) => item.channel_id),
    );
  }

  /** One write request; every item's outcome, its answered expiry checked against the requested one. */
  private async writeChunk(
    operation: ZohoOperation,
    chunk: WireWatchItem[],
    redactor: Redactor,
    options: CallOptions,
  ): Promise<WatchOutcome[]> {
    const answer = await this.runAbout(
      chunk.map((item) => item.channel_id),
      { operation, body: { watch: chunk }, redactor, signal: options.signal },
    );
    if (Array.isArray(answer)) return answer;
    const context = this.context(operation, answer.status, answer.attempts, redactor);
    const entries = this.readWrite(answer.json, context);
    const outcomes = itemOutcomes(
      entries,
      chunk.map((w) => w.channel_id),
      context,
    );
    return outcomes.map((outcome, i) =>
      checkAnsweredExpiry(outcome, chunk[i]?.channel_expiry, {
        operation,
        version: this.apiVersion,
        toleranceMs: this.expiryToleranceMs,
        status: answer.status,
        attempts: answer.attempts,
      }),
    );
  }

  /**
   * Runs a request about `channelIds`. Zoho may answer NOT_SUBSCRIBED (`details: {}`) for the whole
   * request rather than in an entry; when the request is about one channel, that is the channel's
   * outcome, as an entry would have been. About several, it cannot be attributed and is thrown.
   */
  private async runAbout(
    channelIds: readonly string[],
    request: Omit<ApiRequest, "about">,
  ): Promise<ApiAnswer | WatchOutcome[]> {
    const only = channelIds.length === 1 ? channelIds[0] : undefined;
    try {
      return await this.executor.run({ ...request, about: only });
    } catch (error) {
      if (only !== undefined && error instanceof ZohoNotFoundError)
        return [{ ok: false, channelId: only, error }];
      throw error;
    }
  }

  /**
   * What the rulebook forbids and the schemas cannot see: features newer than the configured
   * version (Zoho may ignore them silently), and an expiry beyond the version's maximum by this
   * client's clock (Zoho would silently cut it to one hour).
   */
  private ruleIssues(items: readonly WireWatchItem[], single: boolean): string[] {
    const issues: string[] = [];
    const now = this.clock();
    items.forEach((item, i) => {
      const at = single ? "" : `[${i}].`;
      const used: [VersionFeature, unknown][] = [
        ["returnAffectedFieldValues", item.return_affected_field_values],
        ["notificationCondition", item.notification_condition],
      ];
      for (const [feature, value] of used) {
        const reason = value === undefined ? undefined : unsupportedReason(this.apiVersion, feature);
        if (reason) issues.push(`${at}${feature}: ${reason}`);
      }
      if (item.channel_expiry !== undefined) {
        const reason = expiryBeyondMaximum(parseExpiry(item.channel_expiry), this.apiVersion, now);
        if (reason) issues.push(`${at}channelExpiry: ${reason}`);
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
  ): ZohoUnexpectedAnswerError {
    // Paths only: the answer may hold tokens and URLs.
    const where = [...new Set(error.issues.map((issue) => issue.path.join(".") || "(root)"))].slice(0, 5);
    return new ZohoUnexpectedAnswerError(
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

/**
 * One channel from its GET rows (one per module), or undefined for none. Each row carries the
 * notification conditions of its own module, so the channel's conditions are gathered from all rows.
 */
function mergeRows(rows: WatchSubscription[]): WatchChannel | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const events: string[] = [];
  for (const row of rows) for (const event of row.events) if (!events.includes(event)) events.push(event);
  let notificationCondition: NotificationCondition[] | null = null;
  for (const row of rows) {
    for (const condition of row.notificationCondition ?? []) {
      notificationCondition ??= [];
      if (!notificationCondition.some((c) => c.module.apiName === condition.module.apiName)) {
        notificationCondition.push(condition);
      }
    }
  }
  return {
    channelId: first.channelId,
    events,
    channelExpiry: first.channelExpiry,
    notifyUrl: first.notifyUrl,
    token: first.token,
    notifyOnRelatedAction: first.notifyOnRelatedAction,
    returnAffectedFieldValues: first.returnAffectedFieldValues,
    notificationCondition,
    subscriptions: rows,
  };
}
