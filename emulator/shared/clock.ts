import { DateTime, Duration } from "luxon";

/**
 * The emulator's clock: real time plus an offset that only control calls change. Channel expiry,
 * access-token expiry, the token throttle window and `server_time` in notifications all read it, so a
 * test can jump an hour ahead instead of waiting one.
 */
export class Clock {
  constructor(
    private offset = 0,
    private readonly onChange: () => void = () => undefined,
    private readonly realNow: () => number = Date.now,
  ) {}

  /** Emulator time, epoch milliseconds. */
  nowMs(): number {
    return this.realNow() + this.offset;
  }

  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Makes emulator time equal `instantMs` now; it keeps running with real time afterwards. */
  set(instantMs: number): void {
    this.offset = instantMs - this.realNow();
    this.onChange();
  }

  advance(ms: number): void {
    this.offset += ms;
    this.onChange();
  }

  restore(offsetMs: number): void {
    this.offset = offsetMs;
  }
}

/** Epoch ms of an ISO-8601 instant with a date, a time and an offset; throws a readable error otherwise. */
export function parseInstant(iso: string): number {
  const parsed = DateTime.fromISO(iso, { setZone: true });
  if (!parsed.isValid || !/T/.test(iso)) throw new Error(`"${iso}" is not an ISO-8601 date-time`);
  return parsed.toMillis();
}

/**
 * Milliseconds of an ISO-8601 duration ("PT50M", "P1D") or a number of milliseconds; refuses negative
 * amounts (moving back is `setClock`'s job, so a typo cannot silently rewind every expiry).
 */
export function parseDurationMs(by: string | number): number {
  const ms = typeof by === "number" ? by : Duration.fromISO(by).as("milliseconds");
  if (!Number.isFinite(ms))
    throw new Error(`"${String(by)}" is neither an ISO-8601 duration nor milliseconds`);
  if (ms < 0) throw new Error(`cannot advance the clock by a negative amount (${String(by)}); use setClock`);
  return ms;
}
