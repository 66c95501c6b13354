// `diff`: update vs replace, and expiry drift as a replacement listed under channelExpiry.
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import { diffChannel, type WatchChannelOutputs } from "../../provider/channel/diff";
import { checkInputs, UNKNOWN } from "../../provider/channel/inputs";

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
/** Checked news: what `check` passes on (it fills in notifyOnRelatedAction, v8's default here). */
const news = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  channelId: olds.channelId,
  events: olds.events,
  notifyUrl: olds.notifyUrl,
  token: olds.token,
  expiresIn: olds.expiresIn,
  renewBefore: olds.renewBefore,
  notifyOnRelatedAction: true,
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
    // `olds` left it out on v8, so the channel has Zoho's v8 default, true: false is a change.
    ["notifyOnRelatedAction", false],
  ] as const) {
    it(`updates in place when ${key} changes`, () => {
      const result = diffChannel(olds, news({ [key]: value }), "v8", created);
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, []);
      assert.ok(result.reasons[key]);
    });
  }

  describe("state from a release that sent notify_on_related_action only when declared", () => {
    // The program leaves notifyOnRelatedAction (and expiresIn, renewBefore) out: old state lacks
    // the flag; check now fills it in.
    const declaration = { channelId: olds.channelId, events: olds.events, notifyUrl: olds.notifyUrl };

    /** The state such a release stored for `declaration` on `version`: no notifyOnRelatedAction. */
    const storedFor = (version: WatchChannelOutputs["apiVersion"]): WatchChannelOutputs => {
      const { expiresIn, renewBefore } = checkInputs(declaration, version).inputs as Record<string, string>;
      const stored: WatchChannelOutputs = {
        ...olds,
        expiresIn: expiresIn!,
        renewBefore: renewBefore!,
        apiVersion: version,
      };
      delete stored.token; // the declaration has none
      return stored;
    };

    for (const [version, effective] of [
      ["v2.1", false],
      ["v3", true],
      ["v8", true],
    ] as const) {
      it(`${version}: shows no diff and no replacement on a no-change preview`, () => {
        const { inputs, failures } = checkInputs(declaration, version);
        assert.deepEqual(failures, []);
        assert.equal(inputs.notifyOnRelatedAction, effective, "check fills in the version's default");
        const result = diffChannel(storedFor(version), inputs, version, created.plus({ days: 1 }));
        assert.deepEqual(result.reasons, {});
        assert.equal(result.changes, false);
        assert.deepEqual(result.replaces, []);
      });
    }

    it("shows an update in place when the declaration now sets the value the version did not default to", () => {
      const { inputs } = checkInputs({ ...declaration, notifyOnRelatedAction: true }, "v2.1");
      const result = diffChannel(storedFor("v2.1"), inputs, "v2.1", created.plus({ days: 1 }));
      assert.deepEqual(Object.keys(result.reasons), ["notifyOnRelatedAction"]);
      assert.deepEqual(result.replaces, []);
    });
  });

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
