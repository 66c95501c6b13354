// examples/go through the real Pulumi CLI against the emulator. There is no Go language host on this
// machine (the official one is not served by the Go module proxy), so the example's own program,
// channels.Program (the function its main.go hands to pulumi.Run), runs as an Automation API inline
// program: test/sdk/go-runner, a module that requires examples/go and sdk/go by `replace`, built once
// per run (the Go build cache makes a repeated build a link). The plugin comes from
// `zoho-watch plugin install` into a private PULUMI_HOME, as docs/sdks.md tells Go users to get it.
// Real-CLI tier.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot, run } from "../../harness/pulumi-stack";
import { exampleScenario } from "./example-scenario";
import { findGo, goEnv } from "./support";

const EXAMPLE_DIR = path.join(repoRoot, "examples", "go");
const RUNNER_DIR = path.join(repoRoot, "test", "sdk", "go-runner");

async function goModules(dir: string): Promise<{ mod: string; sum: string }> {
  return {
    mod: await readFile(path.join(dir, "go.mod"), "utf8"),
    sum: await readFile(path.join(dir, "go.sum"), "utf8"),
  };
}

describe("examples/go through the real CLI (Automation API inline program) against the emulator", function () {
  // A cold Go build cache compiles sdk/v3's automation packages (a minute or two on 2 cores).
  this.timeout(10 * 60 * 1000);
  let go: string;
  const committed = new Map<string, { mod: string; sum: string }>();

  before(async function () {
    go = findGo();
    for (const dir of [EXAMPLE_DIR, RUNNER_DIR]) committed.set(dir, await goModules(dir));
  });

  it("the example itself (main.go and channels) passes go build and go vet", async function () {
    for (const command of [
      ["build", "./..."],
      ["vet", "./..."],
    ]) {
      const result = await run(go, command, EXAMPLE_DIR, goEnv());
      assert.equal(result.code, 0, `go ${command.join(" ")} in examples/go failed:\n${result.output}`);
    }
  });

  exampleScenario({
    language: "go",
    hookToken: "hook-token-5e02b8a4",
    async prepare(scratch) {
      const runner = path.join(scratch, "go-runner");
      const start = Date.now();
      const built = await run(go, ["build", "-o", runner, "."], RUNNER_DIR, goEnv());
      assert.equal(built.code, 0, `go build in test/sdk/go-runner failed:\n${built.output}`);
      console.log(`      (go-runner built in ${Date.now() - start} ms)`);
      return (action) => ({ command: runner, args: [action] });
    },
  });

  it("left the go.mod and go.sum of examples/go and test/sdk/go-runner as committed", async function () {
    for (const [dir, files] of committed) {
      assert.deepEqual(
        await goModules(dir),
        files,
        `${path.relative(repoRoot, dir)}: go.mod or go.sum changed`,
      );
    }
  });
});
