// The lifecycle's methods called directly, as the engine would, against the emulator over real
// HTTP. Each Pulumi operation (`up`, `destroy`, ...) is a provider process with its own runtime:
// `operation()` starts one, with the provider's clock following the emulator's.
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import { DEMO_CREDENTIALS, type RunningEmulator } from "../../emulator";
import type { WatchChannelOutputs } from "../../provider/channel/diff";
import type { WatchChannelInputs } from "../../provider/channel/inputs";
import * as lifecycle from "../../provider/engine/lifecycle";
import { ProviderRuntime } from "../../provider/engine/runtime";
import { readSettings } from "../../provider/engine/settings";
import { providerConfig, startTestEmulator } from "../../harness/emulator";
import { ZohoWatchClient } from "../../provider/client/client";

const TOKEN = "verify-0123456789";

/** The provider methods of one operation, bound to its runtime. */
interface Operation {
  runtime: ProviderRuntime;
  check(news: Partial<WatchChannelInputs>): ReturnType<typeof lifecycle.check>;
  diff(olds: WatchChannelOutputs, news: WatchChannelInputs): ReturnType<typeof lifecycle.diff>;
  create(inputs: WatchChannelInputs): ReturnType<typeof lifecycle.create>;
  update(olds: WatchChannelOutputs, news: WatchChannelInputs): ReturnType<typeof lifecycle.update>;
  read(id: string, props: WatchChannelOutputs): ReturnType<typeof lifecycle.read>;
  remove(id: string): Promise<void>;
}

describe("WatchChannel lifecycle methods against the emulator", function () {
  let emulator: RunningEmulator;
  let nextId = 1000000068001n;
  const newId = () => String(nextId++);
  /** How far the emulator's clock is ahead of real time; the provider's clock follows it. */
  let offsetMs = 0;
  let op: Operation;
  const operations: ProviderRuntime[] = [];

  /** Starts a Pulumi operation: a fresh provider runtime, as a new provider process would have. */
  function operation(overrides: Record<string, string> = {}): Operation {
    const { config, secrets } = providerConfig(emulator.url);
    const all: Record<string, string> = { ...config, ...secrets, ...overrides };
    const runtime = new ProviderRuntime({
      settings: readSettings({ get: (key) => all[key] }, {}),
      clock: () => DateTime.utc().plus(offsetMs),
    });
    operations.push(runtime);
    return {
      runtime,
      check: (news) => lifecycle.check(runtime, undefined, news as WatchChannelInputs),
      diff: (olds, news) => lifecycle.diff(runtime, olds, news),
      create: (inputs) => lifecycle.create(runtime, inputs),
      update: (olds, news) => lifecycle.update(runtime, olds, news),
      read: (id, props) => lifecycle.read(runtime, id, props),
      remove: (id) => lifecycle.remove(runtime, id),
    };
  }

  async function checked(
    news: Partial<WatchChannelInputs>,
    within: Operation = op,
  ): Promise<WatchChannelInputs> {
    const result = await within.check(news);
    assert.deepEqual(result.failures ?? [], []);
    return result.inputs!;
  }

  before(async () => {
    emulator = await startTestEmulator();
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    await emulator.reset();
    offsetMs = 0;
    op = operation();
  });
  afterEach(async () => {
    await Promise.all(operations.splice(0).map((runtime) => runtime.close()));
  });

  async function createChannel(overrides: Partial<WatchChannelInputs> = {}) {
    const inputs = await checked({
      channelId: newId(),
      events: ["Deals.all", "Contacts.create"],
      notifyUrl: "http://127.0.0.1:9/hooks",
      token: TOKEN,
      ...overrides,
    });
    const { id, outs } = await op.create(inputs);
    return { id, inputs, outs: outs! };
  }

  /** Moves the emulator's clock, and the provider's with it; the next steps are a new `pulumi up`. */
  async function advance(by: string): Promise<void> {
    await emulator.advanceClock(by);
    offsetMs = Date.parse(await emulator.now()) - Date.now();
    op = operation();
  }

  it("creates a channel with the token and stores the expiry Zoho returned", async () => {
    const { id, outs } = await createChannel();
    const [live] = (await emulator.channels()).filter((c) => c.channelId === id);
    assert.ok(live, "the emulator holds the channel");
    assert.equal(live.token, TOKEN);
    const expiry = DateTime.fromISO(outs.channelExpiry, { setZone: true });
    const expected = DateTime.fromISO(await emulator.now())
      .plus({ days: 7 })
      .minus({ minutes: 10 });
    assert.ok(
      Math.abs(expiry.diff(expected).as("seconds")) < 5,
      `${outs.channelExpiry} is about 7 days less the 10-minute skew margin ahead`,
    );
    assert.match(outs.channelExpiry, /\+05:30$/, "kept in the org's offset, as Zoho returned it");
    assert.deepEqual(outs.modules.map((m) => m.module).sort(), ["Contacts", "Deals"]);
    assert.equal(outs.apiVersion, "v8");
  });

  /** A channel subscribed outside this provider process (another stack, or a script). */
  async function foreignChannel(events: string[], token = "someone-elses-token"): Promise<string> {
    const id = newId();
    const other = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });
    const expiry = DateTime.fromISO(await emulator.now())
      .plus({ days: 2 })
      .startOf("second");
    await other.enable([
      { channelId: id, events, notifyUrl: "http://127.0.0.1:9/theirs", token, channelExpiry: expiry },
    ]);
    await other.close();
    return id;
  }

  it("refuses to take over a live channel it does not manage whose details differ, naming what differs", async () => {
    const id = await foreignChannel(["Leads.all"]);
    await assert.rejects(createChannel({ channelId: id, events: ["Deals.edit"] }), (error: Error) => {
      assert.match(error.message, new RegExp(`channel ${id} is already subscribed`));
      assert.match(error.message, /events: live Leads\.create, Leads\.edit, Leads\.delete|events: live/);
      assert.match(error.message, /token: differs/);
      assert.match(error.message, /adopt: true/);
      assert.ok(!error.message.includes("someone-elses-token"), "never prints a token");
      return true;
    });
    const [live] = (await emulator.channels()).filter((c) => c.channelId === id);
    assert.deepEqual(
      [...live!.events].sort(),
      ["Leads.create", "Leads.delete", "Leads.edit"],
      "the other owner's channel is untouched",
    );
  });

  it("adopts a live channel with adopt: true, replacing its details instead of merging them", async () => {
    const id = await foreignChannel(["Leads.all"]);
    const adopted = await createChannel({ channelId: id, events: ["Deals.edit"], adopt: true });
    assert.equal(adopted.id, id);
    const live = (await emulator.channels()).filter((c) => c.channelId === id);
    assert.equal(live.length, 1, "one channel, never a duplicate");
    assert.deepEqual(live[0]!.events, ["Deals.edit"]);
    assert.equal(live[0]!.token, TOKEN);
  });

  it("takes over a live channel whose details already are the declared ones, without adopt", async () => {
    const id = await foreignChannel(["Deals.all"], TOKEN);
    await emulator.resetStats();
    const taken = await createChannel({
      channelId: id,
      events: ["Deals.all"],
      notifyUrl: "http://127.0.0.1:9/theirs",
    });
    assert.equal(taken.id, id);
    assert.equal((await emulator.stats()).update, 1, "a PUT that renews it");
  });

  it("updates events in place with a full PUT that keeps the token", async () => {
    const { id, outs } = await createChannel();
    op = operation(); // the next `pulumi up`
    const news = await checked({ ...pick(outs), events: ["Leads.create"] });
    const diff = await op.diff(outs, news);
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces ?? [], []);
    const before = await emulator.stats();
    const updated = await op.update(outs, news);
    const after = await emulator.stats();
    assert.equal(after.patch - before.patch, 0, "never a PATCH (it would null the token)");
    assert.equal(after.update - before.update, 1);
    const [live] = (await emulator.channels()).filter((c) => c.channelId === id);
    assert.deepEqual(live!.events, ["Leads.create"]);
    assert.equal(live!.token, TOKEN);
    assert.deepEqual(updated.outs!.events, ["Leads.create"]);
  });

  it("changes only the stored window, with no API call, when just renewBefore changes", async () => {
    const { outs } = await createChannel();
    op = operation();
    const news = await checked({ ...pick(outs), renewBefore: "P1D" });
    const before = await emulator.stats();
    const updated = await op.update(outs, news);
    const after = await emulator.stats();
    assert.equal(after.total, before.total);
    assert.equal(updated.outs!.renewBefore, "P1D");
    assert.equal(updated.outs!.channelExpiry, outs.channelExpiry);
  });

  it("renews by replacement without a gap, and the old resource's delete leaves the renewed channel alone", async () => {
    const old = await createChannel();
    await advance("P4D");
    const news = await checked(pick(old.outs));
    const diff = await op.diff(old.outs, news);
    assert.deepEqual(diff.replaces, ["channelExpiry"], "inside the 3.5-day window: replace");

    // The engine's create-before-delete: create the replacement, then delete the old resource.
    const renewed = await op.create(news);
    await op.remove(old.id);

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
    assert.deepEqual((await op.diff(old.outs, news)).replaces, ["channelExpiry"]);
    await op.create(news);
    await op.remove(old.id);
    const live = (await emulator.channels()).filter((c) => c.channelId === old.id && c.live);
    assert.equal(live.length, 1);
  });

  it("refresh returns the live details as inputs, so out-of-band changes show as a diff", async () => {
    const { id, outs } = await createChannel();
    op = operation(); // `pulumi up --refresh`
    const read = await op.read(id, outs);
    assert.equal(read.id, id);
    assert.deepEqual((read.inputs as WatchChannelInputs).events, outs.events);
    assert.equal(
      (await op.diff(read.props as WatchChannelOutputs, await checked(pick(outs)))).changes,
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
    op = operation();
    const read = await op.read(id, outs);
    assert.deepEqual((read.inputs as WatchChannelInputs).notificationCondition, notificationCondition);
    const news = await checked({ ...pick(outs), notificationCondition });
    assert.equal((await op.diff(read.props as WatchChannelOutputs, news)).changes, false);
  });

  it("refresh keeps conditions on two modules: each of Zoho's rows carries only its own module's", async () => {
    const condition = (module: string, field: string) => ({
      type: "field_selection" as const,
      module: { apiName: module },
      fieldSelection: { groupOperator: "or" as const, group: [{ field: { apiName: field } }] },
    });
    const notificationCondition = [condition("Deals", "Stage"), condition("Contacts", "Email")];
    const { id, outs } = await createChannel({
      events: ["Deals.edit", "Contacts.edit"],
      notificationCondition,
    });
    op = operation();
    const read = await op.read(id, outs);
    assert.deepEqual((read.inputs as WatchChannelInputs).notificationCondition, notificationCondition);
  });

  it("refresh reports a channel deleted out of band as gone", async () => {
    const { id, outs } = await createChannel();
    await operation().remove(id); // out of band: another process disables it
    const read = await operation().read(id, outs);
    assert.equal(read.id, "");
  });

  it("delete disables the channel and counts an already-gone channel as deleted", async () => {
    const { id } = await createChannel();
    const destroy = operation(); // `pulumi destroy`: no program, nothing declared
    await destroy.remove(id);
    assert.equal((await emulator.channels()).filter((c) => c.channelId === id && c.live).length, 0);
    await destroy.remove(id);
  });

  it("delete disables a channel whose expiry moved outside Pulumi: the decision never compares timestamps", async () => {
    const { id, inputs } = await createChannel();
    const other = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });
    const moved = DateTime.fromISO(await emulator.now())
      .plus({ days: 3 })
      .startOf("second");
    const { channelId, events, notifyUrl, token } = inputs;
    const [put] = await other.update([{ channelId, events, notifyUrl, token, channelExpiry: moved }]);
    await other.close();
    assert.ok(put?.ok);
    await operation().remove(id);
    assert.equal((await emulator.channels()).filter((c) => c.channelId === id && c.live).length, 0);
  });

  it("delete leaves subscribed a channel that a resource of the program being run declares", async () => {
    const { id } = await createChannel();
    const up = operation();
    await checked({ channelId: id, events: ["Deals.all"], notifyUrl: "http://127.0.0.1:9/hooks" }, up);
    await up.remove(id); // e.g. the old resource of a renewal whose delete a later run retries
    assert.equal((await emulator.channels()).filter((c) => c.channelId === id && c.live).length, 1);
  });

  it("fails create with a clear error naming the channel and the field Zoho refused, without secrets", async () => {
    // Bypass check (which would catch this) to see how a Zoho error entry surfaces.
    const inputs = await checked({
      channelId: newId(),
      events: ["Deals.all"],
      notifyUrl: "http://127.0.0.1/x",
      token: TOKEN,
    });
    await assert.rejects(op.create({ ...inputs, token: "t".repeat(51) }), (error: Error) => {
      assert.match(error.message, new RegExp(`WatchChannel ${inputs.channelId}: create failed`));
      assert.match(error.message, /token/);
      assert.ok(!error.message.includes("t".repeat(51)));
      return true;
    });
  });

  it("keeps renewing a channel whose stored events pass a limit learned later: both checks of a replacement warn", async () => {
    const events = Array.from({ length: 51 }, (_, i) => `Module_${i}__c.edit`);
    const news = { channelId: newId(), events, notifyUrl: "https://hooks.example.com/zoho" };
    const held = { ...news, expiresIn: "P6DT23H50M", renewBefore: "P3DT11H55M" } as WatchChannelInputs;
    const warnings: string[] = [];
    const original = console.error;
    console.error = (message: string) => warnings.push(message);
    try {
      // The engine checks with the stored inputs, then checks the replacement again without them.
      const first = await lifecycle.check(op.runtime, held, news as unknown as WatchChannelInputs);
      const second = await lifecycle.check(
        op.runtime,
        {} as WatchChannelInputs,
        news as unknown as WatchChannelInputs,
      );
      assert.deepEqual(first.failures, []);
      assert.deepEqual(second.failures, []);
    } finally {
      console.error = original;
    }
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? "", /warning: events lists 51 events.*already holds this value/);
    // A new resource with the same id in another run holds nothing: refused.
    const fresh = await operation().check(news);
    assert.match(fresh.failures?.[0]?.reason ?? "", /51 events/);
  });

  it("makes exactly one token request for many channels", async () => {
    op = operation({ "zoho-watch:concurrency": "7" });
    await emulator.resetStats();
    await Promise.all(Array.from({ length: 12 }, () => createChannel()));
    assert.equal((await emulator.stats()).token, 1);
  });

  describe("notifyOnRelatedAction: explicit on every write, its effective value an output", () => {
    const liveFlag = async (id: string): Promise<boolean | undefined> =>
      (await emulator.channels()).find((c) => c.channelId === id)?.notifyOnRelatedAction;

    it("left out: the channel and the output carry the version's default; declared: the declared value", async () => {
      const left = await createChannel();
      assert.equal(left.outs.notifyOnRelatedAction, true, "v8's default, as an output");
      assert.equal(await liveFlag(left.id), true);

      const declared = await createChannel({ notifyOnRelatedAction: false });
      assert.equal(declared.outs.notifyOnRelatedAction, false);
      assert.equal(await liveFlag(declared.id), false);

      // Removing the declaration writes the default back (a PUT), and the output follows.
      op = operation();
      const news = await checked(pick(declared.outs));
      assert.equal((await op.diff(declared.outs, news)).changes, true);
      const { outs } = await op.update(declared.outs, news);
      assert.equal(outs?.notifyOnRelatedAction, true);
      assert.equal(await liveFlag(declared.id), true);
    });

    it("state written before the flag was always sent: no diff, refresh reads the live value, the next write keeps it", async () => {
      const { id, outs } = await createChannel();
      // What an earlier release stored for a program that left the option out.
      const old: WatchChannelOutputs = { ...outs };
      delete old.notifyOnRelatedAction;

      op = operation();
      const news = await checked(pick(old));
      const preview = await op.diff(old, news);
      assert.equal(preview.changes, false);
      assert.deepEqual(preview.replaces, []);

      const refreshed = await op.read(id, old);
      const props = refreshed.props as WatchChannelOutputs;
      assert.equal(props.notifyOnRelatedAction, true, "refresh fills the output from the live channel");
      assert.equal((await op.diff(props, news)).changes, false);

      // A renewBefore-only update (no API call) also fills the output in.
      const { outs: renewed } = await op.update(old, { ...news, renewBefore: "P1D" });
      assert.equal(renewed?.notifyOnRelatedAction, true);
      assert.equal(await liveFlag(id), true);
    });
  });
});

function pick(outs: WatchChannelOutputs): Partial<WatchChannelInputs> {
  const { channelId, events, notifyUrl, token, expiresIn, renewBefore } = outs;
  return { channelId, events, notifyUrl, token, expiresIn, renewBefore };
}
