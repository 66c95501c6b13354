/**
 * Mocha's spec reporter plus one closing line in the plain form CI reads ("mocha: N passed, N failed,
 * N skipped"), so a run that executed no test is visible as such.
 */
import Mocha from "mocha";

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = this.stats;
      // Printed after the spec summary, which mocha writes on the same event.
      process.nextTick(() => console.log(`mocha: ${passes} passed, ${failures} failed, ${pending} skipped`));
    });
  }
}

export = SpecWithSummary;
