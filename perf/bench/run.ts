/**
 * `npm run bench`: WatchChannel stacks of N channels through the real Pulumi CLI against the
 * emulator, side by side with a plain undici script (the baseline) and the same program with a
 * do-nothing resource (the engine's own cost). Writes BENCHMARKS.md, a chart, and the raw figures.
 *
 *   npm run bench -- [--n 1,10,100,500] [--out BENCHMARKS.md] [--chart perf/bench/time-vs-n.svg]
 *                    [--json .state/bench/results.json] [--parallel 8] [--note "text"]
 *                    [--compare OLD.json] [--checkpoint-study 100] [--shape-study 100,500]
 *                    [--repeat 3] [--repeat-large 1] [--from-json RESULTS.json] [--doors-study 1,10,100,500]
 *                    [--release-study 1,10,100] [--release test/fixtures/pulumi-zoho-watch-0.1.0-cf18df5.tgz]
 *
 * Per N, three runs each: the first `pulumi up` (creates N channels), `pulumi preview` with nothing
 * to change, and the renewal `pulumi up` after the emulator clock passed the renewal window. Below
 * N = 500 each run is repeated (`--repeat`, default 3) and its median kept: at small N a run lasts
 * a few seconds and one sample moves by a tenth of that with the machine's load.
 */
import { execFile } from "node:child_process";
import { appendFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { DEMO_CREDENTIALS, startEmulator, type RequestStats, type RunningEmulator } from "../../emulator";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { PLUGIN_WATCH_CHANNEL_TYPE, WATCH_CHANNEL_TYPE } from "../../provider/channel/resource-type";
import { repoRoot } from "../../harness/pulumi-stack";
import { providerConfig } from "../../harness/emulator";
import { declaredChannels, type ChannelGroup } from "../support/channels";
import { runMeasured, type Measured } from "../support/measure";
import { CountingReceiver } from "../support/receiver";
import { PerfStack } from "../support/stack";
import type { BaselinePlan, CallPattern } from "./baseline";
import { machineDescription, renderChart, renderMarkdown } from "./report";
import type {
  BenchMeta,
  BenchResult,
  CheckpointStudy,
  DoorsStudy,
  ReleaseStudy,
  PhaseFigures,
  PhaseName,
  RunFigures,
  ShapeStudy,
  SizeFigures,
} from "./results";

/** Requests in flight at once: the provider's default, the emulator's default limit, the baseline's. */
const CONCURRENCY = 5;
const EVENTS = ["Deals.all", "Contacts.create"];
const TOKEN = "bench-token";
/** Past the default renewal window (half of the 7-day lifetime). */
const RENEWAL_ADVANCE = "P4D";
const EXPIRES_IN_MS = 7 * 24 * 3600_000;

interface Options {
  counts: number[];
  out: string;
  chart: string;
  json: string;
  parallel: number | undefined;
  note: string | undefined;
  /** Earlier results (run.ts's JSON) to compare with, e.g. from before a fix. */
  compare: string | undefined;
  /** The N at which runs are repeated without the engine's checkpoints (0: none). */
  checkpointStudy: number;
  /** The Ns at which the do-nothing program also runs with a WatchChannel's property keys (0: none). */
  shapeStudy: number[];
  /** The Ns at which the channels also run through the provider plugin (the doors study). */
  doorsStudy: number[];
  /** The Ns at which this build and a packed earlier release run side by side (the release study). */
  releaseStudy: number[];
  /** That release's tarball. */
  release: string;
  /** Samples per run below N = 500 (the median is kept). */
  repeat: number;
  /** Samples per run from N = 500 (default 1: a renewal there lasts minutes). */
  repeatLarge: number;
  /** Render BENCHMARKS.md and the chart from an earlier run's JSON instead of running. */
  fromJson: string | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    counts: [1, 10, 100, 500],
    out: "BENCHMARKS.md",
    chart: "perf/bench/time-vs-n.svg",
    json: ".state/bench/results.json",
    parallel: undefined,
    note: undefined,
    compare: undefined,
    checkpointStudy: 100,
    shapeStudy: [100, 500],
    doorsStudy: [],
    releaseStudy: [],
    release: path.join("test", "fixtures", "pulumi-zoho-watch-0.1.0-cf18df5.tgz"),
    repeat: 3,
    repeatLarge: 1,
    fromJson: undefined,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i += 1;
    if (flag === "--n") {
      options.counts = value.split(",").map((s) => Number(s.trim()));
      if (options.counts.some((n) => !Number.isInteger(n) || n < 1 || n > 5000)) {
        throw new Error(`--n ${value}: give whole numbers from 1 to 5000, e.g. --n 1,10,100`);
      }
    } else if (flag === "--out") options.out = value;
    else if (flag === "--chart") options.chart = value;
    else if (flag === "--json") options.json = value;
    else if (flag === "--parallel") options.parallel = Number(value);
    else if (flag === "--note") options.note = value;
    else if (flag === "--compare") options.compare = value;
    else if (flag === "--checkpoint-study") options.checkpointStudy = Number(value);
    else if (flag === "--shape-study") options.shapeStudy = value.split(",").map((v) => Number(v.trim()));
    else if (flag === "--doors-study") options.doorsStudy = value.split(",").map((v) => Number(v.trim()));
    else if (flag === "--release-study") options.releaseStudy = value.split(",").map((v) => Number(v.trim()));
    else if (flag === "--release") options.release = value;
    else if (flag === "--repeat") {
      options.repeat = Number(value);
      if (!Number.isInteger(options.repeat) || options.repeat < 1)
        throw new Error(`--repeat ${value}: give 1 or more`);
    } else if (flag === "--repeat-large") {
      options.repeatLarge = Number(value);
      if (!Number.isInteger(options.repeatLarge) || options.repeatLarge < 1)
        throw new Error(`--repeat-large ${value}: give 1 or more`);
    } else if (flag === "--from-json") options.fromJson = value;
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function startBenchEmulator(): Promise<RunningEmulator> {
  // Token throttle off (the benchmark starts many provider processes); Zoho's lowest concurrency
  // limit, which is also the provider's and the baseline's default.
  return startEmulator({ host: "127.0.0.1", port: 0, tokenRateLimit: false, concurrencyLimit: CONCURRENCY });
}

function apiCalls(stats: RequestStats): number {
  return stats.total - stats.token;
}

function figures(run: Measured, stats: RequestStats | undefined): RunFigures {
  return {
    wallMs: Math.round(run.wallMs),
    peakRssBytes: run.peakRssBytes,
    apiCalls: stats ? apiCalls(stats) : 0,
    tokenRequests: stats?.token ?? 0,
    ...(stats && { stats }),
  };
}

/** How many samples a run at N gets: `repeat` below N = 500, where runs are short and noisy. */
function samplesAt(n: number, options: Pick<Options, "repeat" | "repeatLarge">): number {
  return n < 500 ? options.repeat : options.repeatLarge;
}

/** Takes `samples` samples of one run (each logged as `label (i/samples)`); returns their median. */
async function sampled(
  label: string,
  samples: number,
  take: (index: number) => Promise<RunFigures>,
): Promise<RunFigures> {
  const taken: RunFigures[] = [];
  for (let i = 0; i < samples; i += 1) {
    log(`${label}${samples > 1 ? ` (${i + 1}/${samples})` : ""}`);
    taken.push(await take(i));
  }
  return median(taken);
}

/** The sample with the median wall time, with every sample's wall time kept beside it. */
function median(samples: readonly RunFigures[]): RunFigures {
  const sorted = [...samples].sort((a, b) => a.wallMs - b.wallMs);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error("no samples");
  return samples.length > 1 ? { ...middle, samplesMs: samples.map((f) => f.wallMs) } : middle;
}

/** The version in a packed release's package.json. */
async function releaseVersion(tarball: string): Promise<string> {
  const { stdout } = await promisify(execFile)("tar", [
    "-xzOf",
    path.resolve(repoRoot, tarball),
    "package/package.json",
  ]);
  return (JSON.parse(stdout) as { version: string }).version;
}

async function clockOffsetMs(emulator: RunningEmulator): Promise<number> {
  return Date.parse(await emulator.now()) - Date.now();
}

/**
 * One WatchChannel stack of N channels, with an emulator and a receiver of its own, measured run by
 * run: the first up, the no-change preview, the renewal up, and the state's sizes. Through the
 * dynamic resource or the provider plugin (`door: "plugin"`), with this build installed or a packed
 * release (`release`).
 */
class ChannelsBench {
  private constructor(
    readonly label: string,
    private readonly n: number,
    private readonly door: "dynamic" | "plugin",
    private readonly parallelArgs: string[],
    private readonly emulator: RunningEmulator,
    private readonly receiver: CountingReceiver,
    private readonly stack: PerfStack,
  ) {}

  static async start(
    n: number,
    parallelArgs: string[],
    options: { env?: NodeJS.ProcessEnv; door?: "dynamic" | "plugin"; release?: string; label?: string } = {},
  ): Promise<ChannelsBench> {
    const door = options.door ?? "dynamic";
    const emulator = await startBenchEmulator();
    const receiver = await CountingReceiver.start();
    const groups: ChannelGroup[] = [{ name: "ch", count: n, idBase: "1000000000000001", events: EVENTS }];
    const { config, secrets } = providerConfig(emulator.url);
    const stack = await PerfStack.create(
      {
        program: "perf/programs/channels",
        config: {
          ...config,
          "zoho-watch:concurrency": String(CONCURRENCY),
          groups: JSON.stringify(groups),
          receiverUrl: receiver.url,
          door,
        },
        secrets: { ...secrets, token: TOKEN },
        env: options.env ?? {},
      },
      options.release,
    );
    if (door === "plugin") {
      // The plugin door's project names the plugin folder of the installed package, as a user's does
      // (docs/plugin.md); the dynamic door's needs nothing of the kind.
      await appendFile(
        path.join(stack.stack.workDir, "Pulumi.yaml"),
        "plugins:\n  providers:\n    - name: zoho-watch\n      path: ./node_modules/pulumi-zoho-watch/dist/plugin\n",
      );
    }
    const label = options.label ?? `channels${door === "plugin" ? " (plugin)" : ""}`;
    return new ChannelsBench(`${label} N=${n}`, n, door, parallelArgs, emulator, receiver, stack);
  }

  private async measure(args: string[]): Promise<RunFigures> {
    await this.emulator.resetStats();
    const run = await this.stack.measured([...args, ...this.parallelArgs]);
    return figures(run, await this.emulator.stats());
  }

  /** The first up; sample `index` > 0 starts from an empty stack again (the destroyed channels stay in the org, disabled). */
  async firstUp(index: number): Promise<RunFigures> {
    if (index > 0) await this.stack.measured(["destroy", "--yes", ...this.parallelArgs]);
    return this.measure(["up", "--yes"]);
  }

  sizes(): Promise<SizeFigures> {
    return stateSizes(
      this.stack,
      this.n,
      this.door === "plugin" ? PLUGIN_WATCH_CHANNEL_TYPE : WATCH_CHANNEL_TYPE,
    );
  }

  preview(): Promise<RunFigures> {
    return this.measure(["preview", "--expect-no-changes"]);
  }

  /** The emulator's clock past the renewal window, then `up`: every channel must still be live. */
  async renewal(): Promise<RunFigures> {
    await this.emulator.advanceClock(RENEWAL_ADVANCE);
    this.stack.setEnv({ [CLOCK_OFFSET_ENV]: String(await clockOffsetMs(this.emulator)) });
    const renewal = await this.measure(["up", "--yes"]);
    const live = (await this.emulator.channels()).filter((c) => c.live).length;
    if (live !== this.n)
      throw new Error(`${this.label}: after the renewal ${live} of ${this.n} channels are live`);
    return renewal;
  }

  async dispose(): Promise<void> {
    await this.stack.dispose();
    await this.receiver.close();
    await this.emulator.close();
  }
}

/** The WatchChannel stack's three runs, each sampled `samples` times, and its state's sizes. */
async function benchChannels(
  n: number,
  parallelArgs: string[],
  options: { env?: NodeJS.ProcessEnv; samples?: number; door?: "dynamic" | "plugin" } = {},
): Promise<{ phases: Record<PhaseName, RunFigures>; sizes: SizeFigures }> {
  const samples = options.samples ?? 1;
  const bench = await ChannelsBench.start(n, parallelArgs, options);
  try {
    const create = await sampled(`${bench.label}: first up`, samples, (i) => bench.firstUp(i));
    const sizes = await bench.sizes();
    const preview = await sampled(`${bench.label}: no-change preview`, samples, () => bench.preview());
    const renew = await sampled(`${bench.label}: renewal up`, samples, () => bench.renewal());
    return { phases: { create, preview, renew }, sizes };
  } finally {
    await bench.dispose();
  }
}

/**
 * The same N channels with this build and with a packed earlier release, side by side: two stacks,
 * each run sampled alternately on one and the other (the order swapped each sample), so that the
 * machine's load moves both alike and their ratio holds across runs as seconds do not.
 */
async function benchReleases(
  n: number,
  parallelArgs: string[],
  options: { samples: number; release: string; version: string },
): Promise<ReleaseStudy> {
  const current = await ChannelsBench.start(n, parallelArgs, { label: "channels (this build)" });
  const previous = await ChannelsBench.start(n, parallelArgs, {
    release: options.release,
    label: `channels (${options.version})`,
  });
  try {
    const both = async (
      what: string,
      take: (bench: ChannelsBench, index: number) => Promise<RunFigures>,
    ): Promise<{ current: RunFigures; previous: RunFigures }> => {
      const taken = { current: [] as RunFigures[], previous: [] as RunFigures[] };
      for (let i = 0; i < options.samples; i += 1) {
        const order = i % 2 === 0 ? (["current", "previous"] as const) : (["previous", "current"] as const);
        for (const which of order) {
          const bench = which === "current" ? current : previous;
          log(`${bench.label}: ${what} (${i + 1}/${options.samples})`);
          taken[which].push(await take(bench, i));
        }
      }
      return { current: median(taken.current), previous: median(taken.previous) };
    };
    const create = await both("first up", (bench, i) => bench.firstUp(i));
    const preview = await both("no-change preview", (bench) => bench.preview());
    const renew = await both("renewal up", (bench) => bench.renewal());
    return {
      n,
      version: options.version,
      current: { create: create.current, preview: preview.current, renew: renew.current },
      previous: { create: create.previous, preview: preview.previous, renew: renew.previous },
    };
  } finally {
    await current.dispose();
    await previous.dispose();
  }
}

/**
 * The property keys a WatchChannel gives the SDK beyond the do-nothing resource's (both have
 * channelId, events, notifyUrl, token and the SDK's __provider; the do-nothing resource also has its
 * generation). The SDK's cost per resource grows with the number of keys (shape study).
 */
const WATCH_CHANNEL_ONLY_KEYS = ["expiresIn", "renewBefore", "channelExpiry", "apiVersion", "modules"];

/** The same program with a do-nothing resource: what the engine costs by itself. */
async function benchTrivial(
  n: number,
  parallelArgs: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    samples?: number;
    extraKeys?: readonly string[];
    phases?: PhaseName[];
  } = {},
): Promise<{ phases: Record<PhaseName, RunFigures>; sizes: SizeFigures }> {
  const samples = options.samples ?? 1;
  const wanted = new Set(options.phases ?? ["create", "preview", "renew"]);
  const groups: ChannelGroup[] = [{ name: "ch", count: n, idBase: "1000000000000001", events: EVENTS }];
  const stack = await PerfStack.create({
    program: "perf/programs/trivial",
    config: {
      groups: JSON.stringify(groups),
      receiverUrl: "http://127.0.0.1:9",
      ...(options.extraKeys && { extraKeys: JSON.stringify(options.extraKeys) }),
    },
    secrets: { token: TOKEN },
    env: options.env ?? {},
  });
  const label = `trivial${options.extraKeys ? " (WatchChannel's keys)" : ""} N=${n}`;
  const none: RunFigures = { wallMs: 0, peakRssBytes: null, apiCalls: 0, tokenRequests: 0 };
  try {
    const create = await sampled(`${label}: first up`, samples, async (i) => {
      if (i > 0) await stack.measured(["destroy", "--yes", ...parallelArgs]);
      return figures(await stack.measured(["up", "--yes", ...parallelArgs]), undefined);
    });
    const sizes = await stateSizes(stack, n, "pulumi-nodejs:dynamic/bench:Noop");
    const preview = wanted.has("preview")
      ? await sampled(`${label}: no-change preview`, samples, async () =>
          figures(await stack.measured(["preview", "--expect-no-changes", ...parallelArgs]), undefined),
        )
      : none;
    const renew = wanted.has("renew")
      ? await sampled(`${label}: replace-all up`, samples, async (i) => {
          await stack.stack.setConfig("generation", String(i + 2));
          return figures(await stack.measured(["up", "--yes", ...parallelArgs]), undefined);
        })
      : none;
    return { phases: { create, preview, renew }, sizes };
  } finally {
    await stack.dispose();
  }
}

async function stateSizes(stack: PerfStack, n: number, type: string): Promise<SizeFigures> {
  const text = await stack.stack.exportText();
  const state = JSON.parse(text) as {
    deployment: { resources?: Array<{ type: string; inputs?: Record<string, unknown> }> };
  };
  const resources = (state.deployment.resources ?? []).filter((r) => r.type === type);
  const perResource = resources.map((r) => JSON.stringify(r).length);
  const serialized = resources[0]?.inputs?.__provider;
  const provider = typeof serialized === "string" ? serialized : "";
  return {
    stateBytes: text.length,
    stateBytesPerChannel: Math.round(text.length / n),
    resourceBytes: Math.round(perResource.reduce((a, b) => a + b, 0) / Math.max(1, perResource.length)),
    providerBytes: provider.length,
  };
}

/** The calls the provider made in a phase, read from the emulator's counts. */
function patternOf(stats: RequestStats | undefined, write: "enable" | "update"): CallPattern {
  return { lists: stats?.list ?? 0, writes: stats?.[write] ?? 0 };
}

/** The plain script: create, check its own state, renew; on a fresh emulator. */
async function benchBaseline(
  n: number,
  channelsResult: Record<PhaseName, RunFigures>,
): Promise<Record<PhaseName, RunFigures>> {
  const emulator = await startBenchEmulator();
  const receiver = await CountingReceiver.start();
  const dir = path.join(repoRoot, ".state", "bench", `baseline-${n}`);
  await mkdir(dir, { recursive: true });
  try {
    const channels = declaredChannels(
      [{ name: "ch", count: n, idBase: "1000000000000001", events: EVENTS }],
      receiver.url,
      TOKEN,
    ).map(({ channelId, events, notifyUrl, token }) => ({ channelId, events, notifyUrl, token }));
    const run = async (
      phase: BaselinePlan["phase"],
      pattern: CallPattern,
      extra: Partial<BaselinePlan> = {},
    ): Promise<RunFigures> => {
      const plan: BaselinePlan = {
        phase,
        pattern,
        url: emulator.url,
        apiVersion: "v8",
        concurrency: CONCURRENCY,
        credentials: DEMO_CREDENTIALS,
        clockOffsetMs: await clockOffsetMs(emulator),
        expiresInMs: EXPIRES_IN_MS,
        channels,
        ...extra,
      };
      const file = path.join(dir, `${phase}.json`);
      await writeFile(file, JSON.stringify(plan));
      await emulator.resetStats();
      const result = await runMeasured(process.execPath, [path.join(__dirname, "baseline.js"), file], {
        cwd: repoRoot,
        env: process.env,
      });
      if (result.code !== 0) throw new Error(`baseline ${phase} failed: ${result.stderr}${result.stdout}`);
      return figures(result, await emulator.stats());
    };
    log(`baseline N=${n}: create`);
    const create = await run("create", patternOf(channelsResult.create.stats, "enable"));
    const stateFile = path.join(dir, "state.json");
    const state = Object.fromEntries(
      (await emulator.channels()).map((channel) => [channel.channelId, channel.expiresAt]),
    );
    await writeFile(stateFile, JSON.stringify(state));
    log(`baseline N=${n}: check`);
    const preview = await run("check", { lists: 0, writes: 0 }, { stateFile });
    await emulator.advanceClock(RENEWAL_ADVANCE);
    log(`baseline N=${n}: renew`);
    const renew = await run("renew", patternOf(channelsResult.renew.stats, "update"));
    return { create, preview, renew };
  } finally {
    await receiver.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

interface SavedRun {
  meta: BenchMeta;
  results: BenchResult[];
  checkpoints?: CheckpointStudy | undefined;
  shapes?: ShapeStudy[] | undefined;
  doors?: DoorsStudy[] | undefined;
  releases?: ReleaseStudy[] | undefined;
}

async function readRun(file: string): Promise<SavedRun> {
  return JSON.parse(await readFile(path.resolve(repoRoot, file), "utf8")) as SavedRun;
}

/** Writes BENCHMARKS.md and the chart. */
async function writeReport(options: Options, run: SavedRun): Promise<void> {
  const chart = path.resolve(repoRoot, options.chart);
  await mkdir(path.dirname(chart), { recursive: true });
  await writeFile(chart, renderChart(run.results));
  const before = options.compare ? await readRun(options.compare) : undefined;
  const out = path.resolve(repoRoot, options.out);
  const markdown = renderMarkdown({
    meta: run.meta,
    results: run.results,
    chartPath: path.relative(repoRoot, chart),
    before,
    checkpoints: run.checkpoints,
    shapes: run.shapes,
    doors: run.doors,
    releases: run.releases,
  });
  await writeFormatted(out, markdown);
  log(`wrote ${options.out} and ${options.chart}`);
}

/** Writes a file formatted as the repository formats it, so `prettier --check` (in `npm test`) accepts it. */
async function writeFormatted(file: string, text: string): Promise<void> {
  const prettier = await import("prettier");
  const config = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(text, { ...config, filepath: file }));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.fromJson) {
    await writeReport(options, await readRun(options.fromJson));
    return;
  }
  const parallelArgs = options.parallel === undefined ? [] : ["--parallel", String(options.parallel)];
  const started = Date.now();
  // A first run pays for cold caches (the CLI, plugins, node_modules); keep it out of the figures.
  log("warm-up (not measured)");
  await benchTrivial(1, parallelArgs);
  const results: BenchResult[] = [];
  for (const n of options.counts) {
    const samples = samplesAt(n, options);
    const channels = await benchChannels(n, parallelArgs, { samples });
    const trivial = await benchTrivial(n, parallelArgs, { samples });
    const baseline = await benchBaseline(n, channels.phases);
    const phases = Object.fromEntries(
      (["create", "preview", "renew"] as const).map((phase) => [
        phase,
        { channels: channels.phases[phase], trivial: trivial.phases[phase], baseline: baseline[phase] },
      ]),
    ) as Record<PhaseName, PhaseFigures>;
    results.push({ n, phases, sizes: channels.sizes, trivialSizes: trivial.sizes });
    log(
      `N=${n}: up ${phases.create.channels.wallMs} ms, preview ${phases.preview.channels.wallMs} ms, renewal ${phases.renew.channels.wallMs} ms`,
    );
  }
  let checkpoints: CheckpointStudy | undefined;
  const studied = results.find((r) => r.n === options.checkpointStudy);
  if (studied) {
    // The engine rewrites the whole state after every step; how much of each run is that?
    const off = { PULUMI_SKIP_CHECKPOINTS: "true" };
    const channels = await benchChannels(studied.n, parallelArgs, { env: off });
    const trivial = await benchTrivial(studied.n, parallelArgs, { env: off });
    checkpoints = {
      n: studied.n,
      withCheckpoints: { channels: studied.phases.renew.channels, trivial: studied.phases.renew.trivial },
      withoutCheckpoints: { channels: channels.phases.renew, trivial: trivial.phases.renew },
      firstUp: {
        withCheckpoints: { channels: studied.phases.create.channels, trivial: studied.phases.create.trivial },
        withoutCheckpoints: { channels: channels.phases.create, trivial: trivial.phases.create },
      },
    };
  }
  const shapes: ShapeStudy[] = [];
  for (const shaped of results.filter((r) => options.shapeStudy.includes(r.n))) {
    // The do-nothing resource given a WatchChannel's property keys: how much of the provider's
    // figure is the SDK's cost per key rather than anything the provider does.
    const trivial = await benchTrivial(shaped.n, parallelArgs, {
      samples: samplesAt(shaped.n, options),
      extraKeys: WATCH_CHANNEL_ONLY_KEYS,
      phases: ["create", "preview"],
    });
    shapes.push({
      n: shaped.n,
      extraKeys: WATCH_CHANNEL_ONLY_KEYS,
      create: trivial.phases.create,
      preview: trivial.phases.preview,
    });
  }
  const doors: DoorsStudy[] = [];
  for (const compared of results.filter((r) => options.doorsStudy.includes(r.n))) {
    // The same channels through the provider plugin: its renewal is an update, and its state
    // carries no serialized provider.
    const plugin = await benchChannels(compared.n, parallelArgs, {
      samples: samplesAt(compared.n, options),
      door: "plugin",
    });
    doors.push({
      n: compared.n,
      dynamic: {
        create: compared.phases.create.channels,
        preview: compared.phases.preview.channels,
        renew: compared.phases.renew.channels,
      },
      plugin: plugin.phases,
      dynamicSizes: compared.sizes,
      pluginSizes: plugin.sizes,
      engine: {
        create: compared.phases.create.trivial,
        preview: compared.phases.preview.trivial,
        renew: compared.phases.renew.trivial,
      },
    });
  }
  const releases: ReleaseStudy[] = [];
  if (options.releaseStudy.length > 0) {
    const version = await releaseVersion(options.release);
    for (const n of options.releaseStudy) {
      releases.push(
        await benchReleases(n, parallelArgs, {
          samples: Math.max(samplesAt(n, options), 2),
          release: options.release,
          version,
        }),
      );
    }
  }
  const machine = await machineDescription();
  const meta: BenchMeta = {
    date: new Date().toISOString(),
    machine,
    durationMs: Date.now() - started,
    parallel: options.parallel ?? null,
    concurrency: CONCURRENCY,
    repeat: options.repeat,
    repeatLarge: options.repeatLarge,
    note: options.note ?? null,
  };
  const json = path.resolve(repoRoot, options.json);
  await mkdir(path.dirname(json), { recursive: true });
  await writeFormatted(
    json,
    JSON.stringify({ meta, results, checkpoints, shapes, doors, releases }, null, 2),
  );
  await writeReport(options, { meta, results, checkpoints, shapes, doors, releases });
  log(`wrote ${options.json}; the whole benchmark took ${Math.round(meta.durationMs / 1000)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
