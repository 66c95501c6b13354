import { modulesOf } from "./events";
import type { NotificationCondition } from "../zoho/notification-condition";
import type { Timeline } from "./timeline";

/**
 * The channels of the emulated org. Expired channels stay stored (the control API shows them) but are
 * invisible to the watch API and to delivery: "live" always means `expiresAt` is after the clock.
 */

/** A channel as stored. Times are epoch milliseconds on the emulator clock. */
export interface Channel {
  readonly channelId: string;
  /** Canonical events (see events.ts). */
  readonly events: readonly string[];
  readonly notifyUrl: string;
  readonly token: string | null;
  readonly expiresAt: number;
  readonly notifyOnRelatedAction: boolean;
  readonly returnAffectedFieldValues: boolean;
  readonly notificationCondition: readonly NotificationCondition[] | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export function isLive(channel: Channel, now: number): boolean {
  return channel.expiresAt > now;
}

export class ChannelStore {
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly timeline: Timeline,
    private readonly onChange: () => void,
  ) {}

  /** The channel if it exists and has not expired. */
  live(channelId: string, now: number): Channel | undefined {
    const channel = this.channels.get(channelId);
    return channel && isLive(channel, now) ? channel : undefined;
  }

  /** Live channels, oldest first (the order GET lists them in). */
  liveChannels(now: number): Channel[] {
    return this.all()
      .filter((channel) => isLive(channel, now))
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Every stored channel, expired ones included. */
  all(): Channel[] {
    return [...this.channels.values()];
  }

  /** Stores a created or changed channel (replacing an expired one with the same id). */
  save(channel: Channel, now: number): void {
    this.channels.set(channel.channelId, channel);
    this.timeline.record(channel.channelId, modulesOf(channel.events), channel.expiresAt, now);
    this.onChange();
  }

  remove(channelId: string, now: number): void {
    this.channels.delete(channelId);
    this.timeline.record(channelId, [], now, now);
    this.onChange();
  }

  restore(channels: readonly Channel[]): void {
    this.channels.clear();
    for (const channel of channels) this.channels.set(channel.channelId, channel);
  }

  clear(): void {
    this.channels.clear();
  }
}
