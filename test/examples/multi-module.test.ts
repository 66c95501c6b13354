// examples/multi-module with the real Pulumi CLI against the emulator: what it declares is what Zoho
// has, the lead condition filters what reaches the receiver, and the CI workflow's `up --refresh`
// repairs a channel disabled out of band.
import assert from "node:assert/strict";
import type { ChannelSnapshot, RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { verifyNotification, type ExpectedChannel } from "../../provider/receiver/verify-notification";
import { ZohoWatchClient } from "../../provider/client";
import type { PulumiStack } from "../../harness/pulumi-stack";
import { Receiver, startTestEmulator } from "../../harness/emulator";
import { createExampleStack, expandedEvents, liveChannels, stackOutputs } from "./example-stack";
import { stepsInOrder } from "../../harness/scenario";

const TOKEN = "tok-multi-module-51c0e7";

/** What examples/multi-module/index.ts declares, per channel name (paths under the receiver URL). */
const DECLARED = {
  deals: { events: ["Deals.all"], path: "/deals", condition: null, values: false },
  customers: {
    events: ["Contacts.create", "Contacts.edit", "Accounts.create"],
    path: "/customers",
    condition: null,
    values: false,
  },
  leadRouting: {
    events: ["Leads.edit"],
    path: "/lead-routing",
    // Owner, or (Lead_Status or Rating): written with api names only (the emulator fills in ids).
    condition: [
      {
        type: "field_selection",
        module: "Leads",
        selection: { or: ["Owner", { or: ["Lead_Status", "Rating"] }] },
      },
    ],
    values: true,
  },
} as const;

type Shape = string | { [operator: string]: Shape[] };

function nodeShape(node: unknown): Shape {
  const n = node as { field?: { api_name: string }; group_operator?: string; group?: unknown[] };
  if (n.field) return n.field.api_name;
  return { [n.group_operator!]: (n.group ?? []).map(nodeShape) };
}

/** A stored condition with the ids left out, for comparing with {@link DECLARED}. */
function conditionShape(channel: ChannelSnapshot): unknown {
  return (
    channel.notificationCondition?.map((c) => ({
      type: c.type,
      module: c.module.api_name,
      selection: nodeShape(c.field_selection),
    })) ?? null
  );
}

describe("examples/multi-module with the real Pulumi CLI", function () {
  stepsInOrder();
  this.timeout(180_000);
  let emulator: RunningEmulator;
  let receiver: Receiver;
  let stack: PulumiStack;
  let ids: Record<keyof typeof DECLARED, string>;
  let expected: ExpectedChannel[];

  before(async () => {
    emulator = await startTestEmulator();
    receiver = await Receiver.start();
    stack = await createExampleStack("multi-module", emulator, {
      config: { "multi-module:receiverUrl": `${receiver.url}/` },
      secrets: { "multi-module:notifyToken": TOKEN },
    });
  });
  after(async () => {
    await stack?.dispose();
    await receiver?.close();
    await emulator?.close();
  });

  it("up subscribes every declared channel: events, URL, token, affected values and the lead condition", async () => {
    await stack.up();
    const outputs = await stackOutputs(stack, { showSecrets: true });
    ids = outputs.channelIds as typeof ids;
    expected = outputs.expectedChannels as ExpectedChannel[];
    const live = await liveChannels(emulator);
    assert.deepEqual(
      [...live.keys()].sort(),
      Object.values(ids).sort(),
      "exactly the declared channels are live",
    );
    for (const [name, declared] of Object.entries(DECLARED)) {
      const channel = live.get(ids[name as keyof typeof ids]);
      assert.ok(channel, `${name} is live`);
      assert.deepEqual([...channel.events].sort(), expandedEvents(declared.events), `${name} events`);
      assert.equal(
        channel.notifyUrl,
        `${receiver.url}${declared.path}`,
        `${name} notify URL (trailing / dropped)`,
      );
      assert.equal(channel.token, TOKEN, `${name} token`);
      assert.equal(channel.returnAffectedFieldValues, declared.values, `${name} returnAffectedFieldValues`);
      assert.deepEqual(conditionShape(channel), declared.condition, `${name} notification condition`);
    }
    assert.deepEqual(
      expected.map((e) => e.channelId).sort(),
      Object.values(ids).sort(),
      "expectedChannels names every channel",
    );
  });

  it("delivers lead edits only when the condition's fields change, verifiable with the expectedChannels output", async () => {
    const [phoneOnly, reassigned, rated] = [
      "5725767000003000101",
      "5725767000003000102",
      "5725767000003000103",
    ];
    receiver.received.length = 0;
    const deliveries = await emulator.simulateRecordChange({
      module: "Leads",
      operation: "edit",
      ids: [phoneOnly, reassigned, rated],
      values: {
        [phoneOnly]: { Phone: "555-0100" },
        [reassigned]: { Owner: "Ana" },
        [rated]: { Rating: "Hot" },
      },
    });
    assert.deepEqual(
      deliveries.map((d) => [d.channelId, d.status]),
      [[ids.leadRouting, 200]],
      "only lead-routing subscribes to Leads",
    );
    const [delivery] = receiver.received;
    assert.equal(delivery?.path, "/lead-routing");
    const verdict = verifyNotification(delivery?.body, expected);
    assert.ok(verdict.ok, verdict.ok ? "" : verdict.reason);
    assert.deepEqual(verdict.notification.ids, [reassigned, rated], "the Phone-only edit is filtered out");
    assert.deepEqual(verdict.notification.affectedValues, [
      { recordId: reassigned, values: { Owner: "Ana" } },
      { recordId: rated, values: { Rating: "Hot" } },
    ]);

    const none = await emulator.simulateRecordChange({
      module: "Leads",
      operation: "edit",
      ids: [phoneOnly],
      values: { [phoneOnly]: { Phone: "555-0101" } },
    });
    assert.deepEqual(none, [], "no notification at all when no record passes the condition");
  });

  it("up --refresh (as the CI workflow runs it) re-subscribes a channel disabled out of band", async () => {
    const client = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });
    try {
      await client.disable(ids.deals);
    } finally {
      await client.close();
    }
    assert.equal((await liveChannels(emulator)).has(ids.deals), false);
    await stack.up(["--refresh"]);
    const deals = (await liveChannels(emulator)).get(ids.deals);
    assert.ok(deals, "deals is live again, with the same id");
    assert.equal(deals.token, TOKEN);
  });

  it("previews no changes afterwards", async () => {
    await stack.preview(["--expect-no-changes"]);
  });

  it("finds no drift when it refreshes an unchanged stack, the lead condition as Zoho echoes it included", async () => {
    // Zoho answers a condition with ids filled in and explicit nulls on its leaves; what the program
    // declared must still compare equal, or every scheduled `up --refresh` rewrites the channel.
    const result = await stack.preview(["--refresh", "--expect-no-changes", "--diff"], {
      allowFailure: true,
    });
    assert.equal(result.code, 0, result.output);
  });

  it("destroy disables every channel", async () => {
    await stack.destroy();
    assert.deepEqual([...(await liveChannels(emulator)).keys()], []);
  });
});
