// Reading `pulumi stack export` for the CLI: the cases a live stack rarely shows on demand — the old
// half of a replacement still in state, a resource that was never created, a secret kept encrypted
// or exported in plain text — and the verdict the status command draws from them.
import assert from "node:assert/strict";
import { DateTime, Duration } from "luxon";
import { judgeStatus } from "../../cli/status";
import {
  managedChannels,
  PLUGIN_WATCH_CHANNEL_TYPE,
  StateFileError,
  WATCH_CHANNEL_TYPE,
} from "../../cli/state";
import type { LiveChannel } from "../../cli/live";

const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const encrypted = (text: string) => ({ ...SIG, ciphertext: `v1:${Buffer.from(text).toString("base64")}` });
const plain = (value: unknown) => ({ ...SIG, plaintext: JSON.stringify(value) });

function exportOf(resources: object[]): string {
  return JSON.stringify({ version: 3, deployment: { manifest: {}, resources } });
}

function channel(
  name: string,
  outputs: Record<string, unknown>,
  extra: object = {},
  type: string = WATCH_CHANNEL_TYPE,
): object {
  return {
    urn: `urn:pulumi:prod::infra::${type}::${name}`,
    type,
    custom: true,
    id: outputs.channelId,
    outputs,
    ...extra,
  };
}

describe("zoho-watch: reading a stack export", () => {
  it("keeps live WatchChannels only: not the old half of a replacement, other types or never-created ones", () => {
    const text = exportOf([
      { urn: "urn:pulumi:prod::infra::pulumi:pulumi:Stack::infra-prod", type: "pulumi:pulumi:Stack" },
      channel("orders", {
        channelId: "11",
        events: ["Deals.all"],
        notifyUrl: "http://h/a",
        token: encrypted("t"),
      }),
      channel(
        "orders",
        { channelId: "11", events: ["Deals.all"], notifyUrl: "http://h/old" },
        { delete: true },
      ),
      { urn: `urn:pulumi:prod::infra::${WATCH_CHANNEL_TYPE}::pending`, type: WATCH_CHANNEL_TYPE },
    ]);
    const channels = managedChannels(text, "state.json");
    assert.deepEqual(
      channels.map((c) => [c.name, c.channelId, c.notifyUrl]),
      [["orders", "11", { known: true, value: "http://h/a", secret: false }]],
    );
    assert.deepEqual(channels[0]?.token, { known: false, secret: true });
  });

  it("reads the plugin's WatchChannels beside the dynamic ones, the old half of a move between doors left out", () => {
    const text = exportOf([
      channel("orders", { channelId: "11", events: ["Deals.all"], notifyUrl: "https://h/a" }),
      channel(
        "leads",
        {
          channelId: "12",
          events: ["Leads.all"],
          notifyUrl: "https://h/b",
          channelExpiry: "2026-12-08T10:00:00+05:30",
        },
        { provider: "urn:pulumi:prod::infra::pulumi:providers:zoho-watch::eu::0b1c" },
        PLUGIN_WATCH_CHANNEL_TYPE,
      ),
      // A replacement across doors (a channelId change while moving) leaves the old one to delete.
      channel(
        "moved",
        { channelId: "13", events: ["Leads.all"], notifyUrl: "https://h/c" },
        { delete: true },
      ),
      channel(
        "moved",
        { channelId: "14", events: ["Leads.all"], notifyUrl: "https://h/c" },
        {},
        PLUGIN_WATCH_CHANNEL_TYPE,
      ),
      { urn: "urn:pulumi:prod::infra::pulumi:providers:zoho-watch::eu", type: "pulumi:providers:zoho-watch" },
    ]);
    assert.deepEqual(
      managedChannels(text, "state.json").map((c) => [c.name, c.channelId, c.channelExpiry]),
      [
        ["orders", "11", undefined],
        ["leads", "12", "2026-12-08T10:00:00+05:30"],
        ["moved", "14", undefined],
      ],
    );
  });

  it("reads --show-secrets values (JSON in `plaintext`) and tells an absent token from an encrypted one", () => {
    const [shown, none] = managedChannels(
      exportOf([
        channel("shown", {
          channelId: "21",
          events: ["Leads.create"],
          notifyUrl: plain("http://h/?key=k"),
          token: plain("tok"),
        }),
        channel("none", { channelId: "22", events: ["Leads.edit"], notifyUrl: "http://h/b" }),
      ]),
      "-",
    );
    assert.deepEqual(shown?.token, { known: true, value: "tok", secret: true });
    assert.deepEqual(shown?.notifyUrl, { known: true, value: "http://h/?key=k", secret: true });
    assert.equal(none?.token, undefined);
  });

  it("refuses what is not an export, naming the source and the command to use", () => {
    assert.throws(() => managedChannels("not json", "state.json"), StateFileError);
    assert.throws(
      () => managedChannels('{"resources": []}', "state.json"),
      /state\.json is not a `pulumi stack export`/,
    );
  });

  it("judges an encrypted value as not comparable, and a token-less declaration's null token as intended", () => {
    const now = DateTime.fromISO("2026-12-01T00:00:00Z");
    const live = (id: string, token: string | null, notifyUrl: string): LiveChannel => ({
      channelId: id,
      events: ["Leads.edit", "Leads.create", "Leads.delete"],
      channelExpiry: now.plus({ days: 5 }).setZone("UTC+5:30"),
      notifyUrl,
      token,
      notifyOnRelatedAction: undefined,
      returnAffectedFieldValues: undefined,
      notificationCondition: null,
    });
    const managed = managedChannels(
      exportOf([
        channel("keyed", {
          channelId: "31",
          events: ["Leads.all"],
          notifyUrl: encrypted("x"),
          token: encrypted("y"),
        }),
        channel("open", { channelId: "32", events: ["Leads.all"], notifyUrl: "http://h/open" }),
      ]),
      "-",
    );
    const report = judgeStatus({
      live: [live("31", "other", "http://h/?key=changed"), live("32", null, "http://h/open")],
      managed,
      now,
      warnWithin: Duration.fromISO("PT24H"),
      warnWithinText: "PT24H",
    });
    assert.equal(report.healthy, true, JSON.stringify(report.risks));
    assert.equal(report.channels[0]?.expiry?.org, "2026-12-06T05:30:00+05:30");
    assert.equal(report.channels[0]?.expiry?.utc, "2026-12-06T00:00:00Z");
    assert.deepEqual(report.channels[0]?.timeLeft, { iso: "P5D", seconds: 432_000 });
  });

  it("notes which managed channels the next `pulumi up` renews, with the renewal policy's reason, without calling them at risk", () => {
    const now = DateTime.fromISO("2026-12-01T00:00:00Z");
    const live = (id: string): LiveChannel => ({
      channelId: id,
      events: ["Leads.edit", "Leads.create", "Leads.delete"],
      channelExpiry: now.plus({ days: 2 }),
      notifyUrl: `http://h/${id}`,
      token: null,
      notifyOnRelatedAction: undefined,
      returnAffectedFieldValues: undefined,
      notificationCondition: null,
    });
    const stored = (days: number) => now.plus({ days }).toISO({ suppressMilliseconds: true });
    const managed = managedChannels(
      exportOf([
        // Inside its window of 3 days; the other's window of 1 day has not begun; the third has lapsed
        // in the state (the live channel outlived it: renewed outside Pulumi), which the next up renews.
        channel("due", {
          channelId: "41",
          events: ["Leads.all"],
          channelExpiry: stored(2),
          renewBefore: "P3D",
        }),
        channel("fine", {
          channelId: "42",
          events: ["Leads.all"],
          channelExpiry: stored(2),
          renewBefore: "P1D",
        }),
        channel("lapsed", {
          channelId: "43",
          events: ["Leads.all"],
          channelExpiry: stored(-1),
          renewBefore: "P1D",
        }),
      ]),
      "-",
    );
    const report = judgeStatus({
      live: ["41", "42", "43"].map(live),
      managed,
      now,
      warnWithin: Duration.fromISO("PT24H"),
      warnWithinText: "PT24H",
    });
    const renewals = report.channels.map(
      (channel) => channel.findings.find((finding) => finding.code === "renewal-due")?.message,
    );
    assert.match(
      renewals[0] ?? "",
      /^the next `pulumi up` renews it: the channel expires at .*inside the renewal window of P3D$/,
    );
    assert.equal(renewals[1], undefined);
    assert.match(renewals[2] ?? "", /^the next `pulumi up` renews it: the channel expired at /);
    assert.ok(
      report.channels.every((channel) =>
        channel.findings.every((finding) => finding.code !== "renewal-due" || finding.severity === "note"),
      ),
    );
    assert.equal(report.healthy, true, JSON.stringify(report.risks));
  });
});
