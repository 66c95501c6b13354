/**
 * Renders the benchmark's figures: BENCHMARKS.md (tables) and a hand-written SVG chart of wall time
 * against N on log-log axes.
 */
import { execFile } from "node:child_process";
import os from "node:os";
import type {
  BenchMeta,
  BenchResult,
  CheckpointStudy,
  DoorsStudy,
  PhaseName,
  ReleaseStudy,
  RunFigures,
  ShapeStudy,
} from "./results";

const PHASE_TITLES: Record<PhaseName, string> = {
  create: "First `pulumi up` (creates N channels)",
  preview: "`pulumi preview`, nothing to change",
  renew: "Renewal `pulumi up` (every channel inside its renewal window)",
};

/** CPU, cores, memory, OS, Node and Pulumi versions. */
export async function machineDescription(): Promise<string> {
  const cpus = os.cpus();
  const pulumi = await new Promise<string>((resolve) =>
    execFile("pulumi", ["version"], (error, stdout) => resolve(error ? "unknown" : stdout.trim())),
  );
  return [
    `${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `${os.type()} ${os.release()} (${os.arch()})`,
    `Node ${process.version}`,
    `Pulumi ${pulumi}`,
  ].join("; ");
}

const seconds = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const mib = (bytes: number | null): string => (bytes === null ? "n/a" : (bytes / 2 ** 20).toFixed(0));
function ratio(a: number | null, b: number | null): string {
  if (a === null || b === null || b <= 0) return "n/a";
  const r = a / b;
  return `×${r >= 10 ? r.toFixed(0) : r.toFixed(2)}`;
}
const kib = (bytes: number): string => (bytes / 1024).toFixed(1);

function phaseTable(results: readonly BenchResult[], phase: PhaseName): string {
  const rows = results.map(({ n, phases }) => {
    const { channels: c, trivial: t, baseline: b } = phases[phase];
    const overheadMs = c.wallMs - t.wallMs;
    return [
      n,
      seconds(c.wallMs),
      ratio(c.wallMs, b.wallMs),
      ratio(c.wallMs, t.wallMs),
      `${overheadMs >= 0 ? "+" : ""}${seconds(overheadMs)}`,
      mib(c.peakRssBytes),
      ratio(c.peakRssBytes, b.peakRssBytes),
      ratio(c.peakRssBytes, t.peakRssBytes),
      c.apiCalls,
      c.tokenRequests,
      b.apiCalls,
      `${seconds(t.wallMs)} / ${seconds(b.wallMs)}`,
    ].join(" | ");
  });
  return [
    `| N | wall s | ÷ baseline | ÷ engine | over engine, s | peak MiB | ÷ baseline | ÷ engine | API calls | token req. | baseline calls | engine / baseline wall s |`,
    `|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map((row) => `| ${row} |`),
  ].join("\n");
}

/** Each repeated run's samples (wall seconds), the median of which the tables show. */
function samplesTable(results: readonly BenchResult[]): string {
  const cell = (f: RunFigures): string => (f.samplesMs ? f.samplesMs.map(seconds).join(", ") : "1 sample");
  const rows = results
    .filter(({ phases }) => phases.preview.channels.samplesMs)
    .map(
      ({ n, phases }) =>
        `| ${n} | ${cell(phases.create.channels)} | ${cell(phases.create.trivial)} | ${cell(phases.preview.channels)} | ${cell(phases.preview.trivial)} | ${cell(phases.renew.channels)} | ${cell(phases.renew.trivial)} |`,
    );
  if (rows.length === 0) return "";
  return [
    "| N | first up, provider | first up, engine | preview, provider | preview, engine | renewal, provider | renewal, engine |",
    "|---:|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function callsDetail(results: readonly BenchResult[]): string {
  const cell = (f: RunFigures): string =>
    f.stats
      ? (["list", "enable", "update", "disable"] as const)
          .filter((op) => (f.stats?.[op] ?? 0) > 0)
          .map((op) => `${op} ${f.stats?.[op]}`)
          .join(", ") || "none"
      : "—";
  const rows = results.map(
    ({ n, phases }) =>
      `| ${n} | ${cell(phases.create.channels)} | ${cell(phases.preview.channels)} | ${cell(phases.renew.channels)} | ${(phases.renew.channels.apiCalls / n).toFixed(2)} |`,
  );
  return [
    "| N | first up | preview | renewal | renewal calls per channel |",
    "|---:|---|---|---|---:|",
    ...rows,
  ].join("\n");
}

function sizesTable(results: readonly BenchResult[]): string {
  const rows = results.map(
    ({ n, sizes, trivialSizes }) =>
      `| ${n} | ${kib(sizes.stateBytes)} | ${kib(sizes.stateBytesPerChannel)} | ${kib(sizes.resourceBytes)} | ${sizes.providerBytes} | ${kib(trivialSizes.resourceBytes)} | ${trivialSizes.providerBytes} |`,
  );
  return [
    "| N | state KiB | state KiB per channel | one WatchChannel in state, KiB | serialized provider, chars | one do-nothing resource, KiB | its provider, chars |",
    "|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

function goals(results: readonly BenchResult[], shapes: readonly ShapeStudy[]): string {
  const lines: string[] = [];
  for (const { n, phases, sizes, trivialSizes } of results) {
    const preview = phases.preview.channels;
    const ups = [phases.create.channels, phases.renew.channels];
    const within = (phase: PhaseName, limit: number) =>
      phases[phase].channels.wallMs <= phases[phase].trivial.wallMs * limit;
    const checks: [string, boolean][] = [
      [`no-change preview makes zero API calls`, preview.apiCalls === 0 && preview.tokenRequests === 0],
      [`one token request per run`, ups.every((f) => f.tokenRequests === 1)],
      [`renewal: at most one API call per channel`, phases.renew.channels.apiCalls <= n],
      [`serialized provider ≤ 400 characters (${sizes.providerBytes})`, sizes.providerBytes <= 400],
      [
        `one WatchChannel in state ≤ one do-nothing resource (${kib(sizes.resourceBytes)} vs ${kib(trivialSizes.resourceBytes)} KiB)`,
        sizes.resourceBytes <= trivialSizes.resourceBytes,
      ],
      [
        `first up within ×1.10 of the engine (${ratio(phases.create.channels.wallMs, phases.create.trivial.wallMs)})`,
        within("create", 1.1),
      ],
      [
        `preview within ×1.10 of the engine (${ratio(phases.preview.channels.wallMs, phases.preview.trivial.wallMs)})`,
        within("preview", 1.1),
      ],
    ];
    if (n >= 100) {
      checks.push([
        `first up with fewer API calls than channels (${phases.create.channels.apiCalls})`,
        phases.create.channels.apiCalls < n,
      ]);
    }
    if (n === 500) {
      checks.push([
        `renewal no slower than the engine (${ratio(phases.renew.channels.wallMs, phases.renew.trivial.wallMs)})`,
        within("renew", 1.0),
      ]);
    }
    let line = `- N = ${n}: ${checks.map(([text, ok]) => `${ok ? "✅" : "❌"} ${text}`).join("; ")}`;
    const shape = shapes.find((study) => study.n === n);
    if (shape) {
      line += ` (against the do-nothing resource given a WatchChannel's property keys, see "The SDK's cost per property": first up ${ratio(phases.create.channels.wallMs, shape.create.wallMs)}, preview ${ratio(phases.preview.channels.wallMs, shape.preview.wallMs)})`;
    }
    lines.push(line);
  }
  return lines.join("\n");
}

/**
 * How wall time grows with N: the exponent k of a least-squares fit of log(time) = k·log(N) + c
 * over N ≥ 10 (below that, fixed start-up costs dominate), per phase, for the provider and the engine.
 */
function growth(results: readonly BenchResult[]): string {
  const fitted = results.filter((r) => r.n >= 10);
  if (fitted.length < 2) return "Too few values of N (at least two of 10 or more) to fit an exponent.";
  const exponent = (pick: (r: BenchResult) => number): string => {
    const xs = fitted.map((r) => Math.log(r.n));
    const ys = fitted.map((r) => Math.log(pick(r)));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const num = xs.reduce((acc, x, i) => acc + (x - mx) * ((ys[i] ?? my) - my), 0);
    const den = xs.reduce((acc, x) => acc + (x - mx) ** 2, 0);
    return (num / den).toFixed(2);
  };
  const perChannel = (pick: (r: BenchResult) => number | null): string => {
    const largest = fitted.at(-1);
    const smallest = fitted[0];
    if (!largest || !smallest || largest === smallest) return "n/a";
    const a = pick(largest);
    const b = pick(smallest);
    return a === null || b === null ? "n/a" : `${((a - b) / (largest.n - smallest.n) / 1024).toFixed(0)} KiB`;
  };
  const rows = (["create", "preview", "renew"] as const).map(
    (phase) =>
      `| ${PHASE_TITLES[phase]} | ${exponent((r) => r.phases[phase].channels.wallMs)} | ${exponent((r) => r.phases[phase].trivial.wallMs)} | ${perChannel((r) => r.phases[phase].channels.peakRssBytes)} | ${perChannel((r) => r.phases[phase].trivial.peakRssBytes)} |`,
  );
  return [
    `Fitted over N = ${fitted.map((r) => r.n).join(", ")}: time ∝ N^k. Peak memory per channel is the slope of peak memory between the smallest and the largest N.`,
    "",
    "| run | k, provider | k, engine | peak memory per channel, provider | per channel, engine |",
    "|---|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

/** Before/after table of the provider's own figures, when earlier results are given. */
function comparison(results: readonly BenchResult[], before: readonly BenchResult[]): string {
  const rows: string[] = [];
  for (const result of results) {
    const old = before.find((b) => b.n === result.n);
    if (!old) continue;
    for (const phase of ["create", "renew"] as const) {
      const a = old.phases[phase];
      const b = result.phases[phase];
      rows.push(
        `| ${result.n} | ${phase === "create" ? "first up" : "renewal"} | ${seconds(a.channels.wallMs)} → ${seconds(b.channels.wallMs)} | ${seconds(a.channels.wallMs - a.trivial.wallMs)} → ${seconds(b.channels.wallMs - b.trivial.wallMs)} | ${a.channels.apiCalls} → ${b.channels.apiCalls} | ${mib(a.channels.peakRssBytes)} → ${mib(b.channels.peakRssBytes)} |`,
      );
    }
    rows.push(
      `| ${result.n} | state per channel | ${kib(old.sizes.stateBytesPerChannel)} KiB → ${kib(result.sizes.stateBytesPerChannel)} KiB | | | |`,
    );
  }
  if (rows.length === 0) return "";
  return [
    "| N | run | wall s | over engine, s | API calls | peak MiB |",
    "|---:|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function checkpointTable(study: CheckpointStudy): string {
  const row = (label: string, on: { channels: RunFigures; trivial: RunFigures }, off: typeof on) =>
    `| ${label} | ${seconds(on.channels.wallMs)} | ${seconds(off.channels.wallMs)} | ${seconds(on.trivial.wallMs)} | ${seconds(off.trivial.wallMs)} | ${seconds(on.channels.wallMs - on.trivial.wallMs)} | ${seconds(off.channels.wallMs - off.trivial.wallMs)} | ${on.channels.apiCalls} → ${off.channels.apiCalls} |`;
  return [
    "| run | provider, s | provider without checkpoints, s | engine, s | engine without checkpoints, s | over engine, s | over engine without checkpoints, s | provider's API calls, with → without |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    row("first up", study.firstUp.withCheckpoints, study.firstUp.withoutCheckpoints),
    row("renewal up", study.withCheckpoints, study.withoutCheckpoints),
  ].join("\n");
}

/** Where the time goes, what was fixed, and what is left, with this run's figures. */
function analysis(
  results: readonly BenchResult[],
  study: CheckpointStudy | undefined,
  before: { meta: BenchMeta; results: readonly BenchResult[] } | undefined,
  shapes: readonly ShapeStudy[],
): string {
  const largest = results.at(-1);
  const oldAt = (n: number) => before?.results.find((r) => r.n === n);
  const old = largest ? oldAt(largest.n) : undefined;
  const parts: string[] = [];
  parts.push(`### 1. Zoho calls

\`provider/engine/batcher.ts\` stands between the lifecycle and the client, in the provider process:

- writes that arrive within 10 ms of each other go out as one POST/PUT of up to 50 items (Zoho's
  published limit), each caller still getting its own item's outcome; DELETEs are split so no
  \`channel_ids\` list passes 512 characters;
- a renewal PUTs at once: \`diff\` (same process, just before) saw Pulumi's stored expiry still ahead,
  so the channel is live (if it was deleted out of band, the PUT answers NOT_SUBSCRIBED and the
  provider POSTs);
- the old resource's delete after a renewal makes no call: the program being run declares its
  channel (see docs/renewal.md);
- a first \`up\` must look before it subscribes (a live channel with that id may be another stack's):
  lookups that arrive together share one paged listing of the org's channels (200 rows a page),
  kept for the run, instead of one GET per channel.

A renewal makes **at most one call per channel**${largest ? ` (${largest.phases.renew.channels.apiCalls} for ${largest.n} channels${old ? `, was ${old.phases.renew.channels.apiCalls}` : ""})` : ""}, a first up
${largest ? `${largest.phases.create.channels.apiCalls} calls for ${largest.n} channels${old ? ` (was ${old.phases.create.channels.apiCalls})` : ""}` : "a few list calls plus its writes"}, one token request per run, none in a preview.
Against the local emulator a call costs about a millisecond, so the saving hardly shows in the wall
times here; against Zoho every call is a network round trip through a limit of 5 in flight, and
counts against the org's daily API credits.`);
  parts.push(`### 2. State per channel

The serialized provider is stored twice in every resource (inputs and outputs), and the engine
rewrites the whole state after every step, so each byte per resource is written about N times per
run. Where the package is installed (\`@pulumi/pulumi\` resolves it under \`node_modules\`), the
provider is the exports of \`pulumi-zoho-watch/provider-runtime\` itself, which Pulumi serializes as
a bare \`require\`: ${largest?.sizes.providerBytes ?? "about 270"} characters${before ? `, was ${before.results.at(-1)?.sizes.providerBytes ?? "about 2,200"}` : ""}. Elsewhere (pnpm-like layouts, linked
workspace packages) the provider falls back to seven one-line methods that \`require\` the same
module (about 2,200 characters); \`provider/pulumi/dynamic/provider.ts\` decides at run time, as Pulumi's
serializer will see it. This benchmark's stacks are laid out as a user's project
(\`harness/installed-project.ts\`), so they measure the installed form.`);
  if (study) {
    const on = study.withCheckpoints;
    const off = study.withoutCheckpoints;
    parts.push(`### 3. What still grows faster than linearly: the engine's checkpoints

The same runs at N = ${study.n} with \`PULUMI_SKIP_CHECKPOINTS=true\` (the engine then writes the state
once, at the end, instead of after every step):

${checkpointTable(study)}

New resources reach the provider at most \`--parallel\` at a time, and with checkpoints fewer: the
engine records each create as pending in the state before it starts it. So a first up's writes
are batched only a little (its lookups are: one paged listing serves all of them but a lone first
one, which is one GET): ${study.firstUp.withCheckpoints.channels.apiCalls} calls here with checkpoints, ${study.firstUp.withoutCheckpoints.channels.apiCalls} without.

Most of a renewal's time, the engine's own included, is the state being rewritten after each of
its ~3N steps (create replacement, replace, delete old), each rewrite proportional to N: that is
the term that grows with N². The provider's share of it is its state size (table "State size": a
WatchChannel holds its provider, the secret token and Zoho's module details). Without checkpoints
the provider adds ${seconds(off.channels.wallMs - off.trivial.wallMs)} s over the engine, against ${seconds(on.channels.wallMs - on.trivial.wallMs)} s with them.

${
  (on.channels.wallMs - off.channels.wallMs) / on.channels.wallMs >= 0.25
    ? `Skipping checkpoints saves ${seconds(on.channels.wallMs - off.channels.wallMs)} s of a ${seconds(on.channels.wallMs)} s renewal here, so for large stacks
\`PULUMI_SKIP_CHECKPOINTS=true\` in the CI job is worth it, and safe with this provider: a run that
dies midway loses only the record of its last steps, and the next run repairs it — a channel
created but not recorded is live with exactly the declared details, so the next create takes it
over; a renewal not recorded is simply due again; a delete not recorded finds the channel gone.`
    : `Skipping checkpoints saves only ${seconds(on.channels.wallMs - off.channels.wallMs)} s of a ${seconds(on.channels.wallMs)} s renewal here: not worth
giving up the engine's record of each step, so this run no longer recommends \`PULUMI_SKIP_CHECKPOINTS\`.`
}`);
  }
  parts.push(startupAndShape(results, shapes, study ? 4 : 3));
  return parts.join("\n\n");
}

/** Section: what each process loads at start, and the SDK's cost per property key. */
function startupAndShape(
  results: readonly BenchResult[],
  shapes: readonly ShapeStudy[],
  section: number,
): string {
  const signed = (ms: number): string => `${ms >= 0 ? "+" : "−"}${seconds(Math.abs(ms))}`;
  const rows = shapes.flatMap((shape) => {
    const at = results.find((r) => r.n === shape.n);
    if (!at) return [];
    return (["create", "preview"] as const).map((phase) => {
      const provider = at.phases[phase].channels.wallMs;
      const engine = at.phases[phase].trivial.wallMs;
      const shaped = shape[phase].wallMs;
      return `| ${shape.n} | ${phase === "create" ? "first up" : "no-change preview"} | ${seconds(provider)} | ${seconds(engine)} | ${seconds(shaped)} | ${signed(shaped - engine)} | ${signed(provider - engine)} | ${ratio(provider, engine)} | ${ratio(provider, shaped)} |`;
    });
  });
  const extraKeys = shapes[0]?.extraKeys ?? [];
  const shapeTable =
    rows.length > 0
      ? `The do-nothing program once more, its resource given the ${extraKeys.length} property keys a WatchChannel has
beyond it (${extraKeys.map((k) => `\`${k}\``).join(", ")}, all undefined). "Keys' cost" is what they add to the
do-nothing program; the part of "over engine" that they do not explain is what the provider's own
code costs.

| N | run | provider, s | engine, s | engine with a WatchChannel's keys, s | keys' cost, s | provider over engine, s | provider ÷ engine | provider ÷ engine with its keys |
|---:|---|---:|---:|---:|---:|---:|---:|---:|
${rows.join("\n")}`
      : "";
  return `### ${section}. Start-up, and the SDK's cost per property

A run starts two Node processes (the program and the dynamic-provider process), an \`up\` four (its
preview and its update each start both), so what the package loads at start is paid two or four
times per run. Measured on this machine, on top of \`@pulumi/pulumi\`'s own ~230 ms: the main entry
took 89 ms (undici, zod and luxon behind the client and the receiver), and so did
\`provider-runtime\`, which the program loads too (it is the provider object Pulumi serializes). Now
the main entry takes about 14 ms, and \`provider-runtime\` nothing: the client and the receiver load
when first used, the provider's implementation on the provider process's first call, and undici
(about 40 ms) with the first request, so a preview never loads it.

Every preview and every update waits for that first call's load. The implementation
(\`provider-process.ts\`: lifecycle, client, validation) loads in a median of 62 ms here, against 101
with zod required whole (95 files, 65 of them locales): the build ships only the parts of zod the
package names, minified (\`provider/zod.ts\`, \`scripts/bundle-zod.ts\`). Until 0.2.0 the whole
implementation was also bundled into one file (52 ms in the same measurement, 41 loads each,
interleaved), a second copy of modules the package ships compiled anyway; those 10 ms are the
price of shipping each module once. And while a first request waits for others to join it (the
batching window), the client already fetches its access token, so loading undici and the token's
round trip overlap the wait: a first create went from about 108 ms to 90 in the provider process.

The projects this benchmark runs in hold the files the package ships, so no source maps: with them
(as before this run) the SDK mapped every resource's stack traces through our maps, a cost users'
programs do not pay.

What is left grows with N, in the program process, and is the SDK's rather than the provider's: for
every property key of every resource, \`@pulumi/pulumi\` makes four promises, each recording a
stack trace (\`transferProperties\` and \`debuggablePromise\`; about 0.28 ms per key per resource
under the profiler, measured with our source maps present). A WatchChannel gives the SDK ten keys
(its four declared inputs here, \`expiresIn\` and \`renewBefore\`, whose defaults check fills in,
the three output-only \`channelExpiry\`, \`apiVersion\` and \`modules\`, and \`__provider\`); the
do-nothing resource six. Options without a default are not given as keys: their outputs are set to undefined
without the SDK.

${shapeTable}`;
}

/** BENCHMARKS.md. */
export function renderMarkdown(input: {
  meta: BenchMeta;
  results: readonly BenchResult[];
  chartPath: string;
  before?: { meta: BenchMeta; results: readonly BenchResult[] } | undefined;
  checkpoints?: CheckpointStudy | undefined;
  shapes?: readonly ShapeStudy[] | undefined;
  doors?: readonly DoorsStudy[] | undefined;
  releases?: readonly ReleaseStudy[] | undefined;
}): string {
  const { meta, results, chartPath, before } = input;
  const counts = results.map((r) => r.n).join(",");
  const compared = before ? comparison(results, before.results) : "";
  const repeat = meta.repeat ?? 1;
  const repeatLarge = meta.repeatLarge ?? 1;
  const samples = samplesTable(results);
  return `# Benchmarks

Produced by \`npm run bench -- --n ${counts}\` on ${meta.date.slice(0, 10)}, in ${Math.round(meta.durationMs / 60_000)} min.
Re-run it to refresh this file; figures move with the machine's load, so compare ratios rather than seconds.

**Machine:** ${meta.machine}.${meta.note ? `\n\n**Note:** ${meta.note}` : ""}

**Setup.** Everything runs against the local Zoho emulator (token throttle off; its concurrency limit
at ${meta.concurrency}, Zoho's lowest edition) through the real \`pulumi\` CLI with a \`file://\` backend,
\`--parallel\` ${meta.parallel ?? "at the CLI's default (8)"}. Each channel subscribes \`Deals.all\` and
\`Contacts.create\` (two modules, so two GET rows) with its own secret token.
Three columns of figures for each run:

- **provider**: \`perf/programs/channels\` — N \`WatchChannel\`s;
- **engine**: \`perf/programs/trivial\` — the same program, config and inputs with a do-nothing dynamic
  resource, so "over engine" is what the provider itself adds;
- **baseline**: \`perf/bench/baseline.ts\` — a plain Node script that makes the same Zoho calls (the
  pattern the provider used in that run, read from the emulator's counts) with undici at the same
  concurrency (${meta.concurrency}), in its own process. For the preview its equivalent is reading its own state file.

Wall time is from spawning the command to its exit. Peak memory is the peak, sampled every 50 ms, of
the summed resident memory (VmRSS from /proc) of the command and every process it started: for
\`pulumi\` the engine, the language host, the Node program and the dynamic-provider process.
API calls and token requests are counted by the emulator.${
    repeat > 1
      ? `\nBelow N = 500 every run was repeated ${repeat} times and the tables show the median sample
(all samples under "Samples"); ${repeatLarge > 1 ? `from N = 500, ${repeatLarge} times` : "at N = 500 one sample each"}.`
      : ""
  }

![Wall time against N](${chartPath})

## Goals

${goals(results, input.shapes ?? [])}

## Time, memory and calls per run

### ${PHASE_TITLES.create}

${phaseTable(results, "create")}

### ${PHASE_TITLES.preview}

${phaseTable(results, "preview")}

### ${PHASE_TITLES.renew}

${phaseTable(results, "renew")}

${samples ? `### Samples\n\nWall seconds of each sample, in the order taken.\n\n${samples}\n\n` : ""}### Zoho API calls by operation (provider)

${callsDetail(results)}

## State size

${sizesTable(results)}
${input.doors && input.doors.length > 0 ? `\n## The two doors: dynamic resource and provider plugin\n\n${doorsSection(input.doors)}\n` : ""}${input.releases && input.releases.length > 0 ? `\n## This build against the previous release\n\n${releasesSection(input.releases)}\n` : ""}
## How time and memory grow with N

${growth(results)}

## Where the time goes, and what was fixed

${analysis(results, input.checkpoints, before, input.shapes ?? [])}
${
  compared
    ? `\n## Before → after the fix\n\nBefore: ${before?.meta.date.slice(0, 10)}, ${before?.meta.note ?? "same machine"}.\n"Over engine" is the provider's own cost: its figure minus the do-nothing program's.\n\n${compared}\n`
    : ""
}`;
}

/**
 * The same N channels through the dynamic resource and through the provider plugin, in one run.
 * The plugin's renewal is an update (no replacement, so no second resource and no delete), and its
 * state carries no serialized provider.
 */
function doorsSection(doors: readonly DoorsStudy[]): string {
  const rows = doors.flatMap((study) =>
    (["create", "preview", "renew"] as const).map(
      (phase) =>
        `| ${study.n} | ${PHASE_TITLES[phase].replace(/ \(.*\)$/, "")} | ${seconds(study.engine[phase].wallMs)} | ${seconds(study.dynamic[phase].wallMs)} | ${seconds(study.plugin[phase].wallMs)} | ${ratio(study.plugin[phase].wallMs, study.dynamic[phase].wallMs)} | ${study.dynamic[phase].apiCalls} / ${study.plugin[phase].apiCalls} |`,
    ),
  );
  const sizes = doors.map(
    (study) =>
      `| ${study.n} | ${kib(study.dynamicSizes.stateBytes)} | ${kib(study.pluginSizes.stateBytes)} | ${ratio(study.pluginSizes.stateBytes, study.dynamicSizes.stateBytes)} | ${study.dynamicSizes.providerBytes} / ${study.pluginSizes.providerBytes} |`,
  );
  const slower = doors.flatMap((study) =>
    (["create", "preview", "renew"] as const)
      .filter((phase) => study.plugin[phase].wallMs > study.dynamic[phase].wallMs * 1.1)
      .map((phase) => `N = ${study.n} ${phase}`),
  );
  return `The same channels, program and config through both doors (\`door: plugin\` in
\`perf/programs/channels\`: the plugin's \`WatchChannel\` from \`pulumi-zoho-watch/plugin\`). Wall seconds;
"engine" is the do-nothing program of the same run. Goal: the plugin no slower than the dynamic door
(within ×1.10, the noise of one sample here) at every N: ${slower.length === 0 ? "✅ met" : `❌ slower at ${slower.join(", ")}`}.

| N | run | engine | dynamic | plugin | plugin ÷ dynamic | API calls (dynamic / plugin) |
| - | --- | ------ | ------- | ------ | ---------------- | ---------------------------- |
${rows.join("\n")}

State, whole stack (KiB):

| N | dynamic | plugin | plugin ÷ dynamic | serialized provider per resource, characters (dynamic / plugin) |
| - | ------- | ------ | ---------------- | ---------------------------------------------------------------- |
${sizes.join("\n")}`;
}

/**
 * This build and a packed earlier release, the same N channels side by side in one run, each run
 * sampled alternately on the two: the ratio is what a user upgrading would see, and it holds across
 * runs where seconds move with the machine's load.
 */
function releasesSection(releases: readonly ReleaseStudy[]): string {
  const version = releases[0]?.version ?? "?";
  const phases = ["create", "preview", "renew"] as const;
  const rows = releases.flatMap((study) =>
    phases.map(
      (phase) =>
        `| ${study.n} | ${PHASE_TITLES[phase].replace(/ \(.*\)$/, "")} | ${seconds(study.previous[phase].wallMs)} | ${seconds(study.current[phase].wallMs)} | ${ratio(study.current[phase].wallMs, study.previous[phase].wallMs)} | ${mib(study.previous[phase].peakRssBytes)} / ${mib(study.current[phase].peakRssBytes)} | ${study.previous[phase].apiCalls} / ${study.current[phase].apiCalls} |`,
    ),
  );
  const slower = releases.flatMap((study) =>
    phases
      .filter((phase) => study.current[phase].wallMs > study.previous[phase].wallMs * 1.1)
      .map((phase) => `N = ${study.n} ${phase}`),
  );
  return `The same channels, program and config with this build and with ${version} (its tarball, as
\`test/fixtures\` keeps it for the upgrade test), installed alike into two projects, and each run
sampled on one and the other in turn, the order swapped each sample (medians shown). Goal: this
build no slower than ${version} (within ×1.10) at every N: ${slower.length === 0 ? "✅ met" : `❌ slower at ${slower.join(", ")}`}.

| N | run | ${version}, s | this build, s | this ÷ ${version} | peak memory, MiB (${version} / this) | API calls (${version} / this) |
| - | --- | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}`;
}

interface Series {
  label: string;
  color: string;
  dash?: string;
  points: Array<[number, number]>;
}

/** A log-log SVG chart of wall time (s) against N, written by hand (no chart library). */
export function renderChart(results: readonly BenchResult[]): string {
  const width = 760;
  const height = 460;
  const margin = { left: 70, right: 230, top: 40, bottom: 56 };
  const series: Series[] = [];
  const add = (label: string, color: string, dash: string | undefined, pick: (r: BenchResult) => number) =>
    series.push({
      label,
      color,
      ...(dash !== undefined && { dash }),
      points: results.map((r) => [r.n, Math.max(pick(r), 1) / 1000]),
    });
  add("provider: first up", "#1f77b4", undefined, (r) => r.phases.create.channels.wallMs);
  add("provider: renewal up", "#d62728", undefined, (r) => r.phases.renew.channels.wallMs);
  add("provider: preview", "#2ca02c", undefined, (r) => r.phases.preview.channels.wallMs);
  add("engine: first up", "#1f77b4", "6 4", (r) => r.phases.create.trivial.wallMs);
  add("engine: replace-all up", "#d62728", "6 4", (r) => r.phases.renew.trivial.wallMs);
  add("engine: preview", "#2ca02c", "6 4", (r) => r.phases.preview.trivial.wallMs);
  add("baseline: create", "#1f77b4", "2 3", (r) => r.phases.create.baseline.wallMs);
  add("baseline: renew", "#d62728", "2 3", (r) => r.phases.renew.baseline.wallMs);

  const xs = results.map((r) => r.n);
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin * 10);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const x = (n: number) =>
    margin.left + ((Math.log10(n) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * plotW;
  const y = (s: number) =>
    margin.top + plotH - ((Math.log10(s) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH;
  const f = (v: number) => v.toFixed(1);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="bold">Wall time against N (log-log)</text>`,
  );
  for (let decade = Math.log10(yMin); decade <= Math.log10(yMax); decade += 1) {
    const value = 10 ** decade;
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${f(y(value))}" y2="${f(y(value))}" stroke="#ddd"/>`,
      `<text x="${margin.left - 8}" y="${f(y(value) + 4)}" text-anchor="end">${value >= 1 ? value : value.toPrecision(1)}</text>`,
    );
  }
  for (const n of xs) {
    parts.push(
      `<line x1="${f(x(n))}" x2="${f(x(n))}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#eee"/>`,
      `<text x="${f(x(n))}" y="${margin.top + plotH + 18}" text-anchor="middle">${n}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 14}" text-anchor="middle">N (channels)</text>`,
    `<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">seconds</text>`,
  );
  series.forEach((s, index) => {
    const d = s.points.map(([n, v], i) => `${i === 0 ? "M" : "L"}${f(x(n))},${f(y(v))}`).join(" ");
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const [n, v] of s.points) {
      parts.push(`<circle cx="${f(x(n))}" cy="${f(y(v))}" r="2.5" fill="${s.color}"/>`);
    }
    const ly = margin.top + 10 + index * 20;
    const lx = margin.left + plotW + 16;
    parts.push(
      `<line x1="${lx}" x2="${lx + 28}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 34}" y="${ly + 4}">${s.label}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
