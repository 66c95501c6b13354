// The Node.js version gate every entry point runs first (provider/node-version.ts): its boundary.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../../harness/pulumi-stack";
import {
  MIN_NODE_VERSION,
  isSupportedNodeVersion,
  unsupportedNodeMessage,
} from "../../provider/node-version";

describe("the Node.js version gate", function () {
  it("accepts 22.19.0 and later, refuses anything older", function () {
    for (const version of ["22.19.0", "v22.19.0", "22.19.1", "22.20.0", "23.0.0", "24.22.3", "30.1.2"]) {
      assert.equal(isSupportedNodeVersion(version), true, version);
    }
    for (const version of ["22.18.9", "v22.0.0", "21.99.99", "20.20.2", "18.0.0"]) {
      assert.equal(isSupportedNodeVersion(version), false, version);
    }
  });

  it("names the required and the running version", function () {
    assert.match(unsupportedNodeMessage("v20.20.2"), /needs Node\.js >= 22\.19\.0 \(this is 20\.20\.2, at /);
  });

  it("agrees with package.json's engines.node", async function () {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      engines: { node: string };
    };
    assert.equal(manifest.engines.node, `>=${MIN_NODE_VERSION}`);
  });
});
