// WatchChannel through the real Pulumi CLI against the emulator: the lifecycle a user's CI goes
// through, step by step, each step checking Pulumi's state and the emulator's live state.
import assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { ZohoWatchClient } from "../../provider/client";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { PulumiStack, type StateResource } from "../../harness/pulumi-stack";
import { clockOffset, providerConfig, Receiver, startTestEmulator } from "../../harness/emulator";
import { stepsInOrder } from "../../harness/scenario";

const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
const BIG_ID = "1105420521999070702"; // above 2^53: must survive as a string
const TOKENS = { orders: "tok-orders-5f1c2a9e", contacts: "tok-contacts-77b0d4" };

describe("WatchChannel end to end with the real Pulumi CLI", function () {
  stepsInOrder();
  this.timeout(240_000);
  let emulator: RunningEmulator;
  let receiver: Receiver;
  let stack: PulumiStack;
  let channels: Record<string, Record<string, unknown>>;

  async function declare(next: Record<string, Record<string, unknown>>): Promise<void> {
    channels = next;
    // Secret: the orders URL carries a key in its query string, and stack config is recorded in state.
    await stack.setConfig("channels", JSON.stringify(next), { secret: true });
  }

  async function syncClock(by: string): Promise<void> {
    await emulator.advanceClock(by);
    stack.setEnv({ [CLOCK_OFFSET_ENV]: await clockOffset(emulator) });
  }

  async function stateChannels(): Promise<StateResource[]> {
    return stack.resourcesOfType(TYPE);
  }

  async function liveChannel(id: string) {
    return (await emulator.channels()).find((c) => c.channelId === id && c.live);
  }

  async function orderId(): Promise<string> {
    const [orders] = (await stateChannels()).filter((r) => r.urn.endsWith("::orders"));
    assert.ok(orders?.id, "orders is in state");
    return orders.id;
  }

  before(async () => {
    emulator = await startTestEmulator();
    receiver = await Receiver.start();
    const { config, secrets } = providerConfig(emulator.url);
    stack = await PulumiStack.create({
      program: "test/programs/channels",
      config,
      secrets: { ...secrets, tokens: JSON.stringify(TOKENS) },
    });
    await declare({
      orders: { events: ["Deals.all"], notifyUrl: `${receiver.url}/orders?key=k-31337`, renewBefore: "P2D" },
      contacts: { events: ["Contacts.create"], notifyUrl: `${receiver.url}/contacts`, channelId: BIG_ID },
    });
  });
  after(async () => {
    await stack?.dispose();
    await receiver?.close();
    await emulator?.close();
  });

  it("creates the declared channels on up, with tokens, and keeps a big channel id exact", async () => {
    await stack.up();
    const state = await stateChannels();
    assert.equal(state.length, 2);
    const contacts = state.find((r) => r.urn.endsWith("::contacts"));
    assert.equal(contacts?.id, BIG_ID);
    for (const resource of state) {
      const live = await liveChannel(resource.id!);
      assert.ok(live, `${resource.id} is subscribed`);
      assert.equal(live.token, resource.urn.endsWith("::orders") ? TOKENS.orders : TOKENS.contacts);
    }
  });

  it("gives the program every declared output, the defaults filled in where the declaration left them out", async () => {
    const result = await stack.cli(["stack", "output", "declared", "--json", "--stack", stack.name]);
    const declared = JSON.parse(result.stdout) as Record<string, Record<string, unknown>>;
    assert.deepEqual(
      { expiresIn: declared.contacts?.expiresIn, renewBefore: declared.contacts?.renewBefore },
      { expiresIn: "P6DT23H50M", renewBefore: "P3DT11H55M" },
      "contacts declares neither",
    );
    assert.equal(declared.orders?.renewBefore, "P2D");
    assert.equal(declared.orders?.apiVersion, "v8");
    assert.equal(declared.contacts?.notifyOnRelatedAction, true, "the value sent: v8's default");
    assert.equal(declared.contacts?.channelId, BIG_ID);
  });

  it("previews no changes, and a no-change preview makes zero API calls and no token request", async () => {
    await emulator.resetStats();
    await stack.preview(["--expect-no-changes"]);
    const stats = await emulator.stats();
    assert.equal(stats.total, 0, JSON.stringify(stats));
  });

  it("updates events in place (a PUT, never a token-clearing PATCH)", async () => {
    await declare({ ...channels, orders: { ...channels.orders, events: ["Deals.all", "Leads.create"] } });
    const steps = await stack.previewSteps();
    assert.equal(steps.find((s) => s.urn.endsWith("::orders"))?.op, "update");
    assert.ok(["same", undefined].includes(steps.find((s) => s.urn.endsWith("::contacts"))?.op));
    await emulator.resetStats();
    await stack.up();
    const stats = await emulator.stats();
    assert.equal(stats.patch, 0);
    assert.equal(stats.token, 1, "one token request for the whole run");
    const live = await liveChannel(await orderId());
    assert.deepEqual([...live!.events].sort(), [
      "Deals.create",
      "Deals.delete",
      "Deals.edit",
      "Leads.create",
    ]);
    assert.equal(live!.token, TOKENS.orders);
  });

  it("shows a replacement under channelExpiry once inside the renewal window, and up renews without a gap", async () => {
    await syncClock("P5DT1H"); // orders: 7 days, renew 2 days before; contacts: default window 3.5 days
    const steps = await stack.previewSteps();
    for (const name of ["orders", "contacts"]) {
      const step = steps.find((s) => s.urn.endsWith(`::${name}`));
      assert.equal(step?.op, "replace", `${name} is due`);
      assert.deepEqual(step?.replaceReasons, ["channelExpiry"]);
    }
    // Dynamic providers have no detailed diff (pulumi/pulumi#3080): the provider says why itself.
    const text = await stack.preview();
    assert.match(text.output, /orders\s+replace/);
    assert.match(text.output, /renewal due: the channel expires at .* inside the renewal window of P2D/);

    await stack.up();
    const timeline = await emulator.timeline();
    for (const resource of await stateChannels()) {
      const live = await liveChannel(resource.id!);
      assert.ok(live, `${resource.id} still subscribed after the old resource was deleted`);
      assert.ok(live.token === TOKENS.orders || live.token === TOKENS.contacts, "token intact");
      for (const [module, intervals] of Object.entries(timeline[resource.id!] ?? {})) {
        assert.equal(
          intervals.length,
          1,
          `${resource.id}/${module} was never unsubscribed: ${JSON.stringify(intervals)}`,
        );
        assert.equal(intervals[0]!.to, null);
      }
    }
    await stack.preview(["--expect-no-changes"]);
  });

  it("delivers notifications with the token after the renewal", async () => {
    receiver.received.length = 0;
    await emulator.simulateRecordChange({ module: "Deals", operation: "edit", ids: ["5725767000003000064"] });
    const [delivery] = receiver.received;
    assert.ok(delivery, "a notification arrived");
    assert.equal(delivery.body.token, TOKENS.orders);
    assert.equal(delivery.body.channel_id, await orderId());
    assert.deepEqual(delivery.body.query_params, { key: "k-31337" });
  });

  it("re-subscribes channels that expired between runs", async () => {
    await syncClock("P8D");
    assert.equal(await liveChannel(await orderId()), undefined, "expired on the emulator's clock");
    const steps = await stack.previewSteps();
    assert.equal(steps.find((s) => s.urn.endsWith("::orders"))?.op, "replace");
    await stack.up();
    for (const resource of await stateChannels()) {
      assert.ok(await liveChannel(resource.id!), `${resource.id} subscribed again`);
    }
    receiver.received.length = 0;
    await emulator.simulateRecordChange({ module: "Contacts", operation: "create", ids: ["1"] });
    assert.equal(receiver.received[0]?.body.token, TOKENS.contacts);
  });

  it("replaces a channel whose id changes: the new id is subscribed and the old one disabled", async () => {
    const oldId = await orderId();
    await declare({ ...channels, orders: { ...channels.orders, channelId: "1000000068999" } });
    const steps = await stack.previewSteps();
    assert.deepEqual(steps.find((s) => s.urn.endsWith("::orders"))?.replaceReasons, ["channelId"]);
    await stack.up();
    assert.equal(await orderId(), "1000000068999");
    assert.ok(await liveChannel("1000000068999"));
    assert.equal(await liveChannel(oldId), undefined);
  });

  it("drops a channel deleted out of band on refresh, and the next up recreates it", async () => {
    const client = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });
    await client.disable(BIG_ID);
    await client.close();
    await stack.refresh();
    assert.equal(
      (await stateChannels()).find((r) => r.id === BIG_ID),
      undefined,
      "gone from state",
    );
    const steps = await stack.previewSteps();
    assert.equal(steps.find((s) => s.urn.endsWith("::contacts"))?.op, "create");
    await stack.up();
    assert.ok(await liveChannel(BIG_ID));
  });

  it("shows a change made outside Pulumi as a diff after refresh, and up restores the declaration", async () => {
    const client = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });
    // The token trap: a PATCH without token nulls it, as a careless script would.
    await client.update({
      channelId: BIG_ID,
      events: ["Contacts.create"],
      notifyUrl: `${receiver.url}/elsewhere`,
    });
    await client.close();
    await stack.refresh();
    await stack
      .preview(["--expect-no-changes"], { allowFailure: true })
      .then((r) => assert.notEqual(r.code, 0));
    await stack.up();
    const live = await liveChannel(BIG_ID);
    assert.equal(live?.notifyUrl, `${receiver.url}/contacts`);
    assert.equal(live?.token, TOKENS.contacts);
  });

  it("fails preview for bad input with a clear message and makes no API call", async () => {
    const good = channels;
    await stack.setConfig(
      "channels",
      JSON.stringify({ ...good, orders: { ...good.orders, events: ["Dealz.create"] } }),
      {
        secret: true,
      },
    );
    await emulator.resetStats();
    const result = await stack.preview([], { allowFailure: true });
    assert.notEqual(result.code, 0);
    assert.match(result.output, /events\[0\].*did you mean "Deals\.create"/s);
    assert.equal((await emulator.stats()).total, 0);
    await declare(good);
  });

  it("fails preview, with zero API calls, for what Zoho's OpenAPI description forbids, and for a notify URL that is no URL", async () => {
    const good = channels;
    const condition = (module: string) => ({
      type: "field_selection",
      module: { apiName: module },
      fieldSelection: { groupOperator: "or", group: [{ field: { apiName: "Stage" } }] },
    });
    const modules = ["Deals", "Leads", "Contacts"];
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { events: Array.from({ length: 51 }, (_, i) => `Module_${i}__c.edit`) },
        /events.*51 events.*at most 50/s,
      ],
      [{ events: [`${"M".repeat(119)}__c.create`] }, /events\[0\].*129 characters.*at most 128/s],
      [{ events: [`${"M".repeat(62)}__c.edit`] }, /events\[0\].*module of 65 characters.*at most 64/s],
      [
        { events: modules.map((m) => `${m}.edit`), notificationCondition: modules.map(condition) },
        /notificationCondition.*at most 2 notification conditions.*3 entries/s,
      ],
      [
        { events: ["Deals.edit"], notificationCondition: [condition(`${"M".repeat(62)}__c`)] },
        /notificationCondition\[0\]\.module\.apiName.*at most 64.*65 characters/s,
      ],
    ];
    cases.push([
      { notifyUrl: "not a url" },
      /notifyUrl: is not a URL \(it has no scheme such as https:\/\/\): use an https URL/,
    ]);
    for (const [change, message] of cases) {
      await stack.setConfig("channels", JSON.stringify({ ...good, orders: { ...good.orders, ...change } }), {
        secret: true,
      });
      await emulator.resetStats();
      const result = await stack.preview([], { allowFailure: true });
      assert.notEqual(result.code, 0, JSON.stringify(change).slice(0, 80));
      assert.match(result.output, message);
      assert.equal((await emulator.stats()).total, 0, "no API call, no token request");
    }
    await declare(good);
  });

  it("rides out 429s (more than retry.maxAttempts, each with Retry-After), 5xx and a lost response during up, ending with live and Pulumi state in agreement", async () => {
    await declare({ ...channels, orders: { ...channels.orders, events: ["Deals.all", "Calls.create"] } });
    // Six 429s in a row: past the four attempts a failure without Retry-After gets, but Zoho said
    // when to come back each time, and that fits the operation deadline.
    await emulator.injectFault({
      kind: "status",
      status: 429,
      times: 6,
      retryAfterSeconds: 1,
      match: { operation: "update" },
    });
    await emulator.injectFault({ kind: "status", status: 503, times: 1, match: { operation: "list" } });
    await emulator.injectFault({ kind: "drop-response", times: 1, match: { operation: "update" } });
    await emulator.resetStats();
    await stack.up();
    assert.equal((await emulator.stats()).rejected429, 6, "every 429 was answered and waited out");
    await emulator.clearFaults();
    const live = await liveChannel(await orderId());
    assert.deepEqual([...live!.events].sort(), [
      "Calls.create",
      "Deals.create",
      "Deals.delete",
      "Deals.edit",
    ]);
    const [orders] = (await stateChannels()).filter((r) => r.urn.endsWith("::orders"));
    assert.equal(Date.parse(String(orders!.outputs!.channelExpiry)), Date.parse(live!.expiresAt));
    await stack.refresh();
    await stack.preview(["--expect-no-changes"]);
  });

  it("never stores a secret in plain text in the state", async () => {
    const text = await stack.exportText();
    for (const secret of [
      TOKENS.orders,
      TOKENS.contacts,
      DEMO_CREDENTIALS.clientSecret,
      DEMO_CREDENTIALS.refreshToken,
      "k-31337", // credentials in the notify URL's query string
    ]) {
      assert.ok(!text.includes(secret), `state must not contain ${secret.slice(0, 4)}…`);
    }
    for (const resource of await stateChannels()) {
      const provider = resource.inputs?.__provider;
      assert.ok(typeof provider === "string", "a serialized provider is stored");
      assert.ok(provider.length < 4000, `serialized provider is small (${provider.length} chars)`);
      assert.match(provider, /pulumi-zoho-watch\/provider-runtime/, "it loads the installed code by name");
    }
  });

  it("disables every channel on destroy", async () => {
    const ids = (await stateChannels()).map((r) => r.id!);
    await stack.destroy();
    for (const id of ids) {
      assert.equal(await liveChannel(id), undefined, `${id} disabled`);
    }
    assert.deepEqual(await stateChannels(), []);
  });
});
