// examples/ci runs `zoho-watch status --state` after `pulumi up`: the step is read from the workflow
// and its pipeline is run for real, with `pulumi stack export` of a stack against the emulator.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { load } from "js-yaml";
import * as z from "zod";
import type { RunningEmulator } from "../../emulator";
import { PulumiStack, repoRoot, run } from "../../harness/pulumi-stack";
import { providerConfig, startTestEmulator } from "../../harness/emulator";
import { CLI, emulatorEnv } from "./support";

const WORKFLOW = path.join(repoRoot, "examples", "ci", "renew-watch-channels.yml");

const StepSchema = z.looseObject({
  name: z.string().optional(),
  if: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  with: z.record(z.string(), z.unknown()).optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const WorkflowSchema = z.looseObject({
  jobs: z.record(z.string(), z.looseObject({ steps: z.array(StepSchema) })),
});

describe("examples/ci: the zoho-watch status step", function () {
  this.timeout(120_000);
  let steps: z.infer<typeof StepSchema>[];
  let statusStep: z.infer<typeof StepSchema>;

  before(async () => {
    const workflow = WorkflowSchema.parse(load(await readFile(WORKFLOW, "utf8")));
    steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const found = steps.filter((step) => /\bzoho-watch status\b/.test(step.run ?? ""));
    assert.equal(found.length, 1, "one step runs zoho-watch status");
    statusStep = found[0]!;
  });

  it("feeds `pulumi stack export` of the updated stack to `zoho-watch status --state -`, after `pulumi up`, even if up failed", () => {
    const up = steps.findIndex(
      (step) => step.uses?.startsWith("pulumi/actions@") && step.with?.command === "up",
    );
    assert.ok(up >= 0 && up < steps.indexOf(statusStep), "after pulumi up");
    const stackName = steps[up]!.with?.["stack-name"];
    assert.match(statusStep.run!, /pulumi stack export\b[^|]*\|\s*npx zoho-watch status --state -\s*$/);
    assert.ok(statusStep.run!.includes(`--stack ${String(stackName)}`), "the same stack as `pulumi up`");
    assert.ok(!/--show-secrets/.test(statusStep.run!), "the export keeps secrets encrypted");
    assert.equal(statusStep.if, "${{ !cancelled() }}", "runs after a failed up too, to name what is at risk");
    for (const name of [
      "PULUMI_ACCESS_TOKEN",
      "ZOHO_CLIENT_ID",
      "ZOHO_CLIENT_SECRET",
      "ZOHO_REFRESH_TOKEN",
    ]) {
      assert.match(
        statusStep.env?.[name] ?? "",
        /^\$\{\{\s*secrets\.[A-Z0-9_]+\s*\}\}$/,
        `${name} from a secret`,
      );
    }
  });

  it("`npx zoho-watch` names the bin this package builds", async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    assert.equal(path.resolve(repoRoot, manifest.bin["zoho-watch"]!), CLI);
    assert.match(await readFile(CLI, "utf8"), /^#!\/usr\/bin\/env node\n/, "runs as an executable");
  });

  describe("the step's pipeline, run for real", () => {
    let emulator: RunningEmulator;
    let stack: PulumiStack;

    before(async () => {
      emulator = await startTestEmulator();
      const { config, secrets } = providerConfig(emulator.url);
      stack = await PulumiStack.create({ program: "test/programs/channels", config, secrets });
      await stack.setConfig(
        "channels",
        JSON.stringify({ orders: { events: ["Deals.all"], notifyUrl: "http://127.0.0.1:9/orders" } }),
      );
      await stack.up();
    });
    after(async () => {
      await stack?.dispose();
      await emulator?.close();
    });

    /** The workflow's command with this test's stack and the built bin in place of the published one. */
    function pipeline(): string {
      return statusStep
        .run!.replace(/--cwd \S+/, `--cwd ${stack.workDir}`)
        .replace(/--stack \S+/, `--stack ${stack.name}`)
        .replace(/npx zoho-watch/, `"${process.execPath}" "${CLI}"`);
    }

    it("exits 0 after a successful up, and 1 once the channel is gone", async () => {
      // CI's environment: the stack's backend, the ZOHO_* variables.
      const env = emulatorEnv(emulator, {
        PULUMI_BACKEND_URL: `file://${stack.backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "zoho-watch-test",
      });
      const healthy = await run("bash", ["-o", "pipefail", "-c", pipeline()], repoRoot, env);
      assert.equal(healthy.code, 0, healthy.output);
      assert.match(healthy.stdout, /managed {4}yes: orders/);

      await emulator.advanceClock("P8D");
      const lapsed = await run("bash", ["-o", "pipefail", "-c", pipeline()], repoRoot, env);
      assert.equal(lapsed.code, 1, lapsed.output);
      assert.match(lapsed.stdout, /\(orders\): missing:/);
    });
  });
});
