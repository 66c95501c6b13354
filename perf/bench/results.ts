/** The benchmark's figures, as run.ts collects them and report.ts renders them. */
import type { RequestStats } from "../../emulator";

/** The three runs measured per N. */
export type PhaseName = "create" | "preview" | "renew";

/** One measured run. */
export interface RunFigures {
  wallMs: number;
  /** Peak summed RSS of the process tree, bytes; null where /proc is unavailable. */
  peakRssBytes: number | null;
  /** Requests to the emulated Zoho API (token requests excluded). */
  apiCalls: number;
  tokenRequests: number;
  /** The emulator's counts per operation (for the channel stack and the baseline). */
  stats?: RequestStats;
  /** Every sample's wall time when the run was repeated (the figures are the median sample's). */
  samplesMs?: number[];
}

/** One phase, three ways: the provider, the do-nothing resource, the plain script. */
export interface PhaseFigures {
  channels: RunFigures;
  trivial: RunFigures;
  baseline: RunFigures;
}

/** Sizes in the exported state after the first up. */
export interface SizeFigures {
  /** `pulumi stack export`, bytes. */
  stateBytes: number;
  stateBytesPerChannel: number;
  /** One resource's JSON in the state (inputs, outputs and the engine's fields), average bytes. */
  resourceBytes: number;
  /** The serialized provider (`__provider`), characters; stored in inputs and outputs alike. */
  providerBytes: number;
}

/** Everything measured for one N. */
export interface BenchResult {
  n: number;
  phases: Record<PhaseName, PhaseFigures>;
  sizes: SizeFigures;
  trivialSizes: SizeFigures;
}

/** When, where and how the benchmark ran. */
export interface BenchMeta {
  date: string;
  machine: string;
  durationMs: number;
  /** `pulumi --parallel`, or null for the CLI's default. */
  parallel: number | null;
  concurrency: number;
  /** Samples per run below N = 500 (median kept); absent in runs from before it existed (1). */
  repeat?: number;
  /** Samples per run from N = 500; absent in runs from before it existed (1). */
  repeatLarge?: number;
  note: string | null;
}

/** Runs repeated with PULUMI_SKIP_CHECKPOINTS=true: the share of the engine's state rewrites. */
export interface CheckpointStudy {
  n: number;
  withCheckpoints: { channels: RunFigures; trivial: RunFigures };
  withoutCheckpoints: { channels: RunFigures; trivial: RunFigures };
  firstUp: {
    withCheckpoints: { channels: RunFigures; trivial: RunFigures };
    withoutCheckpoints: { channels: RunFigures; trivial: RunFigures };
  };
}

/** The do-nothing resource given a WatchChannel's extra property keys, at one N. */
export interface ShapeStudy {
  n: number;
  /** The keys added to the do-nothing resource's inputs (all undefined). */
  extraKeys: string[];
  create: RunFigures;
  preview: RunFigures;
}

/** The same channels through both doors at one N: the dynamic resource and the provider plugin. */
export interface DoorsStudy {
  n: number;
  dynamic: Record<PhaseName, RunFigures>;
  plugin: Record<PhaseName, RunFigures>;
  dynamicSizes: SizeFigures;
  pluginSizes: SizeFigures;
  /** The do-nothing program of the same run, for scale. */
  engine: Record<PhaseName, RunFigures>;
}

/**
 * The same N channels with this build and with a packed earlier release, in one run, each run
 * sampled alternately on the two (the release study).
 */
export interface ReleaseStudy {
  n: number;
  /** The earlier release's version. */
  version: string;
  current: Record<PhaseName, RunFigures>;
  previous: Record<PhaseName, RunFigures>;
}
