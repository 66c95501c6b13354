/**
 * `npm run demo`: the whole story in one command, against the emulator, with the real Pulumi CLI.
 *
 * Starts the Zoho emulator and a local notification receiver, runs `pulumi up` on the quickstart
 * program, simulates a record change and shows the verified notification, moves the emulator's clock
 * into the renewal window, shows `pulumi preview` planning the renewal (and why), runs `pulumi up`
 * to renew, shows notifications still arriving, then destroys everything. Exits 0 on success and
 * non-zero with the reason on failure; it leaves nothing running and nothing in state.
 */
import { startEmulator, type RunningEmulator } from "../emulator";
import { CLOCK_OFFSET_ENV } from "../provider/channel/expiry";
import { verifyNotification } from "../provider/receiver/verify-notification";
import { PulumiStack, type RunResult } from "../harness/pulumi-stack";
import { clockOffset, providerConfig, Receiver } from "../harness/emulator";

const NOTIFY_TOKEN = "demo-token-8c1f03d2b7";
let stepNumber = 0;

function step(title: string): void {
  stepNumber += 1;
  console.log(`\n\u001b[1m==> ${stepNumber}. ${title}\u001b[0m`);
}

function show(result: RunResult | string): void {
  const text = typeof result === "string" ? result : result.output;
  for (const line of text.trimEnd().split("\n")) {
    console.log(`    ${line}`);
  }
}

async function main(): Promise<void> {
  let emulator: RunningEmulator | undefined;
  let receiver: Receiver | undefined;
  let stack: PulumiStack | undefined;
  try {
    step("Start the Zoho emulator and a notification receiver (both on 127.0.0.1)");
    emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
    receiver = await Receiver.start();
    console.log(`    emulator: ${emulator.url}   receiver: ${receiver.url}/zoho`);

    step("pulumi up: subscribe the quickstart program's channel");
    const { config, secrets } = providerConfig(emulator.url);
    stack = await PulumiStack.create({
      program: "examples/quickstart",
      config: { ...config, "quickstart:notifyUrl": `${receiver.url}/zoho` },
      secrets: { ...secrets, "quickstart:notifyToken": NOTIFY_TOKEN },
    });
    show(await stack.up());
    const outputs = JSON.parse((await stack.cli(["stack", "output", "--json", "--show-secrets"])).stdout) as {
      channelId: string;
      channelExpiry: string;
    };
    console.log(`    channel ${outputs.channelId} expires at ${outputs.channelExpiry}`);

    step("A deal changes in Zoho: the receiver gets a notification and verifies it");
    await expectVerifiedDelivery(emulator, receiver, outputs.channelId);

    step("Five days later: the channel is inside its renewal window (the last 3.5 of its 7 days)");
    await emulator.advanceClock("P5D");
    stack.setEnv({ [CLOCK_OFFSET_ENV]: await clockOffset(emulator) });
    console.log(`    emulator clock: ${await emulator.now()}`);
    const preview = await stack.preview();
    show(preview);
    if (!/replace/.test(preview.output) || !/renewal due/.test(preview.output)) {
      throw new Error("pulumi preview did not plan the renewal");
    }

    step("pulumi up: renew it (a replacement with the same channel id, never unsubscribed)");
    show(await stack.up());
    const timeline = (await emulator.timeline())[outputs.channelId] ?? {};
    for (const [module, intervals] of Object.entries(timeline)) {
      console.log(
        `    ${module}: subscribed ${intervals.map((i) => `${i.from} → ${i.to ?? "now"}`).join(", ")}`,
      );
      if (intervals.length !== 1) throw new Error(`the channel had a gap in its subscription to ${module}`);
    }

    step("Another change: notifications still arrive, token intact");
    await expectVerifiedDelivery(emulator, receiver, outputs.channelId);

    step("pulumi destroy: unsubscribe and clean up");
    show(await stack.destroy());
    const left = (await emulator.channels()).filter((c) => c.live);
    if (left.length > 0)
      throw new Error(`channels still subscribed after destroy: ${left.map((c) => c.channelId).join(", ")}`);
    console.log("\n\u001b[1mDemo complete: subscribed, notified, renewed without a gap, destroyed.\u001b[0m");
  } finally {
    await stack?.dispose();
    await receiver?.close();
    await emulator?.close();
  }
}

async function expectVerifiedDelivery(
  emulator: RunningEmulator,
  receiver: Receiver,
  channelId: string,
): Promise<void> {
  const before = receiver.received.length;
  await emulator.simulateRecordChange({
    module: "Deals",
    operation: "edit",
    ids: ["5725767000003000064"],
    values: { "5725767000003000064": { Stage: "Closed Won" } },
  });
  const delivery = receiver.received[before];
  if (!delivery) throw new Error("no notification reached the receiver");
  const verdict = verifyNotification(delivery.body, { channelId, token: NOTIFY_TOKEN });
  if (!verdict.ok) throw new Error(`the notification failed verification: ${verdict.reason}`);
  const n = verdict.notification;
  console.log(`    verified: ${n.operation} of ${n.module} ${n.ids.join(", ")} on channel ${n.channelId}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
