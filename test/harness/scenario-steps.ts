// A scenario for test/harness/scenario.test.ts to run in a mocha of its own: its second step fails.
import assert from "node:assert/strict";
import { stepsInOrder } from "../../harness/scenario";

describe("a scenario whose second step fails", () => {
  stepsInOrder();
  it("first step", () => {});
  it("second step", () => {
    assert.fail("the second step's own failure");
  });
  it("third step", () => {});
});

describe("a scenario beside it", () => {
  stepsInOrder();
  it("runs on: a failure elsewhere is not its own", () => {});
});
