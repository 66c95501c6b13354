// A newcomer's first hour (issue 23), through the real CLIs: a stack made against the emulator,
// `zoho-watch status` run in the project with no flag and no ZOHO_* variable (it reads the stack's
// config and state), the emulator's time moved by the one documented command
// (`zoho-crm-emulator clock advance`, followed through the clock file the stack names once), after
// which `status` warns and `pulumi preview` plans the renewal.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { providerConfig, startTestEmulator } from "../../harness/emulator";
import { PulumiStack, repoRoot, run } from "../../harness/pulumi-stack";
import { leakedSecrets, runCli } from "./support";

const EMULATOR_CLI = path.join(repoRoot, "dist", "emulator", "cli.js");
const TOKEN = "tok-first-hour-6a1f";
/** Where the stack's config says the clock file is: relative, as a user writes it. */
const CLOCK_FILE = path.join(".zoho-emulator", "clock.json");

/** The environment of a person at a shell: the stack's backend, and no ZOHO_* variable at all. */
function shellEnv(stack: PulumiStack): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("ZOHO_")) env[name] = value;
  }
  return {
    ...env,
    PULUMI_BACKEND_URL: `file://${stack.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "zoho-watch-test",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
}

describe("zoho-watch in a Pulumi project: the stack's own config and state, one way to move time", function () {
  this.timeout(240_000);
  let emulator: RunningEmulator;
  let stack: PulumiStack;

  before(async () => {
    stack = await PulumiStack.create({ program: "test/programs/channels" });
    // The emulator keeps the clock file in the project; the stack names it once.
    emulator = await startTestEmulator({ clockFile: path.join(stack.workDir, CLOCK_FILE) });
    const { config, secrets } = providerConfig(emulator.url);
    for (const [key, value] of Object.entries(config)) await stack.setConfig(key, value);
    for (const [key, value] of Object.entries(secrets)) await stack.setConfig(key, value, { secret: true });
    await stack.setConfig("zoho-watch:clockOffset", `file:${CLOCK_FILE}`);
    await stack.setConfig(
      "channels",
      JSON.stringify({ orders: { events: ["Deals.all"], notifyUrl: "http://127.0.0.1:9/orders" } }),
    );
    await stack.setConfig("tokens", JSON.stringify({ orders: TOKEN }), { secret: true });
    // Without ZOHO_* variables too: the provider reads the stack's config.
    stack.setEnv(shellEnv(stack));
    await stack.up();
  });
  after(async () => {
    await stack?.dispose();
    await emulator?.close();
  });

  function status(args: string[] = []) {
    return runCli(["status", ...args], shellEnv(stack), undefined, { cwd: stack.workDir });
  }

  it("status in the project, no flag and no variable: healthy (exit 0), the stack's channel managed, no secret shown", async () => {
    const result = await status();
    assert.equal(result.code, 0, result.output);
    assert.match(result.stdout, /managed {4}yes: orders/, "the stack's state was read");
    assert.match(result.stdout, /healthy: nothing at risk within PT24H/);
    assert.deepEqual(
      leakedSecrets(result.output, [TOKEN, DEMO_CREDENTIALS.clientSecret, DEMO_CREDENTIALS.refreshToken]),
      [],
    );
  });

  it("a no-change preview with the clock file named still makes no call of any kind", async () => {
    await emulator.resetStats();
    await stack.preview(["--expect-no-changes"]);
    assert.equal((await emulator.stats()).total, 0);
  });

  it("after `zoho-crm-emulator clock advance`, status warns and preview plans the renewal; nothing copied by hand", async () => {
    const moved = await run(
      process.execPath,
      [EMULATOR_CLI, "clock", "advance", "P6DT12H", "--url", emulator.url],
      stack.workDir,
      shellEnv(stack),
    );
    assert.equal(moved.code, 0, moved.output);
    assert.ok(
      Date.parse(moved.stdout.trim()) - Date.now() > 6 * 86_400_000,
      "prints the emulator's new time",
    );

    const result = await status();
    assert.equal(result.code, 1, result.output);
    assert.match(result.stdout, /\(orders\): lapsing: lapses in 11h \d+m/);

    // From a subdirectory of the project too: the stack's file:PATH is the project's, as for the provider.
    const subdirectory = path.join(stack.workDir, "src");
    await mkdir(subdirectory, { recursive: true });
    const below = await runCli(["status"], shellEnv(stack), undefined, { cwd: subdirectory });
    assert.equal(below.code, 1, below.output);
    assert.match(below.stdout, /\(orders\): lapsing: lapses in 11h \d+m/);

    const steps = await stack.previewSteps();
    assert.equal(
      steps.find((step) => step.urn.endsWith("::orders"))?.op,
      "replace",
      "the renewal is planned",
    );
  });

  it("--stack names the stack; one that cannot be read exits 2 and says so", async () => {
    const named = await status(["--stack", stack.name]);
    assert.equal(named.code, 1, named.output);
    const missing = await status(["--stack", "no-such-stack"]);
    assert.equal(missing.code, 2, missing.output);
    assert.match(missing.stderr, /cannot read the config of stack no-such-stack/);
  });

  it("missing credentials outside a project: the error names the flags, the variables and the stack's config, and calls no client id a secret", async () => {
    const result = await runCli(["status"], shellEnv(stack));
    assert.equal(result.code, 2, result.output);
    for (const way of [
      "--client-id",
      "ZOHO_CLIENT_ID",
      "zoho-watch:clientId",
      "ZOHO_REFRESH_TOKEN",
      "zoho-watch:refreshToken",
    ]) {
      assert.ok(result.stderr.includes(way), `names ${way}: ${result.stderr}`);
    }
    assert.match(result.stderr, /the stack's config/);
    assert.match(result.stderr, /not run in a Pulumi project/);
    assert.match(result.stderr, /`pulumi config set zoho-watch:clientId/);
    assert.doesNotMatch(result.stderr, /--secret zoho-watch:clientId/);
  });
});
