// `npm run demo` is the README's main command: it must keep working end to end.
import assert from "node:assert/strict";
import path from "node:path";
import { repoRoot, run } from "../../harness/pulumi-stack";

describe("npm run demo", function () {
  this.timeout(240_000);

  it("runs the whole story and exits 0, leaving no channel subscribed", async () => {
    const result = await run(
      process.execPath,
      [path.join(repoRoot, "dist", "scripts", "demo.js")],
      repoRoot,
      process.env,
    );
    assert.equal(result.code, 0, result.output);
    for (const expected of [
      /verified: update of Deals 5725767000003000064 on channel \d+/,
      /renewal due: the channel expires at/,
      /Deals: subscribed \S+ → now/,
      /Demo complete/,
    ]) {
      assert.match(result.output, expected);
    }
  });
});
