// harness/scenario.ts: after a failed step, the rest of that file's scenario is skipped, and only
// that scenario's.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";

interface JsonTest {
  fullTitle: string;
  err: { message?: string };
}
interface JsonReport {
  passes: JsonTest[];
  failures: JsonTest[];
  pending: JsonTest[];
}

describe("stepsInOrder: a scenario stops at its first failed step", function () {
  this.timeout(30_000);

  it("reports the failed step, skips the steps after it naming that step, and leaves other scenarios running", async () => {
    const mocha = require.resolve("mocha/bin/mocha.js");
    const fixture = path.join(__dirname, "scenario-steps.js");
    const stdout = await new Promise<string>((resolve) => {
      // mocha exits non-zero when a test fails, which is this fixture's point: read its report.
      execFile(process.execPath, [mocha, "--no-config", "--reporter", "json", fixture], (_error, out) =>
        resolve(out),
      );
    });
    const report = JSON.parse(stdout) as JsonReport;
    const titles = (tests: JsonTest[]) => tests.map((test) => test.fullTitle);
    assert.deepEqual(titles(report.passes), [
      "a scenario whose second step fails first step",
      "a scenario beside it runs on: a failure elsewhere is not its own",
    ]);
    assert.deepEqual(titles(report.failures), ["a scenario whose second step fails second step"]);
    assert.match(report.failures[0]!.err.message ?? "", /the second step's own failure/);
    assert.deepEqual(titles(report.pending), [
      'a scenario whose second step fails third step (skipped: the step "second step" failed before it)',
    ]);
  });
});
