/**
 * The continuity run: stacks of WatchChannels kept alive by `pulumi up` on a CI-like schedule for
 * simulated days on the emulator's clock, with record changes at random times and faults along the
 * way. It measures what a user cares about — was every channel subscribed all the time, did every
 * notification arrive, did a failed run heal on the next one, do Pulumi's state and Zoho agree at
 * the end — and says which goal was missed.
 */
import { expandEvents } from "../../provider/channel/modules";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { startEmulator, type FaultSpec, type RunningEmulator } from "../../emulator";
import { PulumiStack } from "../../harness/pulumi-stack";
import { providerConfig } from "../../harness/emulator";
import { declaredChannels, modulesOf, subscribes, type DeclaredChannel } from "../support/channels";
import { CountingReceiver } from "../support/receiver";
import type { SoakFault, SoakScenario } from "./scenario";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";

/** One scheduled run of one stack. */
export interface RunRecord {
  slot: number;
  stack: string;
  /** Emulator time at the start, ISO. */
  at: string;
  status: "ok" | "failed" | "missed";
  wallMs: number;
  apiCalls: number;
  tokenRequests: number;
  /** The fault injected for this run, and whether it met a request. */
  fault?: { kind: SoakFault["kind"]; fired: boolean };
  /** The end of the CLI's output when the run failed. */
  error?: string;
}

/** How long one channel was subscribed, and its gaps. */
export interface ChannelCoverage {
  stack: string;
  name: string;
  channelId: string;
  /** Subscribed time (every module of the channel) over the time since the first run ended. */
  subscribedFraction: number;
  gaps: Array<{ from: string; to: string }>;
}

/** Notifications expected (channels Pulumi manages that subscribe to the change) and delivered. */
export interface NotificationCounts {
  changes: number;
  expected: number;
  delivered: number;
  lost: number;
  /** Lost although the emulator had the channel subscribed at the time. */
  lostWhileSubscribed: number;
  /** Delivered with a token other than the declared one. */
  wrongToken: number;
}

/** A goal and whether it was met. */
export interface GoalResult {
  goal: string;
  met: boolean;
  detail: string;
}

/** Everything a continuity run found. */
export interface SoakReport {
  scenario: string;
  simulated: { from: string; to: string; days: number };
  realMs: number;
  runs: RunRecord[];
  channels: ChannelCoverage[];
  notifications: NotificationCounts;
  recoveries: Array<{ failed: string; next: string | null; recovered: boolean }>;
  drift: string[];
  goals: GoalResult[];
  ok: boolean;
}

/** Options that do not change the scenario itself. */
export interface SoakOptions {
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

interface StackRun {
  name: string;
  apiVersion: string;
  stack: PulumiStack;
  channels: DeclaredChannel[];
  token: string;
}

/** Runs a scenario to the end and reports; it never throws for a missed goal, only for a broken setup. */
export async function runSoak(scenario: SoakScenario, options: SoakOptions = {}): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
  const receiver = await CountingReceiver.start();
  const stacks: StackRun[] = [];
  try {
    for (const spec of scenario.stacks) {
      const token = `soak-${spec.name}`;
      const { config, secrets } = providerConfig(emulator.url, spec.apiVersion);
      const stack = await PulumiStack.create({
        program: "perf/programs/channels",
        config: {
          ...config,
          groups: JSON.stringify(spec.groups),
          receiverUrl: `${receiver.url}/${spec.name}`,
        },
        secrets: { ...secrets, token },
      });
      stacks.push({
        name: spec.name,
        apiVersion: spec.apiVersion,
        stack,
        token,
        channels: declaredChannels(spec.groups, `${receiver.url}/${spec.name}`, token),
      });
    }
    return await simulate(scenario, emulator, receiver, stacks, log, started);
  } finally {
    await Promise.all(stacks.map((s) => s.stack.dispose()));
    await receiver.close();
    await emulator.close();
  }
}

/** A small seeded generator (mulberry32), so a scenario's record changes repeat exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type SimEvent = { at: number; kind: "run"; slot: number } | { at: number; kind: "change"; index: number };

async function simulate(
  scenario: SoakScenario,
  emulator: RunningEmulator,
  receiver: CountingReceiver,
  stacks: StackRun[],
  log: (line: string) => void,
  started: number,
): Promise<SoakReport> {
  const t0 = Date.parse(await emulator.now());
  const end = t0 + scenario.days * DAY;
  const slots = Math.floor((scenario.days * 24) / scenario.runEveryHours);
  const rand = random(scenario.seed);
  const events: SimEvent[] = [];
  for (let slot = 0; slot <= slots; slot += 1) {
    events.push({ at: t0 + slot * scenario.runEveryHours * HOUR, kind: "run", slot });
  }
  const changeCount = Math.round(scenario.days * scenario.recordChangesPerDay);
  for (let index = 0; index < changeCount; index += 1) {
    // Never before the first run has had a chance to subscribe anything.
    events.push({ at: t0 + HOUR + rand() * (end - t0 - HOUR), kind: "change", index });
  }
  events.sort((a, b) => a.at - b.at || (a.kind === "run" ? -1 : 1));

  const modules = [...new Set(stacks.flatMap((s) => s.channels.flatMap((c) => modulesOf(c.events))))];
  const runs: RunRecord[] = [];
  const counts: NotificationCounts = {
    changes: 0,
    expected: 0,
    delivered: 0,
    lost: 0,
    lostWhileSubscribed: 0,
    wrongToken: 0,
  };
  const managedSince = new Map<string, number>();

  for (const event of events) {
    await advanceTo(emulator, event.at);
    if (event.kind === "run") {
      for (const stack of stacks) {
        const record = await scheduledRun(scenario, event.slot, stack, emulator);
        runs.push(record);
        log(
          `slot ${event.slot} ${stack.name}: ${record.status}${record.fault ? ` (${record.fault.kind}${record.fault.fired ? "" : ", did not fire"})` : ""}, ${record.apiCalls} calls, ${record.tokenRequests} token, ${Math.round(record.wallMs)} ms`,
        );
        if (record.status === "ok" && !managedSince.has(stack.name)) {
          managedSince.set(stack.name, Date.parse(await emulator.now()));
        }
      }
    } else {
      await recordChange(event.index, modules, rand, emulator, receiver, stacks, managedSince, counts);
    }
  }
  await advanceTo(emulator, end);
  const finishedAt = Date.parse(await emulator.now());

  const channels = await coverage(emulator, stacks, managedSince, t0, finishedAt);
  const drift = await findDrift(emulator, stacks);
  const recoveries = recoveryOf(runs);
  const goals = judge(channels, counts, recoveries, drift, runs);
  return {
    scenario: scenario.name,
    simulated: {
      from: new Date(t0).toISOString(),
      to: new Date(finishedAt).toISOString(),
      days: scenario.days,
    },
    realMs: Date.now() - started,
    runs,
    channels,
    notifications: counts,
    recoveries,
    drift,
    goals,
    ok: goals.every((g) => g.met),
  };
}

async function advanceTo(emulator: RunningEmulator, at: number): Promise<void> {
  const current = Date.parse(await emulator.now());
  if (at > current) await emulator.advanceClock(at - current);
}

/** One CI job: config changes due, the fault, `pulumi up`, then the fault cleared. */
async function scheduledRun(
  scenario: SoakScenario,
  slot: number,
  stack: StackRun,
  emulator: RunningEmulator,
): Promise<RunRecord> {
  const at = await emulator.now();
  const planned = scenario.faults.find((f) => f.slot === slot && f.stack === stack.name)?.fault;
  if (scenario.missedSlots.includes(slot)) {
    return { slot, stack: stack.name, at, status: "missed", wallMs: 0, apiCalls: 0, tokenRequests: 0 };
  }
  for (const change of scenario.configChanges.filter((c) => c.slot === slot && c.stack === stack.name)) {
    await stack.stack.setConfig(change.key, change.value);
    if (change.key === "zoho-watch:apiVersion") stack.apiVersion = change.value;
  }
  const skewMs = planned?.kind === "clock-skew" ? planned.skewMs : 0;
  stack.stack.setEnv({ [CLOCK_OFFSET_ENV]: String(Date.parse(await emulator.now()) - Date.now() + skewMs) });
  await emulator.resetStats();
  const specs = planned ? faultSpecs(planned) : [];
  for (const spec of specs) await emulator.injectFault(spec);

  let tokenExpired = false;
  let watching = planned?.kind === "expired-token";
  const watcher = (async () => {
    // Expire every access token while the run's first API call is held by the latency fault.
    for (let i = 0; watching && i < 6000; i += 1) {
      const stats = await emulator.stats();
      if (stats.token >= 1 && stats.total - stats.token >= 1) {
        await emulator.expireAccessTokens();
        tokenExpired = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  const startedMs = Date.now();
  const result = await stack.stack.up(scenario.upArgs, { allowFailure: true });
  const wallMs = Date.now() - startedMs;
  watching = false;
  await watcher;
  const remaining = await emulator.faults();
  await emulator.clearFaults();
  const stats = await emulator.stats();

  const fired =
    planned === undefined
      ? undefined
      : planned.kind === "expired-token"
        ? tokenExpired && stats.token >= 2
        : planned.kind === "outage"
          ? stats.total - stats.token > 0
          : planned.kind === "clock-skew"
            ? stats.enable + stats.update > 0 // the skewed clock set the expiry of a write
            : remaining.length === 0;
  return {
    slot,
    stack: stack.name,
    at,
    status: result.code === 0 ? "ok" : "failed",
    wallMs,
    apiCalls: stats.total - stats.token,
    tokenRequests: stats.token,
    ...(planned && { fault: { kind: planned.kind, fired: fired ?? false } }),
    ...(result.code !== 0 && { error: result.output.slice(-1500) }),
  };
}

const API_PATH = { path: "/actions/watch" };

function faultSpecs(fault: SoakFault): FaultSpec[] {
  switch (fault.kind) {
    case "429-burst":
      return [{ kind: "status", status: 429, retryAfterSeconds: 1, times: fault.times, match: API_PATH }];
    case "5xx":
      return [{ kind: "status", status: fault.status, times: fault.times, match: API_PATH }];
    case "drop-connection":
      return [{ kind: "drop-connection", times: fault.times, match: API_PATH }];
    case "lost-response":
      return [{ kind: "drop-response", times: 1, match: { operation: fault.operation } }];
    case "expired-token":
      return [{ kind: "latency", ms: 1500, times: 1, match: API_PATH }];
    case "outage":
      return [{ kind: "status", status: 503, match: API_PATH }];
    case "clock-skew":
      return [];
  }
}

/** A record change at a random module and operation; counts what should and did arrive. */
async function recordChange(
  index: number,
  modules: readonly string[],
  rand: () => number,
  emulator: RunningEmulator,
  receiver: CountingReceiver,
  stacks: readonly StackRun[],
  managedSince: ReadonlyMap<string, number>,
  counts: NotificationCounts,
): Promise<void> {
  const module = modules[Math.floor(rand() * modules.length)] ?? "Leads";
  const operation = (["create", "edit", "delete"] as const)[Math.floor(rand() * 3)] ?? "create";
  const recordId = String(5_725_767_000_000_000_000n + BigInt(index));
  const live = new Set((await emulator.channels()).filter((c) => c.live).map((c) => c.channelId));
  const expected = stacks
    .filter((s) => managedSince.has(s.name))
    .flatMap((s) => s.channels)
    .filter((c) => subscribes(c.events, module, operation));
  const before = receiver.received.length;
  await emulator.simulateRecordChange({ module, operation, ids: [recordId] });
  const arrived = receiver.received.slice(before).filter((n) => n.ids.includes(recordId));
  counts.changes += 1;
  for (const channel of expected) {
    counts.expected += 1;
    const got = arrived.find(
      (n) => n.channelId === channel.channelId && n.path === new URL(channel.notifyUrl).pathname,
    );
    if (!got) {
      counts.lost += 1;
      if (live.has(channel.channelId)) counts.lostWhileSubscribed += 1;
      continue;
    }
    counts.delivered += 1;
    if (got.token !== channel.token) counts.wrongToken += 1;
  }
}

type Interval = [number, number];

/** Merges overlapping intervals. */
function merge(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [from, to] of sorted) {
    const last = out.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** The parts of the window covered by every list. */
function intersect(lists: Interval[][]): Interval[] {
  return lists.reduce((acc, list) => {
    const out: Interval[] = [];
    for (const [a0, a1] of acc) {
      for (const [b0, b1] of list) {
        const from = Math.max(a0, b0);
        const to = Math.min(a1, b1);
        if (to > from) out.push([from, to]);
      }
    }
    return merge(out);
  });
}

/** Per channel: the share of time since its stack's first successful run during which it was subscribed. */
async function coverage(
  emulator: RunningEmulator,
  stacks: readonly StackRun[],
  managedSince: ReadonlyMap<string, number>,
  t0: number,
  end: number,
): Promise<ChannelCoverage[]> {
  const timeline = await emulator.timeline();
  const out: ChannelCoverage[] = [];
  for (const stack of stacks) {
    // A stack whose first run never succeeded is judged from the start.
    const from = managedSince.get(stack.name) ?? t0;
    for (const channel of stack.channels) {
      const byModule = timeline[channel.channelId] ?? {};
      const lists = modulesOf(channel.events).map((module) =>
        merge(
          (byModule[module] ?? []).map(({ from: f, to }): Interval => [
            Date.parse(f),
            to === null ? end : Date.parse(to),
          ]),
        ).map(([a, b]): Interval => [Math.max(a, from), Math.min(b, end)]),
      );
      const covered = intersect(lists).filter(([a, b]) => b > a);
      const total = covered.reduce((sum, [a, b]) => sum + (b - a), 0);
      const gaps: Array<{ from: string; to: string }> = [];
      let cursor = from;
      for (const [a, b] of covered) {
        if (a > cursor) gaps.push({ from: new Date(cursor).toISOString(), to: new Date(a).toISOString() });
        cursor = Math.max(cursor, b);
      }
      if (cursor < end) gaps.push({ from: new Date(cursor).toISOString(), to: new Date(end).toISOString() });
      out.push({
        stack: stack.name,
        name: channel.name,
        channelId: channel.channelId,
        subscribedFraction: end > from ? total / (end - from) : 1,
        gaps,
      });
    }
  }
  return out;
}

/** Differences between Pulumi's state, the declared channels and the emulator's live channels. */
async function findDrift(emulator: RunningEmulator, stacks: readonly StackRun[]): Promise<string[]> {
  const drift: string[] = [];
  const live = new Map((await emulator.channels()).filter((c) => c.live).map((c) => [c.channelId, c]));
  const declaredIds = new Set<string>();
  for (const stack of stacks) {
    const exported = await stack.stack.cli([
      "stack",
      "export",
      "--show-secrets",
      "--stack",
      stack.stack.name,
    ]);
    const state = JSON.parse(exported.stdout) as {
      deployment: {
        resources?: Array<{ urn: string; type: string; id?: string; outputs?: Record<string, unknown> }>;
      };
    };
    const resources = (state.deployment.resources ?? []).filter((r) => r.type === TYPE);
    for (const channel of stack.channels) {
      declaredIds.add(channel.channelId);
      const where = `${stack.name}/${channel.name} (${channel.channelId})`;
      const inState = resources.filter((r) => r.urn.endsWith(`::${channel.name}`));
      if (inState.length !== 1) {
        drift.push(`${where}: ${inState.length} resources in Pulumi state, expected 1`);
        continue;
      }
      const outputs = inState[0]?.outputs ?? {};
      const channelLive = live.get(channel.channelId);
      if (inState[0]?.id !== channel.channelId) drift.push(`${where}: state id is ${inState[0]?.id}`);
      if (!channelLive) {
        drift.push(`${where}: in Pulumi state but not subscribed in Zoho`);
        continue;
      }
      if (Date.parse(String(outputs.channelExpiry)) !== Date.parse(channelLive.expiresAt)) {
        drift.push(`${where}: state expiry ${String(outputs.channelExpiry)} ≠ live ${channelLive.expiresAt}`);
      }
      const stateEvents = expandEvents((outputs.events as string[] | undefined) ?? []);
      if (stateEvents.join() !== expandEvents(channelLive.events).join()) {
        drift.push(`${where}: state events ${stateEvents.join()} ≠ live ${channelLive.events.join()}`);
      }
      if (plain(outputs.notifyUrl) !== channelLive.notifyUrl) drift.push(`${where}: notify URL differs`);
      if (plain(outputs.token) !== channelLive.token || channelLive.token !== channel.token) {
        drift.push(`${where}: token differs between state, Zoho and the declaration`);
      }
      if (outputs.apiVersion !== stack.apiVersion) {
        drift.push(
          `${where}: state API version ${String(outputs.apiVersion)} ≠ configured ${stack.apiVersion}`,
        );
      }
    }
    for (const resource of resources) {
      if (!stack.channels.some((c) => resource.urn.endsWith(`::${c.name}`))) {
        drift.push(`${stack.name}: ${resource.urn} is in state but not declared`);
      }
    }
  }
  for (const id of live.keys()) {
    if (!declaredIds.has(id)) drift.push(`channel ${id} is subscribed in Zoho but declared nowhere`);
  }
  return drift;
}

/** A value from `stack export --show-secrets`: secrets keep their envelope, with the JSON plaintext. */
function plain(value: unknown): unknown {
  if (
    value !== null &&
    typeof value === "object" &&
    "plaintext" in value &&
    typeof value.plaintext === "string"
  ) {
    return JSON.parse(value.plaintext) as unknown;
  }
  return value;
}

/** For each failed run, whether the stack's next scheduled run that happened succeeded. */
function recoveryOf(runs: readonly RunRecord[]): SoakReport["recoveries"] {
  const label = (r: RunRecord) => `slot ${r.slot} ${r.stack}`;
  return runs
    .filter((r) => r.status === "failed")
    .map((failed) => {
      const next = runs.find(
        (r) => r.stack === failed.stack && r.slot > failed.slot && r.status !== "missed",
      );
      return { failed: label(failed), next: next ? label(next) : null, recovered: next?.status === "ok" };
    });
}

function judge(
  channels: readonly ChannelCoverage[],
  counts: NotificationCounts,
  recoveries: SoakReport["recoveries"],
  drift: readonly string[],
  runs: readonly RunRecord[],
): GoalResult[] {
  const worst = channels.reduce((min, c) => Math.min(min, c.subscribedFraction), 1);
  const lapsed = channels.filter((c) => c.subscribedFraction < 1);
  const unrecovered = recoveries.filter((r) => !r.recovered);
  const lastRuns = [...new Set(runs.map((r) => r.stack))].map((stack) =>
    runs.filter((r) => r.stack === stack && r.status !== "missed").at(-1),
  );
  return [
    {
      goal: "every channel subscribed 100% of the simulated time",
      met: lapsed.length === 0,
      detail:
        lapsed.length === 0
          ? `${channels.length} channels, none lapsed`
          : `lowest ${(worst * 100).toFixed(3)}%; lapsed: ${lapsed.map((c) => `${c.stack}/${c.name} ${JSON.stringify(c.gaps)}`).join("; ")}`,
    },
    {
      goal: "no notification lost",
      met: counts.lost === 0 && counts.wrongToken === 0 && counts.expected > 0,
      detail: `${counts.changes} record changes: ${counts.delivered} of ${counts.expected} expected notifications delivered, ${counts.lostWhileSubscribed} lost while subscribed, ${counts.wrongToken} with a wrong token`,
    },
    {
      goal: "every failed run recovered by the next run",
      met: unrecovered.length === 0 && lastRuns.every((r) => r?.status === "ok"),
      detail:
        recoveries.length === 0
          ? "no run failed"
          : recoveries
              .map(
                (r) =>
                  `${r.failed} → ${r.next ?? "no later run"}: ${r.recovered ? "recovered" : "NOT recovered"}`,
              )
              .join("; "),
    },
    {
      goal: "no drift between Zoho and Pulumi state at the end",
      met: drift.length === 0,
      detail: drift.length === 0 ? "state, declarations and live channels agree" : drift.join("; "),
    },
  ];
}
