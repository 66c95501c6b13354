// Rotating a channel's verification token without refusing a single notification, through the real
// Pulumi CLI: the procedure the README gives (receiver accepts old and new → change `token` and
// `pulumi up` → receiver drops the old), with deliveries from the emulator to examples/receiver
// before, during and after, and a replay of an old-token notification refused at the end.
import assert from "node:assert/strict";
import type { DeliveryRecord, RunningEmulator } from "../../emulator";
import { startReceiver, type RunningReceiver } from "../../examples/receiver/receiver";
import type { NotificationRejection, ZohoNotification } from "../../provider/receiver/verify-notification";
import { PulumiStack } from "../../harness/pulumi-stack";
import { providerConfig, startTestEmulator } from "../../harness/emulator";

const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
const OLD_TOKEN = "tok-old-4d1f0b7e";
const NEW_TOKEN = "tok-new-9a2c63d5";
const RECORD = "5725767000003000064";

describe("token rotation through the real Pulumi CLI: no notification refused", function () {
  this.timeout(240_000);
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  let receiver: RunningReceiver | undefined;
  let port = 0;
  let channelId: string;
  const accepted: ZohoNotification[] = [];
  const refused: NotificationRejection[] = [];
  /** Every delivery the emulator attempted, in order. */
  const deliveries: DeliveryRecord[] = [];

  /**
   * (Re)starts the receiver accepting `tokens` for the channel, on the same port each time: a
   * deployment restarted with new EXPECTED_CHANNELS keeps its URL.
   */
  async function receiverAccepting(...tokens: string[]): Promise<void> {
    await receiver?.close();
    receiver = await startReceiver({
      port,
      expected: { channelId, token: tokens },
      onNotification: (n) => void accepted.push(n),
      onRejection: (r) => void refused.push(r),
    });
    port = receiver.port;
  }

  async function dealEdited(): Promise<DeliveryRecord[]> {
    const attempts = await emulator.simulateRecordChange({
      module: "Deals",
      operation: "edit",
      ids: [RECORD],
    });
    deliveries.push(...attempts);
    return attempts;
  }

  async function liveToken(): Promise<string | null | undefined> {
    return (await emulator.channels()).find((c) => c.channelId === channelId && c.live)?.token;
  }

  before(async () => {
    emulator = await startTestEmulator();
    // The receiver's port must be known before the channel is declared: start it with a placeholder
    // expectation, then restart it on the same port once the channel id is known.
    receiver = await startReceiver({
      expected: { channelId: "1", token: "placeholder" },
      onNotification: () => undefined,
    });
    port = receiver.port;
    const { config, secrets } = providerConfig(emulator.url);
    stack = await PulumiStack.create({
      program: "test/programs/channels",
      config: {
        ...config,
        channels: JSON.stringify({ orders: { events: ["Deals.all"], notifyUrl: `${receiver.url}/zoho` } }),
      },
      secrets: { ...secrets, tokens: JSON.stringify({ orders: OLD_TOKEN }) },
    });
  });
  after(async () => {
    await stack?.dispose();
    await receiver?.close();
    await emulator?.close();
  });

  it("before: the channel is created with the old token and the receiver accepts it", async () => {
    await stack.up();
    const [orders] = await stack.resourcesOfType(TYPE);
    assert.ok(orders?.id, "the channel is in state");
    channelId = orders.id;
    assert.equal(await liveToken(), OLD_TOKEN);

    await receiverAccepting(OLD_TOKEN);
    const [delivery] = await dealEdited();
    assert.equal(delivery?.status, 204);
    assert.equal(delivery?.body.token, OLD_TOKEN);
  });

  it("step 1: the receiver accepts old and new; notifications still carry the old token and are accepted", async () => {
    await receiverAccepting(OLD_TOKEN, NEW_TOKEN);
    const [delivery] = await dealEdited();
    assert.equal(delivery?.status, 204);
    assert.equal(delivery?.body.token, OLD_TOKEN);
  });

  it("step 2: changing `token` is an in-place update (a full PUT), and notifications during `pulumi up` are all accepted", async () => {
    await stack.setConfig("tokens", JSON.stringify({ orders: NEW_TOKEN }), { secret: true });
    const steps = await stack.previewSteps();
    assert.equal(steps.find((s) => s.urn.endsWith("::orders"))?.op, "update", "no replacement, no new id");

    await emulator.resetStats();
    let upDone = false;
    const up = stack.up().finally(() => (upDone = true));
    // Keep records changing while the engine runs: before, across and after the PUT that swaps the token.
    const during: DeliveryRecord[] = [];
    while (!upDone) {
      during.push(...(await dealEdited()));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await up;
    during.push(...(await dealEdited()));

    const stats = await emulator.stats();
    assert.equal(stats.update, 1, "one PUT");
    assert.equal(stats.patch, 0, "never the PATCH that would null the token");
    assert.equal(stats.enable + stats.disable, 0, "the channel was neither re-created nor disabled");
    assert.equal(await liveToken(), NEW_TOKEN);
    assert.deepEqual(
      during.filter((d) => d.status !== 204),
      [],
      "every delivery during the rotation was accepted",
    );
    assert.equal(during.at(-1)?.body.token, NEW_TOKEN, "the last one carries the new token");
  });

  it("step 3: the receiver drops the old token; new-token notifications are accepted, an old-token one is refused", async () => {
    await receiverAccepting(NEW_TOKEN);
    const [delivery] = await dealEdited();
    assert.equal(delivery?.status, 204);
    assert.equal(delivery?.body.token, NEW_TOKEN);

    // No Zoho sends the old token any more; a replay of an earlier notification would.
    const oldNotification = deliveries.find((d) => d.body.token === OLD_TOKEN);
    assert.ok(oldNotification, "an old-token notification was delivered earlier");
    const replay = await fetch(`${receiver!.url}/zoho`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(oldNotification.body),
    });
    assert.equal(replay.status, 401);
    assert.deepEqual(
      refused.map((r) => r.code),
      ["TOKEN_MISMATCH"],
    );
  });

  it("over the whole rotation, the emulator saw no refused delivery and the receiver accepted each one", () => {
    assert.ok(deliveries.length >= 4, `deliveries before, during and after: ${deliveries.length}`);
    assert.deepEqual(
      deliveries.filter((d) => d.status !== 204),
      [],
    );
    assert.equal(accepted.length, deliveries.length);
    const tokens = new Set(accepted.map((n) => n.token));
    assert.deepEqual([...tokens].sort(), [NEW_TOKEN, OLD_TOKEN].sort());
  });
});
