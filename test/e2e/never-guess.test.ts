// Decisions that must rest on what can be seen, never on a guess, through the real Pulumi CLI:
// deletes after lost answers and out-of-band changes, renewals finished by a later run, clocks
// that disagree with Zoho's, channels owned by another stack, and options that break renewal.
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import { DEMO_CREDENTIALS } from "../../emulator";
import { ZohoWatchClient } from "../../provider/client/client";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { PulumiStack, type StateResource } from "../../harness/pulumi-stack";
import { clockOffset } from "../../harness/emulator";
import { useChannelStacks } from "./channel-stacks";

/** Moves a clock offset (milliseconds, as text) by `skewMs`. */
const skewed = (offset: string, skewMs: number): string => String(Number(offset) + skewMs);

const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
const HOOK = "http://127.0.0.1:9/hooks";

describe("never guess: deletes, renewals and takeovers through the real CLI", function () {
  this.timeout(300_000);
  const fixture = useChannelStacks({}, { resetEach: true });

  async function declare(stack: PulumiStack, channels: Record<string, Record<string, unknown>>) {
    await stack.setConfig("channels", JSON.stringify(channels));
  }

  /** Moves the emulator's clock by `by`, and the provider's with it, off by `skewMs`. */
  async function syncClock(stack: PulumiStack, by: string | undefined, skewMs = 0): Promise<void> {
    if (by) await fixture.emulator.advanceClock(by);
    stack.setEnv({ [CLOCK_OFFSET_ENV]: skewed(await clockOffset(fixture.emulator), skewMs) });
  }

  async function isLive(id: string): Promise<boolean> {
    return (await fixture.emulator.channels()).some((c) => c.channelId === id && c.live);
  }

  async function onlyChannel(stack: PulumiStack): Promise<StateResource & { id: string }> {
    const [resource, ...rest] = await stack.resourcesOfType(TYPE);
    assert.ok(resource?.id && rest.length === 0, "one channel in state");
    return { ...resource, id: resource.id };
  }

  it("destroy after a renewal whose answer was lost disables the channel", async () => {
    const stack = await fixture.newStack({ orders: { events: ["Deals.all"], notifyUrl: HOOK } });
    await stack.up();
    const { id } = await onlyChannel(stack);
    await syncClock(stack, "P4D"); // inside the default renewal window
    // Zoho applies the renewal's PUT but every answer is lost: that `up` fails.
    await fixture.emulator.injectFault({ kind: "drop-response", times: 20, match: { operation: "update" } });
    const failed = await stack.up([], { allowFailure: true });
    assert.notEqual(failed.code, 0, "the renewal's answers were lost: up fails");
    await fixture.emulator.clearFaults();
    assert.ok(await isLive(id), "the PUT was applied");

    await stack.destroy();
    assert.equal(await isLive(id), false, "destroy disabled the channel, whatever its live expiry");
  });

  it("destroy after the channel's expiry moved outside Pulumi disables the channel", async () => {
    const stack = await fixture.newStack({ orders: { events: ["Deals.all"], notifyUrl: HOOK } });
    await stack.up();
    const { id } = await onlyChannel(stack);
    const other = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: fixture.emulator.url,
      apiDomain: fixture.emulator.url,
    });
    const moved = DateTime.fromISO(await fixture.emulator.now())
      .plus({ days: 2 })
      .startOf("second");
    const [put] = await other.update([
      { channelId: id, events: ["Deals.all"], notifyUrl: HOOK, channelExpiry: moved },
    ]);
    await other.close();
    assert.ok(put?.ok);

    await stack.destroy();
    assert.equal(await isLive(id), false);
  });

  it("a renewal interrupted before the old resource's delete is finished by the next run, the channel still subscribed", async () => {
    const stack = await fixture.newStack({ orders: { events: ["Deals.all"], notifyUrl: HOOK } });
    await stack.up();
    const { id } = await onlyChannel(stack);
    await syncClock(stack, "P4D");
    // The same run also creates a new channel, whose POST fails: the engine stops before the
    // deletes, leaving the renewed channel's old resource pending deletion in state.
    await declare(stack, {
      orders: { events: ["Deals.all"], notifyUrl: HOOK },
      leads: { events: ["Leads.all"], notifyUrl: HOOK },
    });
    await fixture.emulator.injectFault({
      kind: "status",
      status: 500,
      times: 20,
      match: { operation: "enable" },
    });
    const failed = await stack.up([], { allowFailure: true });
    assert.notEqual(failed.code, 0);
    await fixture.emulator.clearFaults();
    const exported = (await stack.exportState()) as unknown as {
      deployment: { resources: { type: string; delete?: boolean }[] };
    };
    const pending = exported.deployment.resources.filter((r) => r.type === TYPE && r.delete === true);
    assert.equal(pending.length, 1, "the old resource of the renewal is pending deletion");

    await stack.up();
    assert.ok(
      await isLive(id),
      "the next run deleted the old resource and left the renewed channel subscribed",
    );
    const timeline = (await fixture.emulator.timeline())[id] ?? {};
    for (const intervals of Object.values(timeline)) {
      assert.equal(intervals.length, 1, `never unsubscribed: ${JSON.stringify(intervals)}`);
    }
    await stack.preview(["--expect-no-changes"]);
  });

  for (const [label, skewMs] of [
    ["2 s ahead of", 2_000],
    ["2 s behind", -2_000],
    ["2 min ahead of", 120_000],
    ["2 min behind", -120_000],
  ] as const) {
    it(`gets full-length channels with a provider clock ${label} Zoho's`, async () => {
      const stack = await fixture.newStack({ orders: { events: ["Deals.all"], notifyUrl: HOOK } });
      await syncClock(stack, undefined, skewMs);
      await stack.up();
      const { id } = await onlyChannel(stack);
      const live = (await fixture.emulator.channels()).find((c) => c.channelId === id && c.live);
      const left = DateTime.fromISO(live!.expiresAt).diff(DateTime.fromISO(await fixture.emulator.now()));
      assert.ok(
        left.as("days") > 6.9,
        `the channel lives ${left.toHuman()}, not the hour Zoho gives past the maximum`,
      );
      await stack.preview(["--expect-no-changes"]);
    });
  }

  it("fails, naming the mismatch, when Zoho cut the expiry: a clock 15 minutes ahead, beyond the margin", async () => {
    const stack = await fixture.newStack({ orders: { events: ["Deals.all"], notifyUrl: HOOK } });
    await syncClock(stack, undefined, 15 * 60_000);
    const failed = await stack.up([], { allowFailure: true });
    assert.notEqual(failed.code, 0, "a one-hour channel is never stored as a success");
    assert.match(failed.output, /expiry/i);
    assert.match(failed.output, /clock/i);
    assert.deepEqual(await stack.resourcesOfType(TYPE), [], "nothing recorded as subscribed for a week");
  });

  it("refuses to take over a channel another stack owns, and destroying the second stack leaves it alone", async () => {
    const first = await fixture.newStack({
      orders: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "7000000000000000001" },
    });
    await first.up();
    const second = await fixture.newStack({
      mine: {
        events: ["Leads.all"],
        notifyUrl: "http://127.0.0.1:9/other",
        channelId: "7000000000000000001",
      },
    });
    const refused = await second.up([], { allowFailure: true });
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.output,
      /channel 7000000000000000001 is already subscribed in Zoho and this stack does not manage it/,
    );
    assert.match(refused.output, /adopt: true/);
    const live = (await fixture.emulator.channels()).find(
      (c) => c.channelId === "7000000000000000001" && c.live,
    );
    assert.equal(live?.notifyUrl, HOOK, "the first stack's channel is untouched");

    await second.destroy();
    assert.ok(await isLive("7000000000000000001"), "destroying the second stack did not disable it");
    await first.preview(["--expect-no-changes"]);
  });

  it("takes over another stack's channel when the program says adopt: true", async () => {
    const first = await fixture.newStack({
      orders: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "7000000000000000002" },
    });
    await first.up();
    const second = await fixture.newStack({
      mine: {
        events: ["Leads.all"],
        notifyUrl: "http://127.0.0.1:9/other",
        channelId: "7000000000000000002",
        adopt: true,
      },
    });
    await second.up();
    const live = (await fixture.emulator.channels()).find(
      (c) => c.channelId === "7000000000000000002" && c.live,
    );
    assert.equal(live?.notifyUrl, "http://127.0.0.1:9/other");
  });

  it("fails before any API call when two resources declare one channel id, naming both", async () => {
    const stack = await fixture.newStack({
      a: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "7000000000000000003" },
      b: { events: ["Leads.all"], notifyUrl: HOOK, channelId: "7000000000000000003" },
    });
    await fixture.emulator.resetStats();
    const result = await stack.preview([], { allowFailure: true });
    assert.notEqual(result.code, 0);
    assert.match(
      result.output,
      /WatchChannel "b" and WatchChannel "a" both declare channel 7000000000000000003/,
    );
    assert.equal((await fixture.emulator.stats()).total, 0);
  });

  for (const [option, reason] of [
    ["protect", /protect: true would make every renewal fail.*retainOnDelete: true instead/s],
    ["deleteBeforeReplace", /deleteBeforeReplace: true would disable the channel before each renewal/],
  ] as const) {
    it(`refuses ${option}: true, which breaks renewals, before any API call`, async () => {
      const stack = await fixture.newStack({
        orders: { events: ["Deals.all"], notifyUrl: HOOK, options: { [option]: true } },
      });
      await fixture.emulator.resetStats();
      const result = await stack.preview([], { allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.output, reason);
      assert.equal((await fixture.emulator.stats()).total, 0);
    });
  }

  it("accepts retainOnDelete: destroy then leaves the channel subscribed", async () => {
    const stack = await fixture.newStack({
      orders: { events: ["Deals.all"], notifyUrl: HOOK, options: { retainOnDelete: true } },
    });
    await stack.up();
    const { id } = await onlyChannel(stack);
    await stack.destroy();
    assert.ok(await isLive(id));
  });
});
