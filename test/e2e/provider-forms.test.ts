// The two forms of the serialized provider through the real CLI (provider/pulumi/dynamic/provider.ts):
// "installed", a bare require of the package where @pulumi/pulumi resolves it under node_modules,
// and the self-contained fallback where it cannot (pnpm-like layouts, linked packages, this
// repository). Each form refreshes, renews and destroys state written by the other. The project
// is a user's layout outside the repository (harness/installed-project.ts).

import assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { InstalledProject } from "../../harness/installed-project";
import { PulumiStack } from "../../harness/pulumi-stack";
import { clockOffset, providerConfig, startTestEmulator } from "../../harness/emulator";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { stepsInOrder } from "../../harness/scenario";

const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
const HOOK = "http://127.0.0.1:9/hooks";
const BARE = 'require("pulumi-zoho-watch/provider-runtime")';

describe("the serialized provider's two forms through the real CLI", function () {
  stepsInOrder();
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  let project: InstalledProject;

  async function storedProviders(): Promise<string[]> {
    const resources = await stack.resourcesOfType(TYPE);
    assert.ok(resources.length > 0);
    return resources.map((r) => String(r.outputs?.__provider));
  }

  async function live(): Promise<string[]> {
    return (await emulator.channels()).filter((c) => c.live).map((c) => c.channelId);
  }

  before(async () => {
    emulator = await startTestEmulator();
    project = await InstalledProject.create("test/programs/channels");
    const { config, secrets } = providerConfig(emulator.url);
    stack = await PulumiStack.create({
      program: project.dir,
      inPlace: true,
      config: {
        ...config,
        channels: JSON.stringify({
          a: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "9000000000000000001" },
        }),
      },
      secrets,
    });
  });
  after(async () => {
    await stack?.dispose();
    await emulator?.close();
    await project?.dispose();
  });

  it("installed: stores a bare require of at most 400 characters", async () => {
    await stack.up();
    for (const text of await storedProviders()) {
      assert.ok(text.length <= 400, `${text.length} characters: ${text}`);
      assert.ok(text.includes(BARE), text);
    }
    await stack.preview(["--expect-no-changes"]);
  });

  it("self-contained (@pulumi/pulumi cannot see the package): refreshes and renews state written in the installed form", async () => {
    await project.useForeignPulumi();
    await stack.refresh();
    await emulator.advanceClock("P4D");
    stack.setEnv({ [CLOCK_OFFSET_ENV]: await clockOffset(emulator) });
    await stack.up(); // the renewal: the replacement is written in the self-contained form
    for (const text of await storedProviders()) {
      assert.ok(
        text.length > 1000 && text.includes("configure: __f"),
        `the self-contained form: ${text.length} characters`,
      );
    }
    assert.deepEqual(await live(), ["9000000000000000001"], "renewed, never dropped");
  });

  it("installed again: refreshes and destroys state written in the self-contained form", async () => {
    await project.useOwnPulumi();
    await stack.refresh();
    await stack.preview(["--expect-no-changes"]);
    await stack.destroy();
    assert.deepEqual(await live(), []);
  });
});
