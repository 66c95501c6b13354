/**
 * Retry policy: which failures are worth another attempt, and how long to wait before it.
 *
 * Whether an operation may be retried at all is decided per operation in `operations.ts`; this
 * module holds the mechanics shared by every operation.
 *
 * Why not undici's `RetryAgent` / retry interceptor, which also honours Retry-After: it retries
 * inside one dispatch, below the executor, so (1) every retry re-sends the same headers: the
 * executor's one token refresh after a 401 INVALID_TOKEN cannot swap the Authorization header, and
 * the concurrency slot (limiter.ts) would stay held through every Retry-After sleep, starving the
 * run's other operations exactly while Zoho asks for less traffic; (2) it decides by HTTP method
 * and status, while ours is per operation (enable is a POST yet safe to repeat; PATCH is two
 * operations) and per proof (a refused connect proves nothing was sent, a rate-limit code may
 * come on a non-429 status); (3) it waits `min(Retry-After, maxTimeout)` and stops after
 * `maxRetries`: it comes back sooner than Zoho asked and stops by count, and knowing no deadline it
 * sleeps into it and is cut by the abort signal instead of refusing a wait that cannot fit with an
 * error that says so; (4) it ends with undici's `RequestRetryError`, losing the attempt count and
 * the redacted, typed error. Its `retry` callback could carry (2) and (3), but then all it would
 * still do for us is call setTimeout, and (1) cannot move below the dispatcher.
 */

/** Bounds and pacing of retries. */
export interface RetryOptions {
  /**
   * Attempts in all, the first included. Default 4. `1` disables retries. A 429 or 503 that carries
   * Retry-After does not count against it where the caller gives a deadline to wait within (API
   * calls: `timeouts.operationMs`); see {@link retryLoop}.
   */
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

/**
 * How the loop tells time and waits. Injectable so that tests can assert the waits requested
 * without spending them; {@link SYSTEM_TIMER} otherwise.
 */
export interface RetryTimer {
  /** Epoch milliseconds. */
  now(): number;
  /** Waits `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The system clock and setTimeout. */
export const SYSTEM_TIMER: RetryTimer = { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, signal) };

/**
 * Why Zoho refused an attempt for now (nothing was done): `rate-limited` (HTTP 429 or a rate-limit
 * code) or `unavailable` (HTTP 503). With a Retry-After this is Zoho saying when to come back.
 */
export type Deferral = "rate-limited" | "unavailable";

/** A failure that may be retried; `error` builds the error to throw if the loop gives up. */
export interface RetryableFailure {
  /** Builds the final error; `note` says why the loop stopped, `attempts` how many were made. */
  error: (note: string, attempts: number) => Error;
  /** Zoho's Retry-After, when it sent one. */
  retryAfterMs?: number | undefined;
  /** Set when the answer was a 429 or 503: see {@link Deferral}. */
  deferral?: Deferral | undefined;
}

/** The deadline a caller lets Retry-After waits run up to, named as the user sets it. */
export interface RetryDeadline {
  /** The setting, e.g. `timeouts.operationMs`. */
  setting: string;
  /** Its value in milliseconds. */
  ms: number;
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
  /** Default {@link SYSTEM_TIMER}; `expiresAt` must come from the same clock. */
  timer?: RetryTimer | undefined;
  /**
   * When given, a 429 or 503 carrying Retry-After is retried for as long as the wait ends before
   * `expiresAt`, whatever `maxAttempts` (which then bounds only the other failures), and the error
   * past the deadline names this setting. Left out (the token request: each one counts against
   * Zoho's ~10 token requests per 10 minutes), every failure counts against `maxAttempts`.
   */
  deadline?: RetryDeadline | undefined;
}

/**
 * Runs `attempt` until it succeeds, throws, or the bounds are reached: `maxAttempts`, a
 * Retry-After longer than `maxRetryAfterMs`, or a wait that would end past the deadline. Waits
 * honour Retry-After when Zoho sent one, else exponential backoff with full jitter.
 *
 * With `context.deadline`, a 429 or 503 that says when to come back (Retry-After) is not counted
 * against `maxAttempts`: Zoho told us when the call will be accepted, so giving up after a fixed
 * count would fail a run that had the time to wait. It is retried for as long as the requested
 * wait ends before the deadline, and refused, without sleeping, as soon as it would not.
 * `maxAttempts: 1` still disables every retry.
 */
export async function retryLoop<T>(
  attempt: (retry: number) => Promise<AttemptOutcome<T>>,
  context: RetryLoopContext,
): Promise<T> {
  const timer = context.timer ?? SYSTEM_TIMER;
  const { maxAttempts } = context.options;
  const started = timer.now();
  // Failed attempts that count against maxAttempts.
  let counted = 0;
  for (let retry = 0; ; retry += 1) {
    const outcome = await attempt(retry);
    if (outcome.ok) return outcome.value;
    const { failure } = outcome;
    const attempts = context.attempts();
    const now = timer.now();
    const elapsed = `${attempts} attempt${attempts === 1 ? "" : "s"} in ${seconds(now - started)} s`;
    // At least a second (RFC 9110's delta-seconds are whole seconds): `Retry-After: 0` says "now",
    // no hint at all, and left uncounted it would let a server drive a tight loop until the deadline.
    const toldWhen =
      context.deadline !== undefined &&
      failure.deferral !== undefined &&
      failure.retryAfterMs !== undefined &&
      failure.retryAfterMs >= MIN_TOLD_WAIT_MS &&
      maxAttempts > 1;
    if (!toldWhen) counted += 1;
    if (counted >= maxAttempts) {
      throw failure.error(`gave up after ${elapsed} (retry.maxAttempts = ${maxAttempts})`, attempts);
    }
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > context.options.maxRetryAfterMs) {
      throw failure.error(
        `Zoho asked to wait ${Math.ceil(failure.retryAfterMs / 1000)} s (Retry-After), more than retry.maxRetryAfterMs allows; stopped after ${elapsed}`,
        attempts,
      );
    }
    const wait = failure.retryAfterMs ?? backoffDelay(counted, context.options, context.random);
    if (now + wait >= context.expiresAt) {
      if (toldWhen && context.deadline) {
        const { setting, ms } = context.deadline;
        const kept = failure.deferral === "rate-limited" ? "kept rate-limiting" : "stayed unavailable (503)";
        throw failure.error(
          `Zoho ${kept} until the operation deadline: it asked to wait ${seconds(wait)} s more (Retry-After) with ${seconds(Math.max(0, context.expiresAt - now))} s left of ${setting} = ${ms} ms; gave up after ${elapsed} without waiting. Raise ${setting} to wait longer (in a Pulumi stack: zoho-watch:operationTimeout, e.g. PT5M)`,
          attempts,
        );
      }
      throw failure.error(
        `gave up after ${elapsed}: the next attempt would pass the operation deadline`,
        attempts,
      );
    }
    await timer.sleep(wait, context.signal);
  }
}

const MIN_TOLD_WAIT_MS = 1_000;

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
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
