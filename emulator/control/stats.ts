import { OPERATIONS, type Operation, type RequestStats } from "./contract";

/** Request counters for the control API's `stats()`. */
export class StatsCounter {
  private counts = StatsCounter.zero();

  private static zero(): RequestStats {
    const counts = Object.fromEntries(OPERATIONS.map((operation) => [operation, 0])) as Record<
      Operation,
      number
    >;
    return { ...counts, rejected429: 0, total: 0 };
  }

  /** Counts a request to the emulated Zoho; `operation` is undefined for unknown paths. */
  count(operation: Operation | undefined): void {
    this.counts.total += 1;
    if (operation) this.counts[operation] += 1;
  }

  countRejected429(): void {
    this.counts.rejected429 += 1;
  }

  snapshot(): RequestStats {
    return { ...this.counts };
  }

  reset(): void {
    this.counts = StatsCounter.zero();
  }
}
