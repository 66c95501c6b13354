// examples/ci/renew-watch-channels.yml cannot run here; what can be checked is that it parses, that
// its schedule renews channels in time with room for failed runs, and what it runs with which secrets.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { load } from "js-yaml";
import * as z from "zod";
import { defaultRenewBefore, safeExpiresIn } from "../../provider/channel/expiry";
import { DEFAULT_API_VERSION } from "../../provider/engine/settings";
import { repoRoot } from "../../harness/pulumi-stack";
import { CronSchedule } from "./cron";

const WORKFLOW = path.join(repoRoot, "examples", "ci", "renew-watch-channels.yml");
const HOUR = 3_600_000;
/** Failed (or skipped) runs in a row the schedule must survive before a channel expires. */
const SURVIVABLE_FAILED_RUNS = 3;

const StepSchema = z.looseObject({
  uses: z.string().optional(),
  run: z.string().optional(),
  with: z.record(z.string(), z.unknown()).optional(),
  env: z.record(z.string(), z.string()).optional(),
});

/** The parts of a GitHub Actions workflow this test reads. */
const WorkflowSchema = z.looseObject({
  on: z.looseObject({ schedule: z.array(z.strictObject({ cron: z.string() })).min(1) }),
  concurrency: z.looseObject({ group: z.string(), "cancel-in-progress": z.boolean() }).optional(),
  env: z.record(z.string(), z.string()).optional(),
  jobs: z.record(
    z.string(),
    z.looseObject({
      "runs-on": z.string(),
      env: z.record(z.string(), z.string()).optional(),
      steps: z.array(StepSchema),
    }),
  ),
});
type Workflow = z.infer<typeof WorkflowSchema>;

describe("examples/ci: the scheduled renewal workflow", () => {
  let workflow: Workflow;

  before(async () => {
    // js-yaml 4 reads YAML 1.2: the `on:` key stays a string (YAML 1.1 would make it `true`).
    workflow = WorkflowSchema.parse(load(await readFile(WORKFLOW, "utf8"), { filename: WORKFLOW }));
  });

  const steps = () => Object.values(workflow.jobs).flatMap((job) => job.steps);

  it("the cron reader measures known schedules", () => {
    assert.equal(new CronSchedule("0 0 * * *").longestGapMs(), 24 * HOUR);
    assert.equal(new CronSchedule("*/15 * * * *").longestGapMs(), 15 * 60_000);
    assert.equal(new CronSchedule("17 */6 * * *").longestGapMs(), 6 * HOUR);
    assert.equal(new CronSchedule("0 9 * * 1-5").longestGapMs(), 72 * HOUR, "Friday 9:00 to Monday 9:00");
    assert.equal(
      new CronSchedule("0 0 1,15 * *").longestGapMs(),
      17 * 24 * HOUR,
      "the 15th to the 1st of a 31-day month",
    );
    assert.equal(new CronSchedule("0 0 1 * 0").longestGapMs(), 7 * 24 * HOUR, "day of month OR day of week");
    assert.throws(() => new CronSchedule("0 0 * * MON"), /cannot read/);
  });

  it("runs often enough that a channel is renewed within its default renewal window even after failed runs", () => {
    // The provider's own defaults: 7-day channels (less a 10-minute skew margin) from API v4,
    // renewed in the last half (3.5 days less 5 minutes).
    const window = defaultRenewBefore(safeExpiresIn(DEFAULT_API_VERSION)).toMillis();
    assert.equal(window, 84 * HOUR - 5 * 60_000);
    for (const { cron } of workflow.on.schedule) {
      const gap = new CronSchedule(cron).longestGapMs();
      assert.ok(
        gap < window,
        `"${cron}" waits up to ${gap / HOUR} h, longer than the ${window / HOUR} h window`,
      );
      const chances = Math.floor(window / gap);
      assert.ok(
        chances > SURVIVABLE_FAILED_RUNS,
        `"${cron}" runs ${chances} times inside the window: ${SURVIVABLE_FAILED_RUNS} failed runs in a row would let channels expire`,
      );
    }
  });

  it("runs `pulumi up --refresh` on one named stack through pulumi/actions", () => {
    const pulumi = steps().filter((step) => step.uses?.startsWith("pulumi/actions@"));
    assert.equal(pulumi.length, 1, "one pulumi/actions step");
    const [step] = pulumi;
    assert.equal(step!.with?.command, "up");
    assert.equal(step!.with?.refresh, true, "refresh: true, i.e. `pulumi up --refresh`");
    const stackName = step!.with?.["stack-name"];
    assert.ok(typeof stackName === "string" && stackName.trim() !== "", "a stack name");
    const installs = steps().findIndex((s) => /\bnpm (ci|install)\b/.test(s.run ?? ""));
    assert.ok(
      installs >= 0 && installs < steps().indexOf(step!),
      "dependencies are installed before `pulumi up`",
    );
  });

  it("takes the Pulumi and Zoho credentials from repository secrets, never from the file", () => {
    const env = {
      ...workflow.env,
      ...Object.assign({}, ...Object.values(workflow.jobs).map((job) => job.env ?? {})),
      ...Object.assign({}, ...steps().map((step) => step.env ?? {})),
    } as Record<string, string>;
    for (const name of [
      "PULUMI_ACCESS_TOKEN",
      "ZOHO_CLIENT_ID",
      "ZOHO_CLIENT_SECRET",
      "ZOHO_REFRESH_TOKEN",
    ]) {
      assert.ok(name in env, `${name} is set`);
    }
    for (const [name, value] of Object.entries(env)) {
      if (/TOKEN|SECRET|PASSPHRASE|CLIENT/.test(name)) {
        assert.match(
          value,
          /^\$\{\{\s*secrets\.[A-Z0-9_]+\s*\}\}$/,
          `${name} comes from a repository secret`,
        );
      }
    }
  });

  it("never runs two updates of the stack at once, and never cancels a running one", () => {
    assert.ok(workflow.concurrency, "a concurrency group");
    assert.equal(workflow.concurrency["cancel-in-progress"], false);
  });
});
