// The delete decision's scope is the org, through the real Pulumi CLI, with two orgs in one emulator
// (one "data centre": one URL for both): moving a channel to another org's connection disables it in
// the org it left; renaming a connection that still reaches the same org keeps it subscribed.
import assert from "node:assert/strict";
import { DEMO_CREDENTIALS, type OAuthCredentials } from "../../emulator";
import { setConnection, useChannelStacks } from "./channel-stacks";

const HOOK = "http://127.0.0.1:9/hooks";
const ORG_B = "5550000000000000077";
const B: OAuthCredentials = {
  clientId: "1000.SECOND0CLIENT0ID",
  clientSecret: "second-client-secret",
  refreshToken: "1000.second-refresh-token",
};

describe("delete scope by org through the real CLI", function () {
  this.timeout(300_000);
  const fixture = useChannelStacks(
    { orgs: [{ id: ORG_B, companyName: "Org B", credentials: B }] },
    { resetEach: true },
  );

  /** Sets one named connection to this fixture.emulator through structured config, credentials as secrets. */
  const liveIn = async (id: string, org?: string) =>
    (await fixture.emulator.channels(org)).some((c) => c.channelId === id && c.live);

  /** The subscribed intervals of a channel's module in an org. */
  const intervals = async (id: string, module: string, org?: string) =>
    (await fixture.emulator.timeline(org))[id]?.[module] ?? [];

  it("moving a channel from one org to another of the same data centre disables it in the org it left", async () => {
    const stack = await fixture.newStack({
      mover: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "8100000000000000001" },
      stayer: { events: ["Leads.all"], notifyUrl: HOOK, channelId: "8100000000000000002" },
    });
    await setConnection(stack, "beta", { url: fixture.emulator.url, credentials: B });
    await stack.up();
    assert.ok(await liveIn("8100000000000000001"));

    await stack.setConfig(
      "channels",
      JSON.stringify({
        mover: {
          events: ["Deals.all"],
          notifyUrl: HOOK,
          channelId: "8100000000000000001",
          connection: "beta",
        },
        stayer: { events: ["Leads.all"], notifyUrl: HOOK, channelId: "8100000000000000002" },
      }),
    );
    await fixture.emulator.resetStats();
    await stack.up();

    assert.ok(await liveIn("8100000000000000001", ORG_B), "subscribed in org B");
    assert.equal(await liveIn("8100000000000000001"), false, "disabled in org A, the org it left");
    const left = await intervals("8100000000000000001", "Deals");
    assert.equal(left.length, 1);
    assert.notEqual(left[0]?.to, null, "org A's interval ended");
    assert.deepEqual(
      (await intervals("8100000000000000002", "Leads")).map((i) => i.to),
      [null],
      "the other channel is untouched",
    );
    assert.equal((await fixture.emulator.stats()).org, 2, "each connection's org asked once");

    await fixture.emulator.resetStats();
    await stack.preview(["--expect-no-changes"]);
    assert.equal((await fixture.emulator.stats()).total, 0, "a no-change preview calls nothing");
  });

  it("renaming a connection that still reaches the same org keeps the channel subscribed, never unsubscribed", async () => {
    const declared = (connection: string) =>
      JSON.stringify({
        kept: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "8100000000000000003", connection },
      });
    const stack = await fixture.newStack(
      JSON.parse(declared("old")) as Record<string, Record<string, unknown>>,
    );
    await setConnection(stack, "old", { url: fixture.emulator.url, credentials: DEMO_CREDENTIALS });
    await setConnection(stack, "renamed", { url: fixture.emulator.url, credentials: DEMO_CREDENTIALS });
    await stack.up();

    await stack.setConfig("channels", declared("renamed"));
    await fixture.emulator.resetStats();
    await stack.up();

    assert.ok(await liveIn("8100000000000000003"), "still subscribed in the one org");
    assert.deepEqual(
      (await intervals("8100000000000000003", "Deals")).map((i) => i.to),
      [null],
      "one interval: 0 unsubscribed intervals",
    );
    const stats = await fixture.emulator.stats();
    assert.equal(stats.disable, 0, "no DELETE");
    assert.equal(stats.org, 2, "each connection's org asked once");
    assert.equal(await liveIn("8100000000000000003", ORG_B), false, "nothing in org B");
  });
});
