/**
 * The one scenario every SDK example runs through the real Pulumi CLI against the emulator, whatever
 * its language: up, a no-change preview with zero API calls, a renewal of the channel inside its
 * window, no secret in plain text in the state, destroy. Each language says how its example runs
 * (a venv's Python on run_python_example.py, the built go-runner); the stack, its config, the
 * private PULUMI_HOME with the plugin from `zoho-watch plugin install`, and the checks are here.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { clockOffset, providerConfig, startTestEmulator } from "../../harness/emulator";
import { run } from "../../harness/pulumi-stack";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { runCli } from "../cli/support";

/** What one run of an example prints last: its changes and outputs, as JSON. */
interface Result {
  changes?: Record<string, number>;
  outputs?: Record<string, unknown>;
}

/** What the example runner is asked to do. */
export type ExampleAction = "up" | "preview" | "destroy";

/** How one language's example runs. */
export interface ExampleLanguage {
  /** `python`, `go`: names the project, the passphrase and the scratch folder. */
  language: string;
  /** The secret config `hookToken` the example declares its channels with. */
  hookToken: string;
  /** Makes what runs the example (in `scratch`) and says how to run one action. */
  prepare(scratch: string): Promise<(action: ExampleAction) => { command: string; args: string[] }>;
  /** More environment for the runner (which example file to run). */
  env?: NodeJS.ProcessEnv;
}

/** Registers the scenario's hooks and tests; call it inside `describe`. */
export function exampleScenario(spec: ExampleLanguage): void {
  let emulator: RunningEmulator;
  let scratch: string;
  let env: NodeJS.ProcessEnv;
  let runner: (action: ExampleAction) => { command: string; args: string[] };

  async function example(action: ExampleAction): Promise<Result> {
    const { command, args } = runner(action);
    const result = await run(command, args, scratch, env);
    assert.equal(result.code, 0, `${action} failed:\n${result.output}`);
    const last = result.stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(last) as Result;
  }

  async function liveChannels() {
    return (await emulator.channels()).filter((channel) => channel.live);
  }

  before(async function () {
    scratch = await mkdtemp(path.join(tmpdir(), `example-${spec.language}-`));
    runner = await spec.prepare(scratch);
    emulator = await startTestEmulator();
    const { config, secrets } = providerConfig(emulator.url);
    const stackConfig: Record<string, { value: string; secret: boolean }> = {};
    for (const [key, value] of Object.entries(config)) stackConfig[key] = { value, secret: false };
    for (const [key, value] of Object.entries({ ...secrets, hookToken: spec.hookToken })) {
      stackConfig[key] = { value, secret: true };
    }
    env = {
      ...process.env,
      ...spec.env,
      PULUMI_HOME: path.join(scratch, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(scratch, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: `zoho-watch-example-${spec.language}`,
      ZOHO_WATCH_EXAMPLE_PROJECT: `zoho-watch-${spec.language}`,
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

  it("up subscribes the example's two channels, with the hook token", async function () {
    const up = await example("up");
    assert.deepEqual(up.changes, { create: 3 }, "the stack, deals and contacts");
    const live = await liveChannels();
    assert.deepEqual(live.map((channel) => [...channel.events].sort().join(",")).sort(), [
      "Contacts.create,Contacts.edit",
      "Deals.create,Deals.delete,Deals.edit",
    ]);
    for (const channel of live) assert.equal(channel.token, spec.hookToken);
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
    // The CLI's own export, as a user runs it (the Automation APIs' export adds --show-secrets).
    const result = await run(
      "pulumi",
      ["stack", "export", "--stack", "dev"],
      env.ZOHO_WATCH_EXAMPLE_WORK_DIR!,
      env,
    );
    assert.equal(result.code, 0, result.output);
    const exported = result.stdout;
    assert.ok(exported.includes("zoho-watch:index:WatchChannel"), "the export holds the channels");
    for (const secret of [spec.hookToken, DEMO_CREDENTIALS.clientSecret, DEMO_CREDENTIALS.refreshToken]) {
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
}
