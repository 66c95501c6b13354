// The provider object called directly, as the engine would, against the emulator over real HTTP.
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import type { RunningEmulator } from "../../emulator";
import type { WatchChannelOutputs } from "../../provider/resource/diff";
import type { WatchChannelInputs } from "../../provider/resource/inputs";
import { watchChannelProvider as provider } from "../../provider/resource/provider";
import { CLOCK_OFFSET_ENV } from "../../provider/resource/expiry";
import { clockOffset, providerConfig, startTestEmulator } from "../../harness/emulator";

const TOKEN = "verify-0123456789";

async function configure(url: string, overrides: Record<string, string> = {}): Promise<void> {
  const { config, secrets } = providerConfig(url);
  const all: Record<string, string> = { ...config, ...secrets, ...overrides };
  await provider.configure!({ config: { get: (key) => all[key], require: (key) => all[key]! } });
}

async function checked(news: Partial<WatchChannelInputs>): Promise<WatchChannelInputs> {
  const result = await provider.check!({} as WatchChannelInputs, news as WatchChannelInputs);
  assert.deepEqual(result.failures ?? [], []);
  return result.inputs!;
}

describe("WatchChannel provider methods against the emulator", function () {
  let emulator: RunningEmulator;
  let nextId = 1000000068001n;
  const newId = () => String(nextId++);

  before(async () => {
    emulator = await startTestEmulator();
    await configure(emulator.url);
  });
  after(async () => {
    delete process.env[CLOCK_OFFSET_ENV];
    await emulator.close();
  });
  beforeEach(async () => {
    await emulator.reset();
    delete process.env[CLOCK_OFFSET_ENV];
  });

  async function createChannel(overrides: Partial<WatchChannelInputs> = {}) {
    const inputs = await checked({
      channelId: newId(),
      events: ["Deals.all", "Contacts.create"],
      notifyUrl: "http://127.0.0.1:9/hooks",
      token: TOKEN,
      ...overrides,
    });
    const { id, outs } = await provider.create(inputs);
    return { id, inputs, outs: outs! };
  }

  async function advance(by: string): Promise<void> {
    await emulator.advanceClock(by);
    process.env[CLOCK_OFFSET_ENV] = await clockOffset(emulator);
  }

  it("creates a channel with the token and stores the expiry Zoho returned", async () => {
    const { id, outs } = await createChannel();
    const [live] = (await emulator.channels()).filter((c) => c.channelId === id);
    assert.ok(live, "the emulator holds the channel");
    assert.equal(live.token, TOKEN);
    const expiry = DateTime.fromISO(outs.channelExpiry, { setZone: true });
    const expected = DateTime.fromISO(await emulator.now()).plus({ days: 7 });
    assert.ok(
      Math.abs(expiry.diff(expected).as("seconds")) < 5,
      `${outs.channelExpiry} is about 7 days ahead`,
    );
    assert.match(outs.channelExpiry, /\+05:30$/, "kept in the org's offset, as Zoho returned it");
    assert.deepEqual(outs.modules.map((m) => m.module).sort(), ["Contacts", "Deals"]);
    assert.equal(outs.apiVersion, "v8");
  });

  it("adopts a live channel with the same id, replacing its details instead of merging them", async () => {
    const { id } = await createChannel({ events: ["Leads.all"] });
    const adopted = await createChannel({ channelId: id, events: ["Deals.edit"] });
    assert.equal(adopted.id, id);
    const live = (await emulator.channels()).filter((c) => c.channelId === id);
    assert.equal(live.length, 1, "one channel, never a duplicate");
    assert.deepEqual(live[0]!.events, ["Deals.edit"]);
  });

  it("updates events in place with a full PUT that keeps the token", async () => {
    const { id, outs } = await createChannel();
    const news = await checked({ ...pick(outs), events: ["Leads.create"] });
    const diff = await provider.diff!(id, outs, news);
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces ?? [], []);
    const before = await emulator.stats();
    const updated = await provider.update!(id, outs, news);
    const after = await emulator.stats();
    assert.equal(after.patch - before.patch, 0, "never a PATCH (it would null the token)");
    assert.equal(after.update - before.update, 1);
    const [live] = (await emulator.channels()).filter((c) => c.channelId === id);
    assert.deepEqual(live!.events, ["Leads.create"]);
    assert.equal(live!.token, TOKEN);
    assert.deepEqual(updated.outs!.events, ["Leads.create"]);
  });

  it("changes only the stored window, with no API call, when just renewBefore changes", async () => {
    const { id, outs } = await createChannel();
    const news = await checked({ ...pick(outs), renewBefore: "P1D" });
    const before = await emulator.stats();
    const updated = await provider.update!(id, outs, news);
    const after = await emulator.stats();
    assert.equal(after.total, before.total);
    assert.equal(updated.outs!.renewBefore, "P1D");
    assert.equal(updated.outs!.channelExpiry, outs.channelExpiry);
  });

  it("renews by replacement without a gap, and the old resource's delete leaves the renewed channel alone", async () => {
    const old = await createChannel();
    await advance("P4D");
    const news = await checked(pick(old.outs));
    const diff = await provider.diff!(old.id, old.outs, news);
    assert.deepEqual(diff.replaces, ["channelExpiry"], "inside the 3.5-day window: replace");

    // The engine's create-before-delete: create the replacement, then delete the old resource.
    const renewed = await provider.create(news);
    await provider.delete!(old.id, old.outs);

    const [live] = (await emulator.channels()).filter((c) => c.channelId === old.id);
    assert.ok(live, "still subscribed after the old resource's delete");
    assert.equal(live.token, TOKEN);
    assert.ok(Date.parse(renewed.outs!.channelExpiry) > Date.parse(old.outs.channelExpiry));
    const timeline = (await emulator.timeline())[old.id]!;
    for (const intervals of Object.values(timeline)) {
      assert.equal(intervals.length, 1, `one unbroken interval: ${JSON.stringify(intervals)}`);
      assert.equal(intervals[0]!.to, null);
    }
  });

  it("re-subscribes a channel that expired (diff shows the replacement, create makes it live again)", async () => {
    const old = await createChannel();
    await advance("P8D");
    assert.equal((await emulator.channels()).filter((c) => c.channelId === old.id && c.live).length, 0);
    const news = await checked(pick(old.outs));
    assert.deepEqual((await provider.diff!(old.id, old.outs, news)).replaces, ["channelExpiry"]);
    await provider.create(news);
    await provider.delete!(old.id, old.outs);
    const live = (await emulator.channels()).filter((c) => c.channelId === old.id && c.live);
    assert.equal(live.length, 1);
  });

  it("refresh returns the live details as inputs, so out-of-band changes show as a diff", async () => {
    const { id, outs } = await createChannel();
    const read = await provider.read!(id, outs);
    assert.equal(read.id, id);
    assert.deepEqual((read.inputs as WatchChannelInputs).events, outs.events);
    assert.equal(
      (await provider.diff!(id, read.props as WatchChannelOutputs, await checked(pick(outs)))).changes,
      false,
    );
  });

  it("refresh keeps a declared notification condition that Zoho echoes with ids filled in", async () => {
    const notificationCondition = [
      {
        type: "field_selection" as const,
        module: { apiName: "Deals" },
        fieldSelection: {
          groupOperator: "or" as const,
          group: [{ field: { apiName: "Stage" } }, { field: { apiName: "Amount" } }],
        },
      },
    ];
    const { id, outs } = await createChannel({ events: ["Deals.edit"], notificationCondition });
    const read = await provider.read!(id, outs);
    assert.deepEqual((read.inputs as WatchChannelInputs).notificationCondition, notificationCondition);
    const news = await checked({ ...pick(outs), notificationCondition });
    assert.equal((await provider.diff!(id, read.props as WatchChannelOutputs, news)).changes, false);
  });

  it("refresh reports a channel deleted out of band as gone", async () => {
    const { id, outs } = await createChannel();
    await provider.delete!(id, outs);
    const read = await provider.read!(id, outs);
    assert.equal(read.id, "");
  });

  it("delete disables the channel and counts an already-gone channel as deleted", async () => {
    const { id, outs } = await createChannel();
    await provider.delete!(id, outs);
    assert.equal((await emulator.channels()).filter((c) => c.channelId === id && c.live).length, 0);
    await provider.delete!(id, outs);
  });

  it("fails create with a clear error naming the channel and the field Zoho refused, without secrets", async () => {
    // Bypass check (which would catch this) to see how a Zoho error entry surfaces.
    const inputs = await checked({
      channelId: newId(),
      events: ["Deals.all"],
      notifyUrl: "http://127.0.0.1/x",
      token: TOKEN,
    });
    await assert.rejects(provider.create({ ...inputs, token: "t".repeat(51) }), (error: Error) => {
      assert.match(error.message, new RegExp(`WatchChannel ${inputs.channelId}: create failed`));
      assert.match(error.message, /token/);
      assert.ok(!error.message.includes("t".repeat(51)));
      return true;
    });
  });

  it("makes exactly one token request for many channels", async () => {
    await configure(emulator.url, { "zoho-watch:concurrency": "7" }); // new settings → a new client
    await emulator.resetStats();
    await Promise.all(Array.from({ length: 12 }, () => createChannel()));
    assert.equal((await emulator.stats()).token, 1);
    await configure(emulator.url);
  });
});

function pick(outs: WatchChannelOutputs): Partial<WatchChannelInputs> {
  const { channelId, events, notifyUrl, token, expiresIn, renewBefore } = outs;
  return { channelId, events, notifyUrl, token, expiresIn, renewBefore };
}
