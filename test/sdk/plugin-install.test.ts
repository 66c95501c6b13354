// `zoho-watch plugin install` (cli/plugin-install.ts) with the real Pulumi CLI: it installs the
// package's plugin folder (dist/plugin) into a temporary PULUMI_HOME, and `pulumi plugin ls` then
// lists zoho-watch at the package's version, the one the SDKs ask for. Needs the CLI (with-toolchain
// --pulumi puts it on PATH): real-CLI tier.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot, run } from "../../harness/pulumi-stack";
import { runCli } from "../cli/support";

describe("zoho-watch plugin install: the shipped plugin folder into Pulumi's plugin cache", function () {
  this.timeout(2 * 60 * 1000);
  let home: string;
  let env: NodeJS.ProcessEnv;
  let version: string;

  before(async function () {
    home = await mkdtemp(path.join(tmpdir(), "zoho-watch-plugin-home-"));
    env = { ...process.env, PULUMI_HOME: home };
    version = (JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { version: string })
      .version;
  });
  after(async function () {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("runs pulumi plugin install with the package's version and folder, and says so", async function () {
    const result = await runCli(["plugin", "install"], env);
    assert.equal(result.code, 0, result.output);
    const folder = path.join(repoRoot, "dist", "plugin");
    assert.ok(
      result.stdout.includes(
        `running: pulumi plugin install resource zoho-watch ${version} --file ${folder}`,
      ),
      result.output,
    );
    const installed = path.join(home, "plugins", `resource-zoho-watch-v${version}`);
    assert.ok(result.stdout.includes(`into ${installed}`), result.output);
    assert.ok(existsSync(path.join(installed, "pulumi-resource-zoho-watch")), `no launcher in ${installed}`);
  });

  it("pulumi plugin ls shows zoho-watch at the package's version", async function () {
    const listed = await run("pulumi", ["plugin", "ls", "--json"], tmpdir(), env);
    assert.equal(listed.code, 0, listed.output);
    const plugins = JSON.parse(listed.stdout) as { name: string; kind: string; version: string }[];
    assert.deepEqual(
      plugins
        .filter((plugin) => plugin.name === "zoho-watch")
        .map(({ kind, version: v }) => ({ kind, version: v })),
      [{ kind: "resource", version }],
    );
  });

  it("is in --help, and a wrong subcommand is a usage error (exit 2)", async function () {
    const help = await runCli(["--help"], env);
    assert.equal(help.code, 0, help.output);
    assert.match(help.stdout, /zoho-watch plugin install/);
    const wrong = await runCli(["plugin", "remove"], env);
    assert.equal(wrong.code, 2, wrong.output);
    assert.match(wrong.stderr, /unknown arguments: plugin remove/);
  });
});
