#!/usr/bin/env node
/**
 * `zoho-watch`: the operations CLI of pulumi-zoho-watch (the package's second bin).
 *
 *   zoho-watch status [--warn-within PT24H] [--state <file>|-] [--json]
 *   zoho-watch adopt  [--state <file>|-]
 *
 * Exit codes: 0 healthy (or adopt printed), 1 something at risk, 2 the check could not be made
 * (usage, settings, credentials, Zoho unreachable). A scheduled CI job running `status` is the
 * alert: it fails, and CI's failure notification reaches a person before a channel lapses.
 */
import "../provider/node-version"; // first: a clear error on a too old Node.js
import { readFile } from "node:fs/promises";
import { ZohoWatchClient, isZohoError } from "../provider/zoho";
import { adoptionProgram, unmanagedChannels } from "./adopt";
import { parseInvocation, usage, UsageError, type Invocation } from "./args";
import { listLiveChannels, type LiveChannel } from "./live";
import { clientOptions, offsetClock, readSettings, SettingsError } from "./provider-settings";
import { judgeStatus, renderStatus } from "./status";
import { managedChannels, StateFileError, type ManagedChannel } from "./state";

/** The process's exit codes. */
export const EXIT = { healthy: 0, atRisk: 1, cannotCheck: 2 } as const;

/** Where the CLI reads and writes; the real process's streams by default, replaceable in tests. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

/** Runs one invocation and returns its exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const invocation = parseInvocation(argv);
    if (invocation.command === "help") {
      io.stdout(`${usage()}\n`);
      return EXIT.healthy;
    }
    // The state first: a bad file fails before any request to Zoho.
    const managed = invocation.state === undefined ? undefined : await readState(invocation.state, io);
    // "Now" as the provider sees it: shifted by ZOHO_WATCH_CLOCK_OFFSET (emulator runs only).
    const now = offsetClock(readSettings(invocation.flags, io.env).clockOffsetMs)();
    const live = await fetchLiveChannels(invocation, io.env);
    if (invocation.command === "adopt") {
      io.stdout(adoptionProgram(unmanagedChannels(live, managed), now));
      return EXIT.healthy;
    }
    const report = judgeStatus({
      live,
      managed,
      now,
      warnWithin: invocation.warnWithin,
      warnWithinText: invocation.warnWithinText,
    });
    io.stdout(invocation.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
    return report.healthy ? EXIT.healthy : EXIT.atRisk;
  } catch (error) {
    io.stderr(`zoho-watch: ${describe(error)}\n`);
    return EXIT.cannotCheck;
  }
}

async function readState(source: string, io: CliIo): Promise<ManagedChannel[]> {
  let text: string;
  try {
    text = source === "-" ? await io.readStdin() : await readFile(source, "utf8");
  } catch (error) {
    throw new StateFileError(`cannot read --state ${source}: ${(error as Error).message}`);
  }
  return managedChannels(text, source === "-" ? "the state on stdin" : source);
}

/** One client, so one token request, for the whole invocation. */
async function fetchLiveChannels(invocation: Invocation, env: NodeJS.ProcessEnv): Promise<LiveChannel[]> {
  const settings = readSettings(invocation.flags, env);
  const client = new ZohoWatchClient({
    ...clientOptions(settings),
    userAgent: "pulumi-zoho-watch-cli",
  });
  try {
    return await listLiveChannels(client);
  } finally {
    await client.close();
  }
}

/** One line for stderr. Zoho errors are already free of secrets (the client redacts them). */
function describe(error: unknown): string {
  if (error instanceof UsageError) return `${error.message}\nRun \`zoho-watch --help\` for usage.`;
  if (error instanceof SettingsError) {
    // The provider's wording names stack config; the CLI reads the same variables, or flags.
    return `${error.message}\n(zoho-watch reads the ZOHO_* variables or the matching flags: see \`zoho-watch --help\`)`;
  }
  if (error instanceof StateFileError) return error.message;
  // The client's messages already say which credential or setting to check, without secrets.
  if (isZohoError(error)) return `cannot list the watch channels: ${error.message}`;
  if (error instanceof TypeError || error instanceof RangeError) return error.message;
  return `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readAll(process.stdin),
  }).then((code) => {
    process.exitCode = code;
  });
}
