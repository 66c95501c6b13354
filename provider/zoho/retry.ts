/**
 * Retry policy: which failures are worth another attempt, and how long to wait before it.
 *
 * Whether an operation may be retried at all is decided per operation in `operations.ts`; this
 * module holds the mechanics shared by every operation.
 */

/** Bounds and pacing of retries. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 4. `1` disables retries. */
  maxAttempts: number;
  /** Base of the exponential backoff. Default 500 ms. */
  baseDelayMs: number;
  /** Cap of one backoff wait (before jitter). Default 10 s. */
  maxDelayMs: number;
  /**
   * Longest Retry-After this client will honour; a longer one ends the operation with
   * `ZOHO_RATE_LIMITED` at once instead of sleeping. Default 60 s.
   */
  maxRetryAfterMs: number;
}

/** Defaults: a handful of attempts over a few seconds, enough to ride out a brief 429/5xx burst. */
export const DEFAULT_RETRY: Readonly<RetryOptions> = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** Merges partial options over the defaults and checks them. */
export function retryOptions(partial: Partial<RetryOptions> = {}): RetryOptions {
  const merged = { ...DEFAULT_RETRY, ...stripUndefined(partial) };
  if (!Number.isInteger(merged.maxAttempts) || merged.maxAttempts < 1) {
    throw new TypeError("retry.maxAttempts must be an integer >= 1");
  }
  for (const key of ["baseDelayMs", "maxDelayMs", "maxRetryAfterMs"] as const) {
    if (!Number.isFinite(merged[key]) || merged[key] < 0) {
      throw new TypeError(`retry.${key} must be a finite number >= 0`);
    }
  }
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * HTTP statuses worth retrying: 429 (Zoho's concurrency limit) and the transient server errors.
 * 501 and 505 are permanent, so they are not in the list.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * a uniform wait in [0, min(cap, base·2^(retry-1))]. Full jitter spreads the retries of many
 * callers that failed together (e.g. a 429 burst), which is exactly the failure mode of a
 * concurrency limit.
 *
 * @param retry 1 for the first retry, 2 for the second, ...
 */
export function backoffDelay(
  retry: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Reads a Retry-After header: delta-seconds or an HTTP date. Returns milliseconds, or undefined
 * when the header is absent or unreadable.
 */
export function parseRetryAfter(
  header: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.round(Number(trimmed) * 1000);
  }
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** A failure that may be retried; `error` builds the error to throw if the loop gives up. */
export interface RetryableFailure {
  /** Builds the final error; `note` says why the loop stopped, `attempts` how many were made. */
  error: (note: string, attempts: number) => Error;
  /** Zoho's Retry-After, when it sent one. */
  retryAfterMs?: number | undefined;
}

/** One attempt's outcome: a value, or a retryable failure. Non-retryable failures are thrown. */
export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; failure: RetryableFailure };

/** What {@link retryLoop} needs besides the attempt itself. */
export interface RetryLoopContext {
  options: RetryOptions;
  /** Epoch ms after which no further attempt starts. */
  expiresAt: number;
  /** Aborts backoff waits. */
  signal: AbortSignal;
  /** HTTP attempts made so far (the attempt may make more than one, e.g. after a token refresh). */
  attempts: () => number;
  random?: () => number;
}

/**
 * Runs `attempt` until it succeeds, throws, or the bounds are reached: `maxAttempts`, a
 * Retry-After longer than `maxRetryAfterMs`, or a wait that would end past the deadline. Waits
 * honour Retry-After when Zoho sent one, else exponential backoff with full jitter.
 */
export async function retryLoop<T>(
  attempt: (retry: number) => Promise<AttemptOutcome<T>>,
  context: RetryLoopContext,
): Promise<T> {
  const started = Date.now();
  for (let retry = 0; ; retry += 1) {
    const outcome = await attempt(retry);
    if (outcome.ok) return outcome.value;
    const { failure } = outcome;
    const attempts = context.attempts();
    const elapsed = `${attempts} attempt${attempts === 1 ? "" : "s"} in ${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (retry + 1 >= context.options.maxAttempts) {
      throw failure.error(
        `gave up after ${elapsed} (retry.maxAttempts = ${context.options.maxAttempts})`,
        attempts,
      );
    }
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > context.options.maxRetryAfterMs) {
      throw failure.error(
        `Zoho asked to wait ${Math.ceil(failure.retryAfterMs / 1000)} s (Retry-After), more than retry.maxRetryAfterMs allows; stopped after ${elapsed}`,
        attempts,
      );
    }
    const wait = failure.retryAfterMs ?? backoffDelay(retry + 1, context.options, context.random);
    if (Date.now() + wait >= context.expiresAt) {
      throw failure.error(
        `gave up after ${elapsed}: the next attempt would pass the operation deadline`,
        attempts,
      );
    }
    await sleep(wait, context.signal);
  }
}

/** Waits `ms`, rejecting with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
