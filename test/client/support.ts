/**
 * Shared set-up for the client tests: one emulator per test file (reset before each test), and
 * clients pointed at it with tiny backoff so failure paths stay fast.
 */
import { startEmulator, DEMO_CREDENTIALS, type RunningEmulator } from "../../emulator";
import { ZohoWatchClient, type RetryTimer, type ZohoWatchClientOptions } from "../../provider/client";

export { DEMO_CREDENTIALS };

/** Backoff small enough for tests; four attempts like the default. */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5_000 };

/** Timeouts small enough that a hang fails a test quickly, large enough for a loaded 2-core box. */
export const TEST_TIMEOUTS = { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000, operationMs: 10_000 };

const open = new Set<ZohoWatchClient>();

type EmulatorOptions = Parameters<typeof startEmulator>[0];

/**
 * Registers mocha hooks that start one emulator for the enclosing `describe`, reset it before each
 * test and close it at the end. Returns a getter (the emulator exists only once `before` ran).
 */
export function useEmulator(options?: EmulatorOptions): () => RunningEmulator {
  let emulator: RunningEmulator | undefined;
  before(async () => {
    emulator = await startEmulator({ tokenRateLimit: false, ...options });
  });
  beforeEach(async () => {
    await emulator?.reset();
  });
  afterEach(closeOpenClients);
  after(async () => {
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error("emulator not started");
    return emulator;
  };
}

/** Closes every client made by {@link clientFor} or {@link clientAt} (run after each test). */
export async function closeOpenClients(): Promise<void> {
  await Promise.all([...open].map((client) => client.close()));
  open.clear();
}

/** A client whose accounts server and API are both at `url`; closed by {@link closeOpenClients}. */
export function clientAt(url: string, overrides: Partial<ZohoWatchClientOptions> = {}): ZohoWatchClient {
  const client = new ZohoWatchClient({
    credentials: DEMO_CREDENTIALS,
    accountsUrl: url,
    apiDomain: url,
    retry: FAST_RETRY,
    timeouts: TEST_TIMEOUTS,
    ...overrides,
  });
  open.add(client);
  return client;
}

/** A client for the emulator; closed automatically after the test. */
export function clientFor(
  emulator: RunningEmulator,
  overrides: Partial<ZohoWatchClientOptions> = {},
): ZohoWatchClient {
  const client = new ZohoWatchClient({
    credentials: DEMO_CREDENTIALS,
    accountsUrl: emulator.url,
    retry: FAST_RETRY,
    timeouts: TEST_TIMEOUTS,
    ...overrides,
  });
  open.add(client);
  return client;
}

/** A notify URL on loopback (the emulator only delivers to loopback). */
export const NOTIFY_URL = "http://127.0.0.1:9/zoho-hook";

/** The emulator's clock plus an ISO-8601 duration, as an ISO string with offset. */
export async function emulatorTimePlus(emulator: RunningEmulator, minutes: number): Promise<string> {
  const now = Date.parse(await emulator.now());
  return new Date(now + minutes * 60_000).toISOString();
}

/** A {@link RetryTimer} whose clock moves only when the client sleeps, recording each wait asked for. */
export interface VirtualTimer extends RetryTimer {
  /** Every wait the client asked for, in order, in milliseconds. */
  readonly waits: number[];
}

/**
 * A virtual timer for retry tests: `sleep` returns at once and moves the clock by the wait, so a
 * test asserts the waits requested (and the deadline they were held to) without spending them.
 */
export function virtualTimer(start = Date.now()): VirtualTimer {
  let now = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: (ms, signal) => {
      if (signal.aborted) return Promise.reject(signal.reason as Error);
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}
