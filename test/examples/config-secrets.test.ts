// examples/config-secrets with the real Pulumi CLI against the emulator: credentials, token and the
// keyed notify URL all from config secrets; outputs a receiver uses (id plain, token secret); no
// secret in plain text in the state.
import assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { verifyNotification, type ExpectedChannel } from "../../provider/receiver/verify-notification";
import type { PulumiStack, StackExport } from "../../harness/pulumi-stack";
import { Receiver, startTestEmulator } from "../../harness/emulator";
import { createExampleStack, expandedEvents, liveChannels, stackOutputs } from "./example-stack";
import { stepsInOrder } from "../../harness/scenario";

const TOKEN = "tok-config-secrets-9a4d21";
const KEY = "key-8f3e0c5b17";

/** Pulumi's marker of an encrypted value in state. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

describe("examples/config-secrets with the real Pulumi CLI", function () {
  stepsInOrder();
  this.timeout(180_000);
  let emulator: RunningEmulator;
  let receiver: Receiver;
  let stack: PulumiStack;
  let channelId: string;

  before(async () => {
    emulator = await startTestEmulator();
    receiver = await Receiver.start();
    stack = await createExampleStack("config-secrets", emulator, {
      config: { "config-secrets:receiverUrl": `${receiver.url}/zoho` },
      secrets: {
        // The credentials as the example sets them: all three with --secret.
        "zoho-watch:clientId": DEMO_CREDENTIALS.clientId,
        "zoho-watch:clientSecret": DEMO_CREDENTIALS.clientSecret,
        "zoho-watch:refreshToken": DEMO_CREDENTIALS.refreshToken,
        "config-secrets:receiverKey": KEY,
        "config-secrets:notifyToken": TOKEN,
      },
    });
  });
  after(async () => {
    await stack?.dispose();
    await receiver?.close();
    await emulator?.close();
  });

  it("up subscribes the channel with the token and the keyed URL from secrets", async () => {
    await stack.up();
    const live = [...(await liveChannels(emulator)).values()];
    assert.equal(live.length, 1);
    const [channel] = live;
    channelId = channel!.channelId;
    assert.equal(channel!.notifyUrl, `${receiver.url}/zoho?key=${KEY}`);
    assert.equal(channel!.token, TOKEN);
    assert.deepEqual([...channel!.events].sort(), expandedEvents(["Sales_Orders.all", "Invoices.create"]));
  });

  it("outputs the channel id in plain text and the token as a secret, and keeps every secret encrypted in state", async () => {
    const exported = await stack.exportText();
    for (const secret of [TOKEN, KEY, DEMO_CREDENTIALS.clientSecret, DEMO_CREDENTIALS.refreshToken]) {
      assert.ok(!exported.includes(secret), `state must not contain ${secret.slice(0, 4)}…`);
    }
    const state = JSON.parse(exported) as StackExport;
    const root = state.deployment.resources?.find((r) => r.type === "pulumi:pulumi:Stack");
    const outputs = root?.outputs ?? {};
    assert.equal(outputs.channelId, channelId, "channelId is plain");
    for (const name of ["notifyToken", "expectedChannels"]) {
      const value = outputs[name] as Record<string, unknown> | undefined;
      assert.equal(value?.[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270", `${name} is a secret`);
    }
  });

  it("a receiver configured from `stack output --show-secrets` verifies a delivery, the URL key echoed", async () => {
    const outputs = await stackOutputs(stack, { showSecrets: true });
    assert.equal(outputs.notifyToken, TOKEN);
    receiver.received.length = 0;
    await emulator.simulateRecordChange({
      module: "Invoices",
      operation: "create",
      ids: ["5725767000003000200"],
    });
    const [delivery] = receiver.received;
    assert.equal(delivery?.path, `/zoho?key=${KEY}`);
    const verdict = verifyNotification(delivery?.body, outputs.expectedChannels as ExpectedChannel[]);
    assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
    assert.equal(verdict.notification.channelId, channelId);
    assert.deepEqual(verdict.notification.queryParams, { key: KEY });
  });

  it("previews no changes", async () => {
    await stack.preview(["--expect-no-changes"]);
  });

  it("destroy disables the channel", async () => {
    await stack.destroy();
    assert.equal((await liveChannels(emulator)).size, 0);
  });
});
