/**
 * Runs a command and measures it: wall time, and the peak memory of its whole process tree.
 *
 * Memory is the peak, over samples taken every `sampleMs`, of the summed resident set (VmRSS) of the
 * process and all its descendants, read from /proc. For `pulumi` that is the engine plus every
 * plugin it starts: the language host, the Node program and the dynamic-provider process. Sampling
 * needs nothing installed (no /usr/bin/time) and works on any Linux; a process that lives shorter
 * than one sample interval may be missed. Elsewhere the memory figure is null.
 */
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";

/** A finished, measured command. */
export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Peak summed VmRSS of the process tree in bytes, or null where /proc is unavailable. */
  peakRssBytes: number | null;
  /** Most processes seen in the tree at once. */
  peakProcesses: number;
}

/** Options of {@link runMeasured}. */
export interface MeasureOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Sampling interval. Default 50 ms. */
  sampleMs?: number;
  /** Kill the tree after this long (a runaway run must not hang the benchmark). Default 30 min. */
  timeoutMs?: number;
}

/** Spawns `command args`, samples its tree's memory until it exits, and returns the figures. */
export async function runMeasured(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
): Promise<Measured> {
  const started = process.hrtime.bigint();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));

  let peakRss: number | null = null;
  let peakProcesses = 0;
  let sampling = false;
  const sample = async (): Promise<void> => {
    if (sampling || child.pid === undefined) return;
    sampling = true;
    try {
      const tree = await processTree(child.pid);
      const sizes = await Promise.all(tree.map(residentBytes));
      const known = sizes.filter((s): s is number => s !== null);
      if (known.length > 0)
        peakRss = Math.max(
          peakRss ?? 0,
          known.reduce((a, b) => a + b, 0),
        );
      peakProcesses = Math.max(peakProcesses, known.length);
    } finally {
      sampling = false;
    }
  };
  const timer = setInterval(() => void sample(), options.sampleMs ?? 50);
  const killer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30 * 60_000);

  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  }).finally(() => {
    clearInterval(timer);
    clearTimeout(killer);
  });
  return {
    code,
    stdout: Buffer.concat(stdout).toString("utf8"),
    stderr: Buffer.concat(stderr).toString("utf8"),
    wallMs: Number(process.hrtime.bigint() - started) / 1e6,
    peakRssBytes: peakRss,
    peakProcesses,
  };
}

/** The pid and every descendant, through /proc/<pid>/task/<tid>/children. */
async function processTree(root: number): Promise<number[]> {
  const seen: number[] = [];
  const queue = [root];
  // Bounded: a process tree of a pulumi run has a handful of members.
  while (queue.length > 0 && seen.length < 1000) {
    const pid = queue.shift()!;
    seen.push(pid);
    queue.push(...(await childrenOf(pid)));
  }
  return seen;
}

async function childrenOf(pid: number): Promise<number[]> {
  try {
    const tasks = await readdir(`/proc/${pid}/task`);
    const lists = await Promise.all(
      tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, "utf8").catch(() => "")),
    );
    return lists
      .join(" ")
      .split(/\s+/)
      .filter((s) => s !== "")
      .map(Number);
  } catch {
    return [];
  }
}

async function residentBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
