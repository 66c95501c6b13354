// The generated Go SDK (sdk/go) builds as it is committed: its go.mod requires the pinned
// github.com/pulumi/pulumi/sdk/v3 and everything that needs, and its go.sum holds every hash, so
// `go build ./...` and `go vet ./...` pass without a lookup in sum.golang.org. They run with
// GOFLAGS=-mod=mod, which would let go add what is missing; the last case checks it added nothing.
// Modules come from the module cache, or GOPROXY as the machine has it. Needs Go: real-CLI tier
// (scripts/test-tiers.sh). scripts/gen-sdk.sh writes go.mod and go.sum (go mod tidy).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot, run } from "../../harness/pulumi-stack";
import { findGo, goEnv } from "./support";

const sdkDir = path.join(repoRoot, "sdk", "go");

describe("sdk/go: the generated Go SDK builds offline from its committed go.mod and go.sum", function () {
  // A cold Go build cache compiles sdk/v3 and its dependencies (a minute or two on 2 cores).
  this.timeout(10 * 60 * 1000);
  let go: string;
  let committed: { mod: string; sum: string };

  before(async function () {
    go = findGo();
    committed = {
      mod: await readFile(path.join(sdkDir, "go.mod"), "utf8"),
      sum: await readFile(path.join(sdkDir, "go.sum"), "utf8"),
    };
  });

  it("requires the sdk/v3 pinned in toolchain/gen-sdk/go.mod", async function () {
    const pin = /github\.com\/pulumi\/pulumi\/sdk\/v3 (v[0-9.]+)/.exec(
      await readFile(path.join(repoRoot, "toolchain", "gen-sdk", "go.mod"), "utf8"),
    )?.[1];
    assert.ok(pin, "no sdk/v3 pin in toolchain/gen-sdk/go.mod");
    assert.match(
      committed.mod,
      new RegExp(`github\\.com/pulumi/pulumi/sdk/v3 ${pin.replace(/\./g, "\\.")}\\n`),
    );
    assert.match(
      committed.sum,
      new RegExp(`github\\.com/pulumi/pulumi/sdk/v3 ${pin.replace(/\./g, "\\.")} h1:`),
    );
  });

  for (const command of [
    ["build", "./..."],
    ["vet", "./..."],
  ]) {
    it(`go ${command.join(" ")} passes`, async function () {
      const result = await run(go, command, sdkDir, goEnv());
      assert.equal(result.code, 0, `go ${command.join(" ")} in sdk/go failed:\n${result.output}`);
    });
  }

  it("left go.mod and go.sum as committed (nothing was missing)", async function () {
    assert.equal(await readFile(path.join(sdkDir, "go.mod"), "utf8"), committed.mod);
    assert.equal(await readFile(path.join(sdkDir, "go.sum"), "utf8"), committed.sum);
  });
});
