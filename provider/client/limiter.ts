/**
 * A FIFO concurrency limiter (counting semaphore) for requests in flight.
 *
 * Zoho limits concurrent API calls per org and app (Free 5 … Ultimate 25) and answers 429 past
 * the limit. Queueing here keeps a burst of Pulumi resource operations under the limit instead of
 * turning it into 429s and backoff. A slot is held for one HTTP attempt only, never across a
 * backoff sleep, so a waiting retry does not block other calls.
 *
 * Why not the limit an undici pool already has (`connections` per origin), weighed when the client
 * was arranged by what it does: (1) the client takes a caller's own dispatcher (`dispatcher`: a
 * proxy agent, a test's MockAgent), whose pools it does not configure, and Zoho's limit must hold
 * whatever carries the requests; (2) a pool counts sockets per origin, and Zoho counts calls per org
 * and app, whichever host they reach; (3) a slot here is given up during a backoff or a Retry-After
 * sleep (retry.ts), and a waiter gives up when the operation's deadline passes, with an error that
 * says so, where a pool's queue holds requests until a socket frees. So the transport's pool is
 * sized above the limit (http.ts) and this semaphore is what bounds concurrency.
 */

/** Releases a slot; calling it more than once has no further effect. */
export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
  reject: (reason: unknown) => void;
}

/** Counting semaphore with abortable, first-come-first-served waiting. */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly queue: Waiter[] = [];

  /** @param limit slots; an integer >= 1. */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new TypeError("concurrency must be an integer >= 1");
    }
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.active;
  }

  /** Callers waiting for a slot now. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Waits for a free slot. Rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<Release> {
    signal?.throwIfAborted();
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal?.reason as Error);
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
        reject,
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Rejects every waiting caller (used by `close()`). */
  rejectAll(reason: unknown): void {
    for (const waiter of this.queue.splice(0)) waiter.reject(reason);
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) {
        // Hand the slot over directly: `active` stays the same.
        next.grant(this.releaser());
      } else {
        this.active -= 1;
      }
    };
  }
}
