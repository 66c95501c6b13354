/**
 * What a continuity run simulates: the stacks and their channels, the CI schedule, the record
 * changes, the faults and the missed run. {@link WEEK} is `npm run soak`; {@link SHORT} is the variant
 * `npm test` runs.
 */
import type { ChannelGroup } from "../support/channels";

/** A fault injected into the emulator for one scheduled run of one stack (cleared after it). */
export type SoakFault =
  /** Several 429 TOO_MANY_REQUESTS answers in a row, with a Retry-After. */
  | { kind: "429-burst"; times: number }
  /** Server errors (500, 502 or 503), a few times. */
  | { kind: "5xx"; status: 500 | 502 | 503; times: number }
  /** Connections cut before the request did anything. */
  | { kind: "drop-connection"; times: number }
  /** A write applied by Zoho whose answer never arrives. */
  | { kind: "lost-response"; operation: "update" | "enable" }
  /** Every access token expires while the run's first API call is in flight. */
  | { kind: "expired-token" }
  /** Zoho answers 503 to every API call for the whole run: the run fails. */
  | { kind: "outage" }
  /**
   * The CI machine's clock is off Zoho's by `skewMs` (positive: ahead) for the run. Within the
   * provider's 10-minute margin every channel must still get its full lifetime.
   */
  | { kind: "clock-skew"; skewMs: number };

/** One stack of the simulated CI: its API version and its channels. */
export interface SoakStack {
  name: string;
  apiVersion: string;
  groups: ChannelGroup[];
}

/** A change to a stack's config from a given slot on (e.g. an API version upgrade). */
export interface SoakConfigChange {
  slot: number;
  stack: string;
  key: string;
  value: string;
}

/** A whole continuity run. */
export interface SoakScenario {
  name: string;
  /** Simulated length. */
  days: number;
  /** Hours between scheduled CI runs; slot k runs at k × runEveryHours (slot 0 creates everything). */
  runEveryHours: number;
  stacks: SoakStack[];
  /** Record changes at random times, per simulated day. */
  recordChangesPerDay: number;
  /** Faults by slot and stack. */
  faults: Array<{ slot: number; stack: string; fault: SoakFault }>;
  /** Slots whose CI run never happens (for every stack). */
  missedSlots: number[];
  configChanges: SoakConfigChange[];
  /** Extra `pulumi up` arguments (e.g. `--skip-preview` to save time in the short variant). */
  upArgs: string[];
  /** Seed of the random record changes. */
  seed: number;
}

/**
 * A simulated week: a v3 stack (channels of at most one day) and a v8 stack (seven days), channels
 * over six modules, `pulumi up` every six hours, the v3 stack upgraded to v6 on day 5, every kind of
 * fault, one missed run and two runs failed by an outage. One group in each stack renews on every
 * run (one-day channels, a 20-hour window), so every run calls Zoho and every fault meets traffic.
 */
export const WEEK: SoakScenario = {
  name: "week",
  days: 7,
  runEveryHours: 6,
  stacks: [
    {
      name: "legacy",
      apiVersion: "v3",
      groups: [
        { name: "leads", count: 4, idBase: "2000000000000001", events: ["Leads.all"], renewBefore: "PT16H" },
        {
          name: "contacts",
          count: 3,
          idBase: "2000000000001001",
          events: ["Contacts.create", "Contacts.edit"],
          expiresIn: "PT23H50M",
          renewBefore: "PT20H",
        },
      ],
    },
    {
      name: "current",
      apiVersion: "v8",
      groups: [
        { name: "deals", count: 4, idBase: "3000000000000001", events: ["Deals.all", "Tasks.create"] },
        { name: "accounts", count: 3, idBase: "3000000000001001", events: ["Accounts.edit"] },
        {
          name: "calls",
          count: 2,
          idBase: "3000000000002001",
          events: ["Calls.all"],
          expiresIn: "PT23H50M",
          renewBefore: "PT20H",
        },
      ],
    },
  ],
  recordChangesPerDay: 12,
  faults: [
    { slot: 2, stack: "legacy", fault: { kind: "429-burst", times: 3 } },
    { slot: 3, stack: "current", fault: { kind: "5xx", status: 500, times: 2 } },
    { slot: 5, stack: "legacy", fault: { kind: "drop-connection", times: 2 } },
    { slot: 7, stack: "current", fault: { kind: "lost-response", operation: "update" } },
    { slot: 9, stack: "legacy", fault: { kind: "expired-token" } },
    { slot: 13, stack: "current", fault: { kind: "5xx", status: 502, times: 2 } },
    { slot: 14, stack: "legacy", fault: { kind: "outage" } },
    { slot: 18, stack: "current", fault: { kind: "outage" } },
    { slot: 21, stack: "current", fault: { kind: "429-burst", times: 4 } },
    { slot: 23, stack: "legacy", fault: { kind: "lost-response", operation: "update" } },
    { slot: 25, stack: "current", fault: { kind: "drop-connection", times: 1 } },
    { slot: 10, stack: "current", fault: { kind: "clock-skew", skewMs: 120_000 } },
    { slot: 16, stack: "legacy", fault: { kind: "clock-skew", skewMs: -120_000 } },
  ],
  missedSlots: [11],
  configChanges: [{ slot: 20, stack: "legacy", key: "zoho-watch:apiVersion", value: "v6" }],
  upArgs: [],
  seed: 20_260_701,
};

/**
 * Two simulated days for `npm test`: one v3 stack of four channels over four modules, renewed on
 * every run (one-day channels, a 20-hour window, a run every 8 hours), a first run on a clock 2 minutes
 * ahead of Zoho's, one missed run, a lost response, an expired access token, and an outage that
 * fails one run which the next recovers.
 */
export const SHORT: SoakScenario = {
  name: "short",
  days: 2,
  runEveryHours: 8,
  stacks: [
    {
      name: "ci",
      apiVersion: "v3",
      groups: [
        {
          name: "deals",
          count: 2,
          idBase: "4000000000000001",
          events: ["Deals.all", "Leads.create"],
          expiresIn: "PT23H50M",
          renewBefore: "PT20H",
        },
        {
          name: "contacts",
          count: 2,
          idBase: "4000000000001001",
          events: ["Contacts.edit", "Calls.create"],
          expiresIn: "PT23H50M",
          renewBefore: "PT20H",
        },
      ],
    },
  ],
  recordChangesPerDay: 8,
  faults: [
    { slot: 0, stack: "ci", fault: { kind: "clock-skew", skewMs: 120_000 } },
    { slot: 1, stack: "ci", fault: { kind: "lost-response", operation: "update" } },
    { slot: 3, stack: "ci", fault: { kind: "expired-token" } },
    { slot: 4, stack: "ci", fault: { kind: "outage" } },
  ],
  missedSlots: [2],
  configChanges: [],
  upArgs: ["--skip-preview"],
  seed: 7,
};
