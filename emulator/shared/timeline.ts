/**
 * When each channel was subscribed to each module: the evidence a test needs to prove that a renewal
 * left no gap. Expiry happens by the clock without any request, so an interval stores the expiry it
 * was promised and is read as ended once the clock passes it.
 */

/** One stored interval; `endedAt` is set only by an explicit end (disable, event removal, replace). */
export interface StoredInterval {
  from: number;
  endedAt: number | null;
  expiresAt: number;
}

export type StoredTimeline = Record<string, Record<string, StoredInterval[]>>;

/** `{ [channelId]: { [module]: [{ from, to }] } }`, ISO UTC; `to: null` = still subscribed now. */
export type TimelineSnapshot = Record<string, Record<string, Array<{ from: string; to: string | null }>>>;

function isOpen(interval: StoredInterval, now: number): boolean {
  return interval.endedAt === null && interval.expiresAt > now;
}

export class Timeline {
  private intervals = new Map<string, Map<string, StoredInterval[]>>();

  /**
   * Records a channel's state after a change: `modules` are subscribed until `expiresAt` (none after a
   * disable). A live interval is extended, so a renewal before expiry keeps one unbroken interval; a
   * module without a live interval starts a new one.
   */
  record(channelId: string, modules: readonly string[], expiresAt: number, now: number): void {
    const byModule = this.intervals.get(channelId) ?? new Map<string, StoredInterval[]>();
    for (const [module, list] of byModule) {
      const last = list.at(-1);
      if (last && isOpen(last, now) && !modules.includes(module)) last.endedAt = now;
    }
    for (const module of modules) {
      const list = byModule.get(module) ?? [];
      const last = list.at(-1);
      if (last && isOpen(last, now)) last.expiresAt = expiresAt;
      else list.push({ from: now, endedAt: null, expiresAt });
      byModule.set(module, list);
    }
    this.intervals.set(channelId, byModule);
  }

  snapshot(now: number): TimelineSnapshot {
    const iso = (ms: number) => new Date(ms).toISOString();
    const result: TimelineSnapshot = {};
    for (const [channelId, byModule] of this.intervals) {
      const modules: TimelineSnapshot[string] = {};
      for (const [module, list] of byModule) {
        modules[module] = list.map((interval) => {
          const end = interval.endedAt ?? (interval.expiresAt <= now ? interval.expiresAt : null);
          return { from: iso(interval.from), to: end === null ? null : iso(end) };
        });
      }
      result[channelId] = modules;
    }
    return result;
  }

  toStored(): StoredTimeline {
    const stored: StoredTimeline = {};
    for (const [channelId, byModule] of this.intervals) stored[channelId] = Object.fromEntries(byModule);
    return stored;
  }

  restore(stored: StoredTimeline): void {
    this.intervals = new Map(
      Object.entries(stored).map(([channelId, byModule]) => [channelId, new Map(Object.entries(byModule))]),
    );
  }

  clear(): void {
    this.intervals.clear();
  }
}
