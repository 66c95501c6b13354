/**
 * Fewer Zoho calls for many channels: the provider process's view of the watch API.
 *
 * The engine calls the provider once per resource, up to `--parallel` (default 8) at a time, and
 * each call used to be its own request: a GET to learn whether the channel is live, then a POST or
 * PUT, and on the old resource's delete another GET. For a renewal of N channels that is 3N requests
 * through a concurrency limit of 5. Two things in this process change that, without changing what
 * any single resource does:
 *
 *  - **Batched writes.** Zoho takes up to 50 items per POST/PUT (its published limit) and answers
 *    per item, so writes that arrive within a few milliseconds of each other go out as one request.
 *    Each caller still gets its own item's outcome. An item the client refuses before sending
 *    (validation) is retried alone, so it cannot fail its neighbours.
 *  - **What this process already knows** ({@link ChannelMemory}), instead of a GET: a channel whose
 *    stored expiry is still ahead, or that this process wrote, was subscribed, so a renewal PUTs at
 *    once. If it was deleted out of band, the PUT answers NOT_SUBSCRIBED and the caller POSTs, as it
 *    already does when a channel expires between a GET and a PUT. Anything else (a new channel, a
 *    stored expiry already past, refresh) still asks Zoho.
 *
 * While a request waits for others to join it, the client already gets its access token
 * (`prepare`), so the first request of a run does not add the token's round trip (and loading the
 * HTTP stack) to the window.
 */
import { DateTime } from "luxon";
import type { WatchOutcome } from "../client/answers";
import type { WatchChannel, ZohoWatchClient } from "../client/client";
import { ZohoNotFoundError, ZohoValidationError } from "../zoho/errors";
import type { UpdateItem, ZohoOrg } from "../zoho/schemas";
import { offsetClock, type Clock } from "../channel/expiry";
import { ChannelMemory } from "./run-memory";
import { LIMITS } from "../zoho/rules";

/** Zoho's published limit of watch items per write (the client splits long DELETE lists itself). */
export const MAX_BATCH_ITEMS = LIMITS.maxItemsPerWrite;

/** Options of {@link BatchingWatchClient}. */
export interface BatchingOptions {
  /** How long a write waits for others to join its request. Default 10 ms. */
  windowMs?: number;
  /** Items per request, at most {@link MAX_BATCH_ITEMS}. */
  maxItems?: number;
  /** The provider's clock. Default: real time. */
  clock?: Clock;
  /** The run's memory of this endpoint's channels (stored and written expiries). Default: a new one. */
  memory?: ChannelMemory;
}

type Op = "enable" | "update" | "disable";

interface PendingLookup {
  channelId: string;
  resolve: (channel: WatchChannel | undefined) => void;
  reject: (error: unknown) => void;
}

interface Pending<T> {
  key: string;
  item: T;
  resolve: (outcome: WatchOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects items for `windowMs` (or until `maxItems` are waiting) and sends them with one call.
 * Items with the same key never share a request (Zoho answers AMBIGUITY_DURING_PROCESSING for the
 * second one) nor race one: the later one waits until the earlier one is answered.
 */
export class MicroBatcher<T> {
  private queue: Pending<T>[] = [];
  /** Keys of the items in requests not answered yet. */
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (items: T[]) => Promise<WatchOutcome[]>,
    private readonly windowMs: number,
    private readonly maxItems: number,
  ) {}

  /** Queues one item; resolves with its outcome, rejects with the failure of its whole request. */
  submit(key: string, item: T): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve, reject) => {
      this.queue.push({ key, item, resolve, reject });
      if (this.queue.length >= this.maxItems) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  /**
   * Sends everything queued now, in as few requests as the limits allow. An item whose channel is
   * in a request still in flight waits for that request: two writes of one channel never race.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch: Pending<T>[] = [];
      const keys = new Set<string>();
      const rest: Pending<T>[] = [];
      for (const pending of this.queue) {
        if (batch.length < this.maxItems && !keys.has(pending.key) && !this.inFlight.has(pending.key)) {
          batch.push(pending);
          keys.add(pending.key);
        } else {
          rest.push(pending);
        }
      }
      this.queue = rest;
      if (batch.length === 0) return;
      for (const key of keys) this.inFlight.add(key);
      void this.sendBatch(batch).finally(() => {
        for (const key of keys) this.inFlight.delete(key);
        if (this.queue.length > 0) this.flush();
      });
    }
  }

  private async sendBatch(batch: Pending<T>[]): Promise<void> {
    try {
      const outcomes = await this.send(batch.map((p) => p.item));
      batch.forEach((pending, i) => {
        const outcome = outcomes[i];
        if (outcome) pending.resolve(outcome);
        else pending.reject(new Error(`Zoho answered no entry for channel ${pending.key}`));
      });
    } catch (error) {
      if (batch.length > 1 && error instanceof ZohoValidationError) {
        // Refused before sending: one bad item must not fail the others; each goes alone.
        await Promise.all(batch.map((pending) => this.sendBatch([pending])));
        return;
      }
      for (const pending of batch) pending.reject(error);
    }
  }
}

/**
 * The watch client as the WatchChannel lifecycle uses it: single-channel verbs whose requests are
 * batched, plus {@link BatchingWatchClient.isLive}, which answers from what this process knows when
 * it can. One instance per provider runtime.
 */
export class BatchingWatchClient {
  private readonly batchers: { [K in Op]: MicroBatcher<K extends "disable" ? string : UpdateItem> };
  private readonly memory: ChannelMemory;
  private readonly reads = new Map<string, Promise<WatchChannel | undefined>>();
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly lookups: PendingLookup[] = [];
  private lookupTimer: NodeJS.Timeout | undefined;
  private snapshot: Promise<Map<string, WatchChannel>> | undefined;

  constructor(
    private readonly client: ZohoWatchClient,
    options: BatchingOptions = {},
  ) {
    const windowMs = options.windowMs ?? 10;
    this.windowMs = windowMs;
    const maxItems = Math.min(options.maxItems ?? MAX_BATCH_ITEMS, MAX_BATCH_ITEMS);
    this.clock = options.clock ?? offsetClock();
    this.memory = options.memory ?? new ChannelMemory();
    this.batchers = {
      enable: new MicroBatcher((items) => this.client.enable(items), windowMs, maxItems),
      update: new MicroBatcher((items) => this.client.update(items), windowMs, maxItems),
      disable: new MicroBatcher((ids) => this.client.disable(ids), windowMs, maxItems),
    };
  }

  get apiVersion(): ZohoWatchClient["apiVersion"] {
    return this.client.apiVersion;
  }

  /** Token requests made so far. */
  get tokenRequests(): number {
    return this.client.tokenRequests;
  }

  /** POST one channel (batched with concurrent ones); one outcome, as the client returns it. */
  async enable(item: UpdateItem): Promise<WatchOutcome[]> {
    this.client.prepare();
    return [this.wrote(await this.batchers.enable.submit(String(item.channelId), item), item)];
  }

  /** PUT one channel (batched with concurrent ones). */
  async update(item: UpdateItem): Promise<WatchOutcome[]> {
    this.client.prepare();
    return [this.wrote(await this.batchers.update.submit(String(item.channelId), item), item)];
  }

  /** DELETE one channel (batched with concurrent ones). */
  async disable(channelId: string): Promise<WatchOutcome[]> {
    this.client.prepare();
    const outcome = await this.batchers.disable.submit(channelId, channelId);
    if (outcome.ok) this.memory.noteWritten(channelId, null);
    return [outcome];
  }

  /** The org the connection's credentials act in (one GET per call: the runtime keeps the answer). */
  org(): Promise<ZohoOrg> {
    return this.client.org();
  }

  /** The live channel from Zoho (one GET; concurrent reads of one channel share it). */
  get(channelId: string): Promise<WatchChannel | undefined> {
    const inFlight = this.reads.get(channelId);
    if (inFlight) return inFlight;
    const read = this.client.get(channelId).finally(() => this.reads.delete(channelId));
    this.reads.set(channelId, read);
    return read;
  }

  /**
   * The live channel, for a create that must look before it writes. Lookups that arrive together
   * (a first `up` creating many channels) share one listing of the org's channels, kept for the
   * rest of the run: N new channels cost a few paged list calls instead of N GETs. A lone lookup is
   * one GET. The listing can go stale only for channels this run does not look up again, and a
   * channel someone subscribes after it is caught by the write's answer (see lifecycle.ts).
   */
  lookup(channelId: string): Promise<WatchChannel | undefined> {
    if (this.snapshot) return this.snapshot.then((channels) => channels.get(channelId));
    this.client.prepare();
    return new Promise((resolve, reject) => {
      this.lookups.push({ channelId, resolve, reject });
      this.lookupTimer ??= setTimeout(() => this.flushLookups(), this.windowMs);
    });
  }

  private flushLookups(): void {
    this.lookupTimer = undefined;
    const waiting = this.lookups.splice(0);
    if (waiting.length === 1 && !this.snapshot) {
      const [only] = waiting as [PendingLookup];
      this.get(only.channelId).then(only.resolve, only.reject);
      return;
    }
    this.snapshot ??= this.client.channels();
    // A failed listing fails these lookups; the next ones try again.
    const snapshot = this.snapshot;
    snapshot.catch(() => {
      if (this.snapshot === snapshot) this.snapshot = undefined;
    });
    for (const pending of waiting) {
      snapshot.then((channels) => pending.resolve(channels.get(pending.channelId)), pending.reject);
    }
  }

  /**
   * Whether the channel is subscribed, to choose PUT or POST: yes without a request when this
   * process wrote it or Pulumi stored it with an expiry still ahead; otherwise Zoho is asked.
   */
  async isLive(channelId: string): Promise<boolean> {
    const nowMs = this.clock().toMillis();
    const written = this.memory.writtenExpiry(channelId);
    if (written && written.toMillis() > nowMs) return true;
    // Only when this process has not written or disabled it since: then its own knowledge is newer.
    const stored = this.memory.storedExpiry(channelId);
    if (written === undefined && stored !== undefined && stored > nowMs) return true;
    return (await this.get(channelId)) !== undefined;
  }

  /** Sends whatever is queued, then closes the client (`abort`: failing what is in flight). */
  async close(options: { abort?: boolean } = {}): Promise<void> {
    if (this.lookupTimer) {
      clearTimeout(this.lookupTimer);
      this.flushLookups();
    }
    for (const batcher of Object.values(this.batchers)) batcher.flush();
    await this.client.close(options);
  }

  private wrote(outcome: WatchOutcome, item: UpdateItem): WatchOutcome {
    if (outcome.ok) {
      // The expiry Zoho echoed, else the one asked for: what the lifecycle stores in state too.
      const answered = outcome.resources.find((r) => r.channelExpiry !== undefined)?.channelExpiry;
      const expiry = answered ?? (DateTime.isDateTime(item.channelExpiry) ? item.channelExpiry : undefined);
      if (expiry) this.memory.noteWritten(outcome.channelId, expiry);
      else this.memory.forgetWritten(outcome.channelId);
    } else if (outcome.error instanceof ZohoNotFoundError) {
      // Zoho says it is not subscribed: newer than anything stored; the next question goes to Zoho.
      this.memory.noteWritten(outcome.channelId, null);
    }
    return outcome;
  }
}
