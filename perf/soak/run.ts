/**
 * `npm run soak`: the simulated week (perf/soak/scenario.ts) on the emulator's clock with the real
 * Pulumi CLI. Prints the report and exits non-zero when a goal is missed.
 *
 *   npm run soak -- [--scenario week|short] [--json FILE]
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { runSoak } from "./continuity";
import { formatReport } from "./report";
import { SHORT, WEEK } from "./scenario";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const name = value("--scenario") ?? "week";
  const scenario = { week: WEEK, short: SHORT }[name];
  if (!scenario) throw new Error(`unknown scenario "${name}": use week or short`);
  const report = await runSoak(scenario, { log: (line) => process.stderr.write(`soak: ${line}\n`) });
  const json = value("--json");
  if (json) {
    await mkdir(path.dirname(path.resolve(json)), { recursive: true });
    await writeFile(path.resolve(json), `${JSON.stringify(report, null, 2)}\n`);
  }
  process.stdout.write(`${formatReport(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
