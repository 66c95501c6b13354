/**
 * Every watch operation against the emulator over real HTTP, each test reading as one behaviour:
 * what the client sends, and how it reads Zoho's per-item answers.
 */
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import {
  isAlreadyGone,
  ZohoClosedError,
  requireSuccess,
  ZohoNotFoundError,
  ZohoValidationError,
  type EnableItem,
  type PatchItem,
} from "../../provider/client";
import { clientFor, emulatorTimePlus, NOTIFY_URL, useEmulator } from "./support";

const BIG_ID = "1105420521999070702";

function item(channelId: string, overrides: Partial<EnableItem> = {}): EnableItem {
  return {
    channelId,
    events: ["Leads.create"],
    notifyUrl: NOTIFY_URL,
    token: `tok-${channelId}`,
    ...overrides,
  };
}

describe("watch operations against the emulator", function () {
  const emulator = useEmulator();

  it("enable (POST) subscribes a channel and reports each module with its expiry", async () => {
    const client = clientFor(emulator());
    const outcomes = await client.enable(item("1000000068001", { events: ["Leads.create", "Deals.edit"] }));
    const [success] = requireSuccess(outcomes);
    assert.equal(success?.channelId, "1000000068001");
    assert.equal(success?.code, "SUCCESS");
    assert.deepEqual(success?.resources.map((r) => r.resourceName).sort(), ["Deals", "Leads"]);
    assert.ok(success?.resources.every((r) => r.channelExpiry?.isValid));
    const channels = await emulator().channels();
    assert.deepEqual(
      channels.map((c) => c.channelId),
      ["1000000068001"],
    );
  });

  it("enable sends channel_expiry without milliseconds, so Zoho stores the truncated second", async () => {
    const client = clientFor(emulator());
    const expiry = DateTime.fromISO(await emulatorTimePlus(emulator(), 30)).set({ millisecond: 789 });
    requireSuccess(await client.enable(item("11", { channelExpiry: expiry })));
    const channel = await client.get("11");
    assert.equal(channel?.channelExpiry.toMillis(), expiry.set({ millisecond: 0 }).toMillis());
  });

  it("list (GET) returns every page when there are more than 200 subscriptions", async () => {
    const client = clientFor(emulator());
    const ids = Array.from({ length: 230 }, (_, i) => String(5000 + i));
    for (let i = 0; i < ids.length; i += 100) {
      requireSuccess(await client.enable(ids.slice(i, i + 100).map((id) => item(id))));
    }
    await emulator().resetStats();
    const rows = await client.list();
    assert.equal(rows.length, 230);
    assert.deepEqual(rows.map((r) => r.channelId).sort(), [...ids].sort());
    assert.equal((await emulator().stats()).list, 2, "two pages of at most 200");
  });

  it("list filters by channel id and by module", async () => {
    const client = clientFor(emulator());
    requireSuccess(
      await client.enable([
        item("21", { events: ["Leads.create", "Contacts.all"] }),
        item("22", { events: ["Deals.all"] }),
      ]),
    );
    const byChannel = await client.list({ channelId: "21" });
    assert.deepEqual([...new Set(byChannel.map((r) => r.channelId))], ["21"]);
    const byModule = await client.list({ module: "Deals" });
    assert.deepEqual(
      byModule.map((r) => r.channelId),
      ["22"],
    );
  });

  it("get merges a channel's rows and returns undefined when Zoho answers 204", async () => {
    const client = clientFor(emulator());
    requireSuccess(
      await client.enable(item("31", { events: ["Leads.create", "Deals.edit"], token: "verify-me" })),
    );
    const channel = await client.get(31n);
    assert.ok(channel);
    assert.deepEqual([...channel.events].sort(), ["Deals.edit", "Leads.create"]);
    assert.equal(channel.token, "verify-me");
    assert.equal(channel.notifyUrl, NOTIFY_URL);
    assert.equal(channel.subscriptions.length, 2);
    assert.equal(await client.get("32"), undefined);
    assert.deepEqual(await client.list({ module: "Vendors" }), []);
  });

  it("update (PUT) replaces the details: a token not given is dropped", async () => {
    const client = clientFor(emulator());
    requireSuccess(await client.enable(item("41", { token: "old-token" })));
    requireSuccess(
      await client.update({ channelId: "41", events: ["Contacts.edit"], notifyUrl: `${NOTIFY_URL}/v2` }),
    );
    const channel = await client.get("41");
    assert.deepEqual(channel?.events, ["Contacts.edit"]);
    assert.equal(channel?.notifyUrl, `${NOTIFY_URL}/v2`);
    assert.equal(channel?.token, null);
  });

  it("patch (PATCH) changes the given details and keeps the token it always carries", async () => {
    const client = clientFor(emulator());
    requireSuccess(await client.enable(item("51", { token: "keep-me", events: ["Leads.all"] })));
    const expiry = await emulatorTimePlus(emulator(), 45);
    requireSuccess(
      await client.patch({ channelId: "51", events: ["Leads.all"], token: "keep-me", channelExpiry: expiry }),
    );
    const channel = await client.get("51");
    assert.equal(channel?.token, "keep-me");
    assert.equal(channel?.notifyUrl, NOTIFY_URL);
    assert.equal(channel?.channelExpiry.toMillis(), Math.floor(Date.parse(expiry) / 1000) * 1000);
  });

  it("disableEvents removes only the named events and keeps the channel", async () => {
    const client = clientFor(emulator());
    requireSuccess(
      await client.enable(item("61", { events: ["Leads.create", "Leads.edit", "Deals.create"] })),
    );
    requireSuccess(await client.disableEvents({ channelId: "61", events: ["Leads.edit"] }));
    const channel = await client.get("61");
    assert.deepEqual([...(channel?.events ?? [])].sort(), ["Deals.create", "Leads.create"]);
  });

  it("disable (DELETE) removes channels; a channel already gone is ZOHO_NOT_FOUND, which callers treat as done", async () => {
    const client = clientFor(emulator());
    requireSuccess(await client.enable([item("71", { events: ["Leads.all", "Deals.all"] }), item("72")]));
    const outcomes = await client.disable(["71", 72n]);
    assert.deepEqual(
      outcomes.map((o) => [o.channelId, o.ok]),
      [
        ["71", true],
        ["72", true],
      ],
    );
    assert.equal(await client.get("71"), undefined);
    const [again] = await client.disable("71");
    assert.equal(again?.ok, false);
    assert.ok(
      again && !again.ok && again.error instanceof ZohoNotFoundError,
      String(again && !again.ok && again.error),
    );
    assert.ok(again && !again.ok && isAlreadyGone(again.error));
  });

  it("reads a mixed batch (HTTP 207) as one outcome per item, in order", async () => {
    const client = clientFor(emulator());
    const outcomes = await client.enable([item("81"), item("82", { events: ["Dealz.create"] }), item("83")]);
    assert.deepEqual(
      outcomes.map((o) => o.ok),
      [true, false, true],
    );
    const failure = outcomes[1];
    assert.ok(failure && !failure.ok);
    assert.ok(failure.error instanceof ZohoValidationError);
    assert.equal(failure.error.status, 207);
    assert.equal(failure.error.zohoCode, "INVALID_DATA");
    assert.equal(failure.error.channelId, "82");
    assert.equal(failure.error.jsonPath, "$.watch[1].events[0]");
  });

  for (const [version, status] of [
    ["v2", 202],
    ["v8", 400],
  ] as const) {
    it(`reads an all-error batch on ${version} (HTTP ${status}) from its entries instead of failing the call`, async () => {
      const client = clientFor(emulator(), { apiVersion: version });
      const [outcome] = await client.enable(item("91", { events: ["Nope.create"] }));
      assert.ok(outcome && !outcome.ok);
      assert.ok(outcome.error instanceof ZohoValidationError);
      assert.equal(outcome.error.status, status);
      assert.equal(outcome.error.apiName, "events");
    });
  }

  it("keeps channel ids above 2^53 exact through enable, list, patch and disable", async () => {
    const client = clientFor(emulator());
    const [enabled] = requireSuccess(await client.enable(item(BIG_ID)));
    assert.equal(enabled?.channelId, BIG_ID);
    assert.ok(enabled?.resources.every((r) => r.channelId === undefined || r.channelId === BIG_ID));
    const rows = await client.list();
    assert.deepEqual(
      rows.map((r) => r.channelId),
      [BIG_ID],
    );
    requireSuccess(await client.patch({ channelId: BigInt(BIG_ID), events: ["Leads.edit"], token: "t" }));
    const [disabled] = await client.disable(BIG_ID);
    assert.equal(disabled?.ok, true);
    assert.equal(disabled?.channelId, BIG_ID);
  });

  it("refuses invalid input before sending anything (no token request either)", async () => {
    const client = clientFor(emulator());
    await assert.rejects(
      client.enable([item("1"), item("2", { token: "x".repeat(51), events: ["Leads.insert"] })]),
      (error: unknown) => {
        assert.ok(error instanceof ZohoValidationError);
        assert.equal(error.zohoCode, undefined);
        assert.deepEqual(
          error.issues.map((i) => i.split(":")[0]),
          ["[1].events[0]", "[1].token"],
        );
        return true;
      },
    );
    // A PATCH without token (the token trap) is refused even when the types are bypassed.
    const bare = { channelId: "1", events: ["Leads.create"] } as unknown as PatchItem;
    await assert.rejects(client.patch(bare), /token is required on PATCH/);
    assert.equal((await emulator().stats()).total, 0);
  });

  it("refuses calls after close() with ZOHO_CLOSED", async () => {
    const client = clientFor(emulator());
    await client.list();
    await client.close();
    await assert.rejects(client.list(), (error: unknown) => error instanceof ZohoClosedError);
  });

  it("refuses features newer than the configured API version instead of letting Zoho ignore them", async () => {
    const client = clientFor(emulator(), { apiVersion: "v2" });
    await assert.rejects(
      client.enable(item("3", { returnAffectedFieldValues: true })),
      /needs API v3 or later/,
    );
  });
});
