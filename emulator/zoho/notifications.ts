import { Agent, request } from "undici";
import type { Clock } from "../shared/clock";
import type { DeliveryRecord, NotificationBody, RecordChange } from "../control/contract";
import { subscribesTo } from "../shared/events";
import { deliveryRefusal, type OwnAddress } from "./delivery-policy";
import { conditionAllows } from "./notification-condition";
import type { Channel, ChannelStore } from "../shared/store";

/**
 * What reaches a channel's notify_url when a record changes, and the log of every attempt.
 *
 * Safety first (see delivery-policy.ts): unless `allowExternalDelivery` is set, only loopback receivers
 * are ever contacted, so a channel pointing at a real webhook (copied from production config, say)
 * cannot leak test traffic; and the emulator never calls itself or any emulator's control API.
 */

/** Deliveries kept in the log (and in the state file); older ones are dropped. */
export const MAX_RECORDED_DELIVERIES = 1000;

/** Zoho says /crm/v2/ here whatever version created the channel. */
export const NOTIFICATION_RESOURCE_BASE = "https://www.zohoapis.com/crm/v2/";

const NOTIFIED_OPERATION = { create: "insert", edit: "update", delete: "delete" } as const;

export class DeliveryLog {
  private records: DeliveryRecord[] = [];

  constructor(private readonly onChange: () => void) {}

  add(records: readonly DeliveryRecord[]): void {
    if (records.length === 0) return;
    this.records = [...this.records, ...records].slice(-MAX_RECORDED_DELIVERIES);
    this.onChange();
  }

  list(): DeliveryRecord[] {
    return [...this.records];
  }

  restore(records: readonly DeliveryRecord[]): void {
    this.records = records.slice(-MAX_RECORDED_DELIVERIES);
  }

  clear(): void {
    this.records = [];
    this.onChange();
  }
}

export interface NotifierOptions {
  readonly clock: Clock;
  readonly log: DeliveryLog;
  readonly allowExternalDelivery: boolean;
  readonly timeoutMs: number;
  /** Where the emulator listens (undefined before it does): deliveries there are refused. */
  readonly ownAddress: () => OwnAddress | undefined;
}

function queryParams(notifyUrl: string): Record<string, string> {
  try {
    return Object.fromEntries(new URL(notifyUrl).searchParams);
  } catch {
    return {};
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return "error: timeout";
    const code = (error as { code?: unknown }).code;
    return `error: ${typeof code === "string" ? code : error.message}`;
  }
  return `error: ${String(error)}`;
}

export class Notifier {
  private readonly agent: Agent;

  constructor(private readonly options: NotifierOptions) {
    this.agent = new Agent({ keepAliveTimeout: 1000, connect: { timeout: options.timeoutMs } });
  }

  /**
   * Notifies every live channel of the org (`channels`) subscribed to the change, in parallel;
   * returns (and logs) the attempts.
   */
  async simulate(change: RecordChange, channels: ChannelStore): Promise<DeliveryRecord[]> {
    const now = this.options.clock.nowMs();
    const bodies = channels
      .liveChannels(now)
      .filter((channel) => subscribesTo(channel.events, change.module, change.operation))
      .map((channel) => ({ channel, body: this.bodyFor(channel, change, now) }))
      .filter((target): target is { channel: Channel; body: NotificationBody } => target.body !== undefined);
    const records = await Promise.all(bodies.map(({ channel, body }) => this.deliver(channel, body, now)));
    this.options.log.add(records);
    return records;
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }

  /** The notification for one channel, or undefined when its notification_condition filters out every record. */
  private bodyFor(channel: Channel, change: RecordChange, now: number): NotificationBody | undefined {
    const values = change.values ?? {};
    const changedFields = (id: string) => Object.keys(values[id] ?? {});
    // A field condition only concerns edits; it keeps the records whose changed fields satisfy it.
    const ids =
      change.operation === "edit"
        ? change.ids.filter((id) =>
            conditionAllows(channel.notificationCondition, change.module, changedFields(id)),
          )
        : change.ids;
    if (ids.length === 0) return undefined;
    const body: NotificationBody = {
      server_time: now,
      query_params: queryParams(channel.notifyUrl),
      module: change.module,
      resource_uri: NOTIFICATION_RESOURCE_BASE + change.module,
      ids,
      affected_fields: change.operation === "edit" ? ids.map((id) => ({ [id]: changedFields(id) })) : [],
      operation: NOTIFIED_OPERATION[change.operation],
      channel_id: channel.channelId,
      token: channel.token,
    };
    if (!channel.returnAffectedFieldValues) return body;
    const affectedValues = ids.flatMap((id) => {
      const recordValues = values[id];
      return recordValues ? [{ record_id: id, values: recordValues }] : [];
    });
    return { ...body, affected_values: affectedValues };
  }

  private async deliver(channel: Channel, body: NotificationBody, now: number): Promise<DeliveryRecord> {
    const record = {
      channelId: channel.channelId,
      url: channel.notifyUrl,
      at: new Date(now).toISOString(),
      body,
    };
    let url: URL;
    try {
      url = new URL(channel.notifyUrl);
    } catch {
      return { ...record, status: "error: invalid URL", delivered: false };
    }
    const refusal = deliveryRefusal(url, {
      allowExternalDelivery: this.options.allowExternalDelivery,
      ownAddress: this.options.ownAddress(),
    });
    if (refusal !== undefined) return { ...record, status: refusal, delivered: false };
    const { timeoutMs } = this.options;
    try {
      const response = await request(channel.notifyUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "zoho-crm-emulator" },
        body: JSON.stringify(body),
        dispatcher: this.agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body.dump();
      const { statusCode } = response;
      return { ...record, status: statusCode, delivered: statusCode >= 200 && statusCode < 300 };
    } catch (error) {
      return { ...record, status: errorText(error), delivered: false };
    }
  }
}
