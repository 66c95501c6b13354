// Upgrading in place: a user's stack made by the previous release (test/fixtures), then the current
// package installed over it, through the real Pulumi CLI against the emulator. The stack must
// preview without a change, renew, refresh and destroy; and a value the new release refuses (here a
// plain-http notify URL to a public host, which the old one accepted) must only warn, never stop the
// renewals that keep the channel subscribed.
import assert from "node:assert/strict";
import { copyFile, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { clockOffset, providerConfig, startTestEmulator } from "../../harness/emulator";
import { PulumiStack, repoRoot } from "../../harness/pulumi-stack";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import {
  installConsumerProject,
  mustRun,
  packRepository,
  userEnv,
  type ConsumerProject,
} from "./consumer-project";
import { stepsInOrder } from "../../harness/scenario";

const PREVIOUS_RELEASE = path.join(repoRoot, "test", "fixtures", "pulumi-zoho-watch-0.1.0-cf18df5.tgz");
const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
/** Accepted by the previous release; refused for new channels by the current one. */
const PUBLIC_HTTP_URL = "http://hooks.example.com/zoho";

describe("upgrading in place: a stack made by the previous release keeps working with this one", function () {
  stepsInOrder();
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let project: ConsumerProject;
  let stack: PulumiStack;
  let channelId: string;

  const live = async () => (await emulator.channels()).find((c) => c.channelId === channelId && c.live);

  before(async function () {
    this.timeout(600_000);
    emulator = await startTestEmulator();
    project = await installConsumerProject(PREVIOUS_RELEASE);
    for (const file of ["Pulumi.yaml", "index.ts"]) {
      await copyFile(path.join(repoRoot, "examples", "quickstart", file), path.join(project.dir, file));
    }
    stack = await PulumiStack.create({ program: project.dir, inPlace: true, env: userEnv() });
    const { config, secrets } = providerConfig(emulator.url);
    await stack.cli([
      "config",
      "set-all",
      "--stack",
      stack.name,
      ...Object.entries({ ...config, "quickstart:notifyUrl": PUBLIC_HTTP_URL }).flatMap(([k, v]) => [
        "--plaintext",
        `${k}=${v}`,
      ]),
      ...Object.entries({ ...secrets, "quickstart:notifyToken": "upgrade-token-0123" }).flatMap(([k, v]) => [
        "--secret",
        `${k}=${v}`,
      ]),
    ]);
    // The previous release makes the stack.
    await stack.up();
    const [resource] = await stack.resourcesOfType(TYPE);
    channelId = String(resource?.id);
    // Then the current package is installed over it, as `npm install pulumi-zoho-watch@latest` would.
    const next = await packRepository(project.dir);
    await mustRun(
      "npm",
      ["install", "--offline", "--no-audit", "--no-fund", `./${next.filename}`],
      project.dir,
    );
  });

  after(async function () {
    this.timeout(120_000);
    await stack?.dispose();
    await emulator?.close();
    if (project) await rm(project.dir, { recursive: true, force: true });
  });

  it("the stack was made by the previous release, and the current one is now installed", async function () {
    assert.ok(await live(), "the previous release subscribed the channel");
    const installed = await readFile(
      path.join(project.packageDir, "dist", "provider", "channel", "inputs.js"),
      "utf8",
    );
    assert.match(installed, /allowPlainHttp/, "the installed package is the current one");
  });

  it("previews without a change and without a call, warning about the URL it would now refuse", async function () {
    const before = await emulator.stats();
    const preview = await stack.preview(["--expect-no-changes"]);
    assert.equal((await emulator.stats()).total - before.total, 0, "no API call, no token request");
    assert.match(
      preview.output,
      /warning: notifyUrl http:\/\/hooks\.example\.com\/zoho is plain http.*already holds/s,
    );
  });

  it("renews the channel when it is due: same id, a later expiry, never unsubscribed", async function () {
    const before = await live();
    assert.ok(before);
    await emulator.advanceClock("P4D");
    stack.setEnv({ [CLOCK_OFFSET_ENV]: await clockOffset(emulator) });
    await stack.up();
    const after = await live();
    assert.ok(after, "still subscribed");
    assert.ok(Date.parse(after.expiresAt) > Date.parse(before.expiresAt), "with a later expiry");
    for (const intervals of Object.values((await emulator.timeline())[channelId] ?? {})) {
      assert.equal(intervals.length, 1, `never unsubscribed: ${JSON.stringify(intervals)}`);
    }
  });

  it("refreshes, then previews without a change", async function () {
    await stack.refresh();
    await stack.preview(["--expect-no-changes"]);
  });

  it("destroys: the channel is disabled", async function () {
    await stack.destroy();
    assert.equal(await live(), undefined);
  });
});
