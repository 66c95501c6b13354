/**
 * Just enough of POSIX cron (as GitHub Actions schedules read it, in UTC) to measure a schedule: the
 * longest wait between two runs. Numbers, `*`, ranges, steps and lists; no month or weekday names.
 */

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

interface Field {
  values: ReadonlySet<number>;
  /** `*` (or `*` with a step): matters for the day-of-month / day-of-week rule. */
  unrestricted: boolean;
}

function parseField(text: string, spec: (typeof FIELDS)[number]): Field {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`cron ${spec.name} "${text}": cannot read "${part}"`);
    const [, whole, from, to, step] = match;
    const start = whole === "*" ? spec.min : Number(from);
    const end =
      whole === "*" ? spec.max : to !== undefined ? Number(to) : step !== undefined ? spec.max : start;
    const by = step === undefined ? 1 : Number(step);
    if (start < spec.min || end > spec.max || start > end || by < 1) {
      throw new Error(`cron ${spec.name} "${text}" is out of range ${spec.min}-${spec.max}`);
    }
    for (let value = start; value <= end; value += by) values.add(value);
  }
  return { values, unrestricted: text.startsWith("*") };
}

/** A parsed five-field cron expression. */
export class CronSchedule {
  private readonly fields: Field[];

  constructor(readonly expression: string) {
    const parts = expression.trim().split(/\s+/);
    if (parts.length !== 5) throw new Error(`cron "${expression}" must have 5 fields`);
    this.fields = parts.map((part, i) => parseField(part, FIELDS[i]!));
  }

  /** Whether the schedule fires at this minute (UTC). */
  matches(at: Date): boolean {
    const [minute, hour, dom, month, dow] = this.fields as [Field, Field, Field, Field, Field];
    const weekday = at.getUTCDay();
    const domHit = dom.values.has(at.getUTCDate());
    const dowHit = dow.values.has(weekday) || (weekday === 0 && dow.values.has(7));
    // POSIX: when both day fields are restricted, either one matching is enough.
    const dayHit =
      dom.unrestricted && dow.unrestricted
        ? true
        : dom.unrestricted
          ? dowHit
          : dow.unrestricted
            ? domHit
            : domHit || dowHit;
    return (
      minute.values.has(at.getUTCMinutes()) &&
      hour.values.has(at.getUTCHours()) &&
      month.values.has(at.getUTCMonth() + 1) &&
      dayHit
    );
  }

  /**
   * The longest time between two consecutive runs over `days` days from `from`, in milliseconds;
   * Infinity when it runs less than twice in that time.
   */
  longestGapMs(from = new Date(Date.UTC(2025, 0, 1)), days = 70): number {
    const minute = 60_000;
    let previous: number | undefined;
    let longest = 0;
    for (let t = from.getTime(); t < from.getTime() + days * 86_400_000; t += minute) {
      if (!this.matches(new Date(t))) continue;
      if (previous !== undefined) longest = Math.max(longest, t - previous);
      previous = t;
    }
    return longest === 0 ? Infinity : longest;
  }
}
