// Named connections through the real Pulumi CLI: one program, two orgs (two emulators), each
// resource picking its org by name; and a stack moving one channel from API v2 to v8 through two
// connections to the same org, without a moment unsubscribed.
import assert from "node:assert/strict";
import { DEMO_CREDENTIALS, type RunningEmulator } from "../../emulator";
import { PulumiStack } from "../../harness/pulumi-stack";
import { providerConfig, startTestEmulator } from "../../harness/emulator";
import { setConnection } from "./channel-stacks";
import { stepsInOrder } from "../../harness/scenario";

const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
const HOOK = "http://127.0.0.1:9/hooks";

describe("named connections through the real CLI", function () {
  stepsInOrder();
  this.timeout(300_000);
  let home: RunningEmulator; // the unnamed connection's org
  let emea: RunningEmulator; // a second org, reached through zoho-watch:connections.emea
  const stacks: PulumiStack[] = [];

  before(async () => {
    [home, emea] = await Promise.all([startTestEmulator(), startTestEmulator()]);
  });
  after(async () => {
    await Promise.all(stacks.map((s) => s.dispose()));
    await Promise.all([home?.close(), emea?.close()]);
  });

  async function newStack(channels: Record<string, Record<string, unknown>>): Promise<PulumiStack> {
    const { config, secrets } = providerConfig(home.url);
    const stack = await PulumiStack.create({
      program: "test/programs/channels",
      config: { ...config, channels: JSON.stringify(channels) },
      secrets,
    });
    stacks.push(stack);
    return stack;
  }

  const liveIn = async (org: RunningEmulator, id: string) =>
    (await org.channels()).find((c) => c.channelId === id && c.live);

  it("subscribes each channel in the org its connection names, one token per connection, only the name in state", async () => {
    const stack = await newStack({
      local: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "8000000000000000001" },
      remote: {
        events: ["Leads.all"],
        notifyUrl: HOOK,
        channelId: "8000000000000000002",
        connection: "emea",
      },
    });
    await setConnection(stack, "emea", { url: emea.url, credentials: DEMO_CREDENTIALS, apiVersion: "v8" });
    await Promise.all([home.resetStats(), emea.resetStats()]);
    await stack.up(["--skip-preview"]);

    assert.ok(await liveIn(home, "8000000000000000001"));
    assert.equal(await liveIn(home, "8000000000000000002"), undefined);
    assert.ok(await liveIn(emea, "8000000000000000002"));
    assert.equal(await liveIn(emea, "8000000000000000001"), undefined);
    assert.equal((await home.stats()).token, 1, "one token for the unnamed connection");
    assert.equal((await emea.stats()).token, 1, "one token for emea");

    const remote = (await stack.resourcesOfType(TYPE)).find((r) => r.urn.endsWith("::remote"));
    assert.equal(remote?.outputs?.connection, "emea");
    const state = await stack.exportText();
    assert.ok(!state.includes(DEMO_CREDENTIALS.clientSecret), "no client secret in state");
    assert.ok(!state.includes(DEMO_CREDENTIALS.refreshToken), "no refresh token in state");
    await stack.preview(["--expect-no-changes"]);
  });

  it("moves a channel between orgs by replacing it: subscribed in the new org, disabled in the old", async () => {
    const stack = await newStack({
      mover: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "8000000000000000003", connection: "emea" },
    });
    await setConnection(stack, "emea", { url: emea.url, credentials: DEMO_CREDENTIALS, apiVersion: "v8" });
    await stack.up();
    assert.ok(await liveIn(emea, "8000000000000000003"));

    await stack.setConfig(
      "channels",
      JSON.stringify({ mover: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "8000000000000000003" } }),
    );
    const steps = await stack.previewSteps();
    assert.ok(
      steps.some((s) => s.op === "replace" || s.op === "create-replacement"),
      JSON.stringify(steps),
    );
    await stack.up();
    assert.ok(await liveIn(home, "8000000000000000003"), "subscribed through the unnamed connection's org");
    assert.equal(await liveIn(emea, "8000000000000000003"), undefined, "disabled in the org it left");
  });

  it("moves one channel from v2 to v8 through two connections to the same org, never unsubscribed", async () => {
    const stack = await newStack({
      moving: {
        events: ["Deals.all"],
        notifyUrl: HOOK,
        connection: "legacy",
        channelId: "8000000000000000004",
      },
      staying: {
        events: ["Leads.all"],
        notifyUrl: HOOK,
        connection: "legacy",
        channelId: "8000000000000000005",
      },
    });
    await setConnection(stack, "legacy", { url: home.url, credentials: DEMO_CREDENTIALS, apiVersion: "v2" });
    await setConnection(stack, "current", { url: home.url, credentials: DEMO_CREDENTIALS, apiVersion: "v8" });
    await stack.up();
    const before = (await stack.resourcesOfType(TYPE)).map((r) => [
      r.urn.split("::").pop(),
      r.outputs?.apiVersion,
    ]);
    assert.deepEqual(Object.fromEntries(before), { moving: "v2", staying: "v2" });

    await stack.setConfig(
      "channels",
      JSON.stringify({
        moving: {
          events: ["Deals.all"],
          notifyUrl: HOOK,
          connection: "current",
          channelId: "8000000000000000004",
        },
        staying: {
          events: ["Leads.all"],
          notifyUrl: HOOK,
          connection: "legacy",
          channelId: "8000000000000000005",
        },
      }),
    );
    await stack.up();
    const after = (await stack.resourcesOfType(TYPE)).map((r) => [
      r.urn.split("::").pop(),
      r.outputs?.apiVersion,
    ]);
    assert.deepEqual(Object.fromEntries(after), { moving: "v8", staying: "v2" });
    assert.ok(await liveIn(home, "8000000000000000004"), "the moved channel is still subscribed");
    const timeline = (await home.timeline())["8000000000000000004"] ?? {};
    for (const intervals of Object.values(timeline)) {
      assert.equal(intervals.length, 1, `never unsubscribed: ${JSON.stringify(intervals)}`);
    }
    await stack.preview(["--expect-no-changes"]);
  });

  it("fails preview naming the config key when a resource names a connection that does not exist", async () => {
    const stack = await newStack({ lost: { events: ["Deals.all"], notifyUrl: HOOK, connection: "apac" } });
    await home.resetStats();
    const result = await stack.preview([], { allowFailure: true });
    assert.notEqual(result.code, 0);
    assert.match(
      result.output,
      /connection "apac" is not among the named connections in config zoho-watch:connections/,
    );
    assert.equal((await home.stats()).total, 0);
  });
});
