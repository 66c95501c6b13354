// The repository root is a Pulumi project (the quickstart): it previews against the emulator with
// the documented dev settings — credentials from ZOHO_* environment variables, not config.
import assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { PulumiStack } from "../../harness/pulumi-stack";
import { startTestEmulator } from "../../harness/emulator";
import { stepsInOrder } from "../../harness/scenario";

describe("the repository root as a Pulumi project", function () {
  stepsInOrder();
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let stack: PulumiStack;

  before(async () => {
    emulator = await startTestEmulator();
    stack = await PulumiStack.create({
      program: ".",
      inPlace: true,
      config: { "quickstart:notifyUrl": "http://127.0.0.1:8080/zoho" },
      secrets: { "quickstart:notifyToken": "dev-token" },
      env: {
        ZOHO_ACCOUNTS_URL: emulator.url,
        ZOHO_API_DOMAIN: emulator.url,
        ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId,
        ZOHO_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret,
        ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken,
      },
    });
  });
  after(async () => {
    await stack?.dispose();
    await emulator?.close();
  });

  it("previews the quickstart channel with settings from the environment, making no API call", async () => {
    const steps = await stack.previewSteps();
    const deals = steps.find((s) => s.urn.endsWith("WatchChannel::deals"));
    assert.equal(deals?.op, "create");
    assert.equal((await emulator.stats()).total, 0);
  });

  it("subscribes it on up with the credentials from the environment", async () => {
    await stack.up();
    const live = (await emulator.channels()).filter((c) => c.live);
    assert.equal(live.length, 1);
    assert.equal(live[0]?.token, "dev-token");
    await stack.destroy();
    assert.equal((await emulator.channels()).filter((c) => c.live).length, 0);
  });
});
