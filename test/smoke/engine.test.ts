// The real engine end to end: the CLI, our language host and the dynamic-provider plugin, on a
// trivial program. If this fails, every other end-to-end test would fail for the same reason.
import assert from "node:assert/strict";
import { PulumiStack } from "../../harness/pulumi-stack";

describe("smoke: a dynamic resource through the real Pulumi engine", function () {
  this.timeout(180_000);
  let stack: PulumiStack;

  before(async () => {
    stack = await PulumiStack.create({ program: "test/programs/smoke", config: { message: "hi" } });
  });
  after(async () => {
    await stack?.dispose();
  });

  it("creates the resource on up and records it in state", async () => {
    await stack.up();
    const [echo] = await stack.resourcesOfType("pulumi-nodejs:dynamic:Resource");
    assert.equal(echo?.id, "echo-hi");
    assert.equal(echo?.outputs?.message, "hi");
  });

  it("previews no changes when nothing changed", async () => {
    const result = await stack.preview(["--expect-no-changes"]);
    assert.equal(result.code, 0);
  });

  it("plans a replacement when the input changes", async () => {
    await stack.setConfig("message", "bye");
    const steps = await stack.previewSteps();
    const echoStep = steps.find((s) => s.urn.endsWith("::echo"));
    assert.equal(echoStep?.op, "replace");
    await stack.setConfig("message", "hi");
  });

  it("refreshes without changing the resource", async () => {
    await stack.refresh();
    const [echo] = await stack.resourcesOfType("pulumi-nodejs:dynamic:Resource");
    assert.equal(echo?.id, "echo-hi");
  });

  it("destroys the resource", async () => {
    await stack.destroy();
    assert.deepEqual(await stack.resourcesOfType("pulumi-nodejs:dynamic:Resource"), []);
  });
});
