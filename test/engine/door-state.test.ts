// The dynamic door's diff on state the other door wrote (a channel moved back from the plugin with
// an alias, docs/migration.md): a renewal there is an update, never a replacement, whose delete would
// run in the plugin's process and disable the renewed channel. test/e2e/migration.test.ts moves a
// stack both ways through the real CLI; this pins the decision itself.
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import type { WatchChannelOutputs } from "../../provider/channel/diff";
import type { WatchChannelInputs } from "../../provider/channel/inputs";
import { configure, diff } from "../../provider/pulumi/dynamic/provider-process";
import { providerConfig } from "../../harness/emulator";

describe("dynamic door: renewing state written by the plugin", () => {
  const inputs: WatchChannelInputs = {
    channelId: "1000000068001",
    events: ["Deals.all"],
    notifyUrl: "https://hooks.example.com/zoho",
    expiresIn: "P6DT23H50M",
    renewBefore: "P3DT11H55M",
    notifyOnRelatedAction: true,
  };
  /** Stored outputs of a channel one day from expiry: inside its 3.5-day renewal window. */
  const stored = {
    ...inputs,
    channelExpiry: DateTime.now().plus({ days: 1 }).toUTC().toISO({ suppressMilliseconds: true }),
    apiVersion: "v8",
    modules: [{ module: "Deals", resourceId: "5725767000000000131", resourceName: "Deals" }],
  } as unknown as WatchChannelOutputs;

  before(async () => {
    const { config, secrets } = providerConfig("http://127.0.0.1:9");
    const all: Record<string, string> = { ...config, ...secrets };
    await configure({ config: { get: (key) => all[key] } });
  });

  it("replaces to renew state this door wrote (it carries __provider), and updates state that lacks it", async () => {
    const own = { ...stored, __provider: "exports.handler = ..." } as WatchChannelOutputs;
    assert.deepEqual(await diff(inputs.channelId, own, inputs), {
      changes: true,
      replaces: ["channelExpiry"],
      deleteBeforeReplace: false,
    });
    const moved = await diff(inputs.channelId, stored, inputs);
    assert.equal(moved.changes, true, "the renewal still happens");
    assert.deepEqual(moved.replaces, [], "as an update: the PUT, in this process");
  });

  it("still replaces for a new channel id on such state: the old id is another channel, rightly disabled", async () => {
    const result = await diff(inputs.channelId, stored, { ...inputs, channelId: "1000000068002" });
    assert.ok(result.replaces?.includes("channelId"));
  });
});
