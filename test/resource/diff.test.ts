// `diff`: update vs replace, and expiry drift as a replacement listed under channelExpiry.
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import { diffChannel, type WatchChannelOutputs } from "../../provider/resource/diff";
import { UNKNOWN } from "../../provider/resource/inputs";

const created = DateTime.fromISO("2026-11-01T00:00:00Z");
const olds: WatchChannelOutputs = {
  channelId: "1000000068001",
  events: ["Deals.all", "Contacts.create"],
  notifyUrl: "https://hooks.example.com/zoho",
  token: "verify-me",
  expiresIn: "P7D",
  renewBefore: "P2D",
  channelExpiry: "2026-11-08T05:30:00+05:30",
  apiVersion: "v8",
  modules: [],
};
const news = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  channelId: olds.channelId,
  events: olds.events,
  notifyUrl: olds.notifyUrl,
  token: olds.token,
  expiresIn: olds.expiresIn,
  renewBefore: olds.renewBefore,
  ...overrides,
});

describe("diff: what a change to a WatchChannel means", () => {
  it("reports no change when nothing changed and the channel is far from expiry", () => {
    const result = diffChannel(olds, news(), "v8", created.plus({ days: 1 }));
    assert.equal(result.changes, false);
    assert.deepEqual(result.replaces, []);
  });

  it("ignores the order of events", () => {
    const result = diffChannel(olds, news({ events: ["Contacts.create", "Deals.all"] }), "v8", created);
    assert.equal(result.changes, false);
  });

  it("treats Module.all as the same subscription as its three operations", () => {
    const spelt = ["Deals.create", "Deals.edit", "Deals.delete", "Contacts.create"];
    assert.equal(diffChannel(olds, news({ events: spelt }), "v8", created).changes, false);
    assert.equal(diffChannel(olds, news({ events: spelt.slice(1) }), "v8", created).changes, true);
  });

  for (const [key, value] of [
    ["events", ["Deals.all"]],
    ["notifyUrl", "https://hooks.example.com/other"],
    ["token", "rotated"],
    ["expiresIn", "P5D"],
    ["notifyOnRelatedAction", true],
  ] as const) {
    it(`updates in place when ${key} changes`, () => {
      const result = diffChannel(olds, news({ [key]: value }), "v8", created);
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, []);
      assert.ok(result.reasons[key]);
    });
  }

  it("updates in place when the configured API version changes", () => {
    const result = diffChannel(olds, news(), "v7", created);
    assert.equal(result.changes, true);
    assert.deepEqual(result.replaces, []);
  });

  it("replaces the channel when its id changes", () => {
    const result = diffChannel(olds, news({ channelId: "1000000068002" }), "v8", created);
    assert.deepEqual(result.replaces, ["channelId"]);
  });

  it("replaces the channel when it is inside the renewal window, saying why under channelExpiry", () => {
    const result = diffChannel(olds, news(), "v8", created.plus({ days: 6 }));
    assert.equal(result.changes, true);
    assert.deepEqual(result.replaces, ["channelExpiry"]);
    assert.match(result.reasons.channelExpiry ?? "", /inside the renewal window of P2D/);
  });

  it("replaces the channel when it has expired", () => {
    const result = diffChannel(olds, news(), "v8", created.plus({ days: 8 }));
    assert.deepEqual(result.replaces, ["channelExpiry"]);
    assert.match(result.reasons.channelExpiry ?? "", /expired at/);
  });

  it("uses the new renewal window when it changes", () => {
    const at = created.plus({ days: 4 });
    assert.deepEqual(diffChannel(olds, news(), "v8", at).replaces, []);
    assert.deepEqual(diffChannel(olds, news({ renewBefore: "P4D" }), "v8", at).replaces, ["channelExpiry"]);
  });

  it("treats an unknown channel id as a replacement and unknown details as changes", () => {
    assert.deepEqual(diffChannel(olds, news({ channelId: UNKNOWN }), "v8", created).replaces, ["channelId"]);
    assert.equal(diffChannel(olds, news({ notifyUrl: UNKNOWN }), "v8", created).changes, true);
  });
});
