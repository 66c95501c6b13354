/**
 * A test file whose steps are one scenario through the real CLI: each step starts from the state the
 * one before it left (up, then renew, then refresh, ...), because an `up` costs seconds and a fresh
 * stack per step would multiply them. The file as a whole stands alone (its own emulator, stacks and
 * scratch projects), and the real-CLI tier runs files in parallel.
 *
 * Call {@link stepsInOrder} inside the file's `describe`: once a step fails, the steps after it are
 * skipped (reported as pending, naming the step that failed) instead of failing on state the failed
 * step never made. The first failure is then the one to read.
 */
import type { Context } from "mocha";

/** Registers, in the calling `describe`, the hooks that skip every step after the first failure. */
export function stepsInOrder(): void {
  let failed: string | undefined;
  beforeEach(function (this: Context) {
    if (failed !== undefined) {
      this.currentTest!.title += ` (skipped: the step "${failed}" failed before it)`;
      this.skip();
    }
  });
  afterEach(function (this: Context) {
    if (failed === undefined && this.currentTest?.state === "failed") failed = this.currentTest.title;
  });
}
