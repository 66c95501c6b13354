// examples/go through the real Pulumi CLI against the emulator. There is no Go language host on this
// machine (the official one is not served by the Go module proxy), so the example's own program,
// channels.Program (the function its main.go hands to pulumi.Run), runs as an Automation API inline
// program: test/sdk/go-runner, a module that requires examples/go and sdk/go by `replace`, built once
// per run (the Go build cache makes a repeated build a link). The plugin comes from
// `zoho-watch plugin install` into a private PULUMI_HOME, as docs/sdks.md tells Go users to get it.
// Real-CLI tier.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { clockOffset, providerConfig, startTestEmulator } from "../../harness/emulator";
import { repoRoot, run } from "../../harness/pulumi-stack";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { runCli } from "../cli/support";
import { findGo, goEnv } from "./support";

const EXAMPLE_DIR = path.join(repoRoot, "examples", "go");
const RUNNER_DIR = path.join(repoRoot, "test", "sdk", "go-runner");
const HOOK_TOKEN = "hook-token-5e02b8a4";

interface Result {
  changes?: Record<string, number>;
  outputs?: Record<string, unknown>;
}

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
  let emulator: RunningEmulator;
  let scratch: string;
  let runner: string;
  let env: NodeJS.ProcessEnv;
  const committed = new Map<string, { mod: string; sum: string }>();

  async function example(action: "up" | "preview" | "destroy"): Promise<Result> {
    const result = await run(runner, [action], scratch, env);
    assert.equal(result.code, 0, `${action} failed:\n${result.output}`);
    const last = result.stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(last) as Result;
  }

  async function liveChannels() {
    return (await emulator.channels()).filter((channel) => channel.live);
  }

  before(async function () {
    go = findGo();
    for (const dir of [EXAMPLE_DIR, RUNNER_DIR]) committed.set(dir, await goModules(dir));
    scratch = await mkdtemp(path.join(tmpdir(), "example-go-"));
    runner = path.join(scratch, "go-runner");
    const start = Date.now();
    const built = await run(go, ["build", "-o", runner, "."], RUNNER_DIR, goEnv());
    assert.equal(built.code, 0, `go build in test/sdk/go-runner failed:\n${built.output}`);
    console.log(`      (go-runner built in ${Date.now() - start} ms)`);

    emulator = await startTestEmulator();
    const { config, secrets } = providerConfig(emulator.url);
    const stackConfig: Record<string, { value: string; secret: boolean }> = {};
    for (const [key, value] of Object.entries(config)) stackConfig[key] = { value, secret: false };
    for (const [key, value] of Object.entries({ ...secrets, hookToken: HOOK_TOKEN })) {
      stackConfig[key] = { value, secret: true };
    }
    env = {
      ...process.env,
      PULUMI_HOME: path.join(scratch, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(scratch, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: "zoho-watch-example-go",
      ZOHO_WATCH_EXAMPLE_PROJECT: "zoho-watch-go",
      ZOHO_WATCH_EXAMPLE_STACK: "dev",
      ZOHO_WATCH_EXAMPLE_WORK_DIR: path.join(scratch, "work"),
      ZOHO_WATCH_EXAMPLE_CONFIG: JSON.stringify(stackConfig),
      [CLOCK_OFFSET_ENV]: await clockOffset(emulator),
    };
    await mkdir(path.join(scratch, "backend"), { recursive: true });
    await mkdir(path.join(scratch, "work"), { recursive: true });
    const installed = await runCli(["plugin", "install"], env);
    assert.equal(installed.code, 0, installed.output);
  });
  after(async function () {
    await emulator?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
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

  it("up subscribes the example's two channels, with the hook token", async function () {
    const up = await example("up");
    assert.deepEqual(up.changes, { create: 3 }, "the stack, deals and contacts");
    const live = await liveChannels();
    assert.deepEqual(live.map((channel) => [...channel.events].sort().join(",")).sort(), [
      "Contacts.create,Contacts.edit",
      "Deals.create,Deals.delete,Deals.edit",
    ]);
    for (const channel of live) assert.equal(channel.token, HOOK_TOKEN);
    assert.match(String(up.outputs?.dealsChannel), /^\d+$/);
    assert.ok(!Number.isNaN(Date.parse(String(up.outputs?.contactsExpiry))), "contactsExpiry is a time");
  });

  it("previews no changes, with zero API calls", async function () {
    await emulator.resetStats();
    const preview = await example("preview");
    assert.deepEqual(preview.changes, { same: 3 });
    const stats = await emulator.stats();
    assert.equal(stats.total, 0, JSON.stringify(stats));
  });

  it("renews contacts (expiresIn P2D) once inside its renewal window, and only it", async function () {
    const before = new Map((await liveChannels()).map((channel) => [channel.channelId, channel.expiresAt]));
    await emulator.advanceClock("P1DT1H"); // contacts: renew within P1D of expiry; deals: within ~P3DT12H
    env = { ...env, [CLOCK_OFFSET_ENV]: await clockOffset(emulator) };
    const preview = await example("preview");
    assert.deepEqual(preview.changes, { same: 2, update: 1 });
    const up = await example("up");
    assert.deepEqual(up.changes, { same: 2, update: 1 });
    const after = await liveChannels();
    assert.equal(after.length, 2, "both channels still live");
    const renewed = after.filter((channel) => channel.expiresAt !== before.get(channel.channelId));
    assert.deepEqual(
      renewed.map((channel) => [...channel.events].sort().join(",")),
      ["Contacts.create,Contacts.edit"],
    );
    assert.ok(Date.parse(renewed[0]!.expiresAt) > Date.parse(before.get(renewed[0]!.channelId)!));
    assert.deepEqual((await example("preview")).changes, { same: 3 });
  });

  it("keeps the hook token and the credentials out of the state in plain text", async function () {
    // The CLI's own export, as a user runs it (the Automation API's ExportStack adds --show-secrets).
    const result = await run(
      "pulumi",
      ["stack", "export", "--stack", "dev"],
      env.ZOHO_WATCH_EXAMPLE_WORK_DIR!,
      env,
    );
    assert.equal(result.code, 0, result.output);
    const exported = result.stdout;
    assert.ok(exported.includes("zoho-watch:index:WatchChannel"), "the export holds the channels");
    for (const secret of [HOOK_TOKEN, DEMO_CREDENTIALS.clientSecret, DEMO_CREDENTIALS.refreshToken]) {
      const at = exported.indexOf(secret);
      assert.equal(
        at,
        -1,
        `${secret} is in plain text in the stack export: …${exported.slice(Math.max(0, at - 300), at + 60)}…`,
      );
    }
  });

  it("destroy unsubscribes both channels", async function () {
    const destroy = await example("destroy");
    assert.deepEqual(destroy.changes, { delete: 3 });
    assert.deepEqual(await liveChannels(), []);
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
