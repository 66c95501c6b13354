/**
 * The overall time bound of one operation (all attempts, backoff waits and the token fetch it
 * may need), merged with the caller's own AbortSignal.
 */

/** A deadline: one AbortSignal that fires when time runs out or the caller aborts. */
export class Deadline {
  /** Fires on timeout or when the caller's signal aborts. */
  readonly signal: AbortSignal;
  /** Epoch ms when the deadline passes. */
  readonly expiresAt: number;
  private readonly timeout: AbortSignal;

  /**
   * @param ms time allowed from now
   * @param callerSignal the caller's signal, if any
   * @param now the clock `expiresAt` and {@link Deadline.remaining} read (the retry loop's, so that
   *   an injected timer sees the same deadline); the timeout signal always runs on real time
   */
  constructor(
    readonly ms: number,
    private readonly callerSignal?: AbortSignal,
    private readonly now: () => number = Date.now,
  ) {
    this.expiresAt = now() + ms;
    // AbortSignal.timeout's timer does not keep the process alive.
    this.timeout = AbortSignal.timeout(ms);
    this.signal = callerSignal ? AbortSignal.any([callerSignal, this.timeout]) : this.timeout;
  }

  /** Milliseconds left (0 when passed). */
  remaining(): number {
    return Math.max(0, this.expiresAt - this.now());
  }

  /** True when the time ran out (as opposed to the caller aborting). */
  get timedOut(): boolean {
    return this.timeout.aborted && !(this.callerSignal?.aborted ?? false);
  }

  /** True when the caller aborted. */
  get callerAborted(): boolean {
    return this.callerSignal?.aborted ?? false;
  }

  /** The caller's abort reason (rethrown as is: an abort is not a Zoho failure). */
  get callerReason(): unknown {
    return this.callerSignal?.reason as unknown;
  }
}

/** Waits for `promise` but gives up (with the signal's reason) when `signal` aborts first. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: Error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
