// `pulumi destroy --target <urn>` of a channel left mid-renewal (its old half pending deletion after an
// interrupted `up`), through the real CLI: it disables exactly that channel; the stack's other
// channels, mid-renewal too, stay subscribed and untouched.
import assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { PulumiStack } from "../../harness/pulumi-stack";
import { clockOffset, providerConfig, startTestEmulator } from "../../harness/emulator";

const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
const HOOK = "http://127.0.0.1:9/hooks";

interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  delete?: boolean;
}

describe("destroy --target of a renewal leftover through the real CLI", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let stack: PulumiStack | undefined;

  before(async () => {
    emulator = await startTestEmulator();
  });
  after(async () => {
    await stack?.dispose();
    await emulator?.close();
  });

  const resources = async (s: PulumiStack): Promise<ExportedResource[]> =>
    (
      (await s.exportState()) as unknown as { deployment: { resources: ExportedResource[] } }
    ).deployment.resources.filter((r) => r.type === TYPE);

  it("disables exactly the targeted channel; the others stay subscribed and untouched", async () => {
    const channels = {
      orders: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "8200000000000000001" },
      leads: { events: ["Leads.all"], notifyUrl: HOOK, channelId: "8200000000000000002" },
      contacts: { events: ["Contacts.all"], notifyUrl: HOOK, channelId: "8200000000000000003" },
    };
    const { config, secrets } = providerConfig(emulator.url);
    stack = await PulumiStack.create({
      program: "test/programs/channels",
      config: { ...config, channels: JSON.stringify(channels) },
      secrets,
    });
    await stack.up();

    // Every channel is due for renewal; the same run also creates a channel whose POST fails, so the
    // engine stops before the deletes: the renewed channels' old halves stay pending deletion.
    await emulator.advanceClock("P4D");
    stack.setEnv({ [CLOCK_OFFSET_ENV]: await clockOffset(emulator) });
    await stack.setConfig(
      "channels",
      JSON.stringify({ ...channels, fresh: { events: ["Calls.all"], notifyUrl: HOOK } }),
    );
    await emulator.injectFault({ kind: "status", status: 500, times: 50, match: { operation: "enable" } });
    const failed = await stack.up([], { allowFailure: true });
    assert.notEqual(failed.code, 0);
    await emulator.clearFaults();
    const leftovers = (await resources(stack)).filter((r) => r.delete === true);
    assert.deepEqual(
      leftovers.map((r) => r.id).sort(),
      ["8200000000000000001", "8200000000000000002", "8200000000000000003"],
      "every renewed channel's old half is pending deletion",
    );

    const channelsBefore = await emulator.channels();
    const timelineBefore = await emulator.timeline();
    const target = leftovers.find((r) => r.id === "8200000000000000001")?.urn ?? "";
    await emulator.resetStats();
    const destroyed = await stack.destroy(["--target", target]);

    const live = (await emulator.channels()).filter((c) => c.live).map((c) => c.channelId);
    assert.ok(!live.includes("8200000000000000001"), "the targeted channel is disabled");
    for (const id of ["8200000000000000002", "8200000000000000003"]) {
      assert.ok(live.includes(id), `channel ${id} is still subscribed\n${destroyed.output}`);
      assert.deepEqual(
        (await emulator.channels()).find((c) => c.channelId === id),
        channelsBefore.find((c) => c.channelId === id),
        `channel ${id} is untouched`,
      );
      assert.deepEqual((await emulator.timeline())[id], timelineBefore[id], `channel ${id}: no new interval`);
    }
    const stats = await emulator.stats();
    assert.equal(
      stats.enable + stats.update + stats.patch + stats.disableEvents,
      0,
      "no write but the DELETE",
    );
    // Both halves of the targeted resource (one URN) are gone; the others' halves are left as they were.
    const remaining = (await resources(stack)).map((r) => `${r.id}${r.delete ? " (pending delete)" : ""}`);
    assert.deepEqual(remaining.sort(), [
      "8200000000000000002",
      "8200000000000000002 (pending delete)",
      "8200000000000000003",
      "8200000000000000003 (pending delete)",
    ]);
  });
});
