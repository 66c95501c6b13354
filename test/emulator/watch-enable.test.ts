import assert from "node:assert/strict";
import { API_VERSIONS, startEmulator } from "../../emulator";
import {
  DAY,
  HOUR,
  ZohoClient,
  emulatorNow,
  epochMs,
  item,
  useEmulator,
  zohoTime,
  type DetailEvent,
} from "./helpers";

describe("emulator: enable notifications (POST)", () => {
  const ctx = useEmulator();

  it("answers 201 with one details.events entry per module, in the request's version", async () => {
    const reply = await ctx.zoho.enable(
      "v8",
      item("1000000068001", { events: ["Leads.create", "Deals.all"] }),
    );
    assert.equal(reply.status, 201);
    const [entry] = reply.body.watch;
    assert.ok(entry);
    assert.equal(entry.code, "SUCCESS");
    assert.equal(entry.status, "success");
    assert.equal(entry.message, "Successfully subscribed for actions-watch of the given module");
    const events = entry.details.events as DetailEvent[];
    assert.deepEqual(
      events.map((event) => [event.resource_name, event.resource_uri, event.channel_id]),
      [
        ["Leads", "https://www.zohoapis.com/crm/v8/Leads", "1000000068001"],
        ["Deals", "https://www.zohoapis.com/crm/v8/Deals", "1000000068001"],
      ],
    );
    assert.match(events[0]?.resource_id ?? "", /^\d+$/);
  });

  it("serves every version family, v2 to v8; resource_uri says /crm/v2/ up to v7 and /crm/v8/ in v8", async () => {
    for (const [position, version] of API_VERSIONS.entries()) {
      const channelId = String(5000 + position);
      const expected = `https://www.zohoapis.com/crm/${version === "v8" ? "v8" : "v2"}/Leads`;
      const created = await ctx.zoho.enable(version, item(channelId));
      assert.equal(created.status, 201, `${version} POST`);
      const [event] = created.body.watch[0]?.details.events as DetailEvent[];
      assert.equal(event?.resource_uri, expected, `${version} POST`);
      const listed = await ctx.zoho.list(version, { channel_id: channelId });
      assert.equal(listed.status, 200, `${version} GET`);
      assert.equal(listed.body?.watch[0]?.resource_uri, expected, `${version} GET`);
      const disabled = await ctx.zoho.disable(version, channelId);
      assert.equal(disabled.body.watch[0]?.details.resource_uri, expected, `${version} DELETE`);
    }
  });

  it("defaults a missing channel_expiry to one hour and echoes it with the org's offset (+05:30)", async () => {
    const now = await emulatorNow(ctx.emulator);
    const reply = await ctx.zoho.enable("v8", item("1"));
    const expiry = (reply.body.watch[0]?.details.events as DetailEvent[])[0]?.channel_expiry ?? "";
    assert.match(expiry, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:30$/);
    assert.ok(Math.abs(epochMs(expiry) - (now + HOUR)) < 2000, `${expiry} is not one hour after now`);
  });

  it("echoes expiries in the configured orgTimeZone", async () => {
    const emulator = await startEmulator({ orgTimeZone: "UTC-11:00", tokenRateLimit: false });
    try {
      const reply = await new ZohoClient(emulator).enable("v8", item("1"));
      const expiry = (reply.body.watch[0]?.details.events as DetailEvent[])[0]?.channel_expiry ?? "";
      assert.match(expiry, /-11:00$/);
    } finally {
      await emulator.close();
    }
  });

  it("keeps a given expiry within the maximum", async () => {
    const wanted = (await emulatorNow(ctx.emulator)) + 20 * HOUR;
    const reply = await ctx.zoho.enable("v3", item("1", { channel_expiry: zohoTime(wanted) }));
    const expiry = (reply.body.watch[0]?.details.events as DetailEvent[])[0]?.channel_expiry ?? "";
    assert.equal(epochMs(expiry), Math.floor(wanted / 1000) * 1000);
  });

  it("silently falls back to one hour past the maximum: 1 day up to v3, 7 days from v4", async () => {
    const now = await emulatorNow(ctx.emulator);
    const expiryOf = async (version: "v3" | "v4", channelId: string, lifetime: number) => {
      const reply = await ctx.zoho.enable(
        version,
        item(channelId, { channel_expiry: zohoTime(now + lifetime) }),
      );
      assert.equal(reply.status, 201);
      return epochMs((reply.body.watch[0]?.details.events as DetailEvent[])[0]?.channel_expiry ?? "") - now;
    };
    assert.ok(Math.abs((await expiryOf("v3", "1", 2 * DAY)) - HOUR) < 2000, "v3: 2 days → 1 hour");
    assert.ok(Math.abs((await expiryOf("v4", "2", 2 * DAY)) - 2 * DAY) < 2000, "v4: 2 days kept");
    assert.ok(Math.abs((await expiryOf("v4", "3", 8 * DAY)) - HOUR) < 2000, "v4: 8 days → 1 hour");
  });

  it("rejects a channel_expiry with milliseconds as INVALID_DATA", async () => {
    const withMillis = zohoTime((await emulatorNow(ctx.emulator)) + HOUR).replace(
      /(:\d{2})([+-])/,
      "$1.123$2",
    );
    const reply = await ctx.zoho.enable("v8", item("1", { channel_expiry: withMillis }));
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.watch[0], {
      code: "INVALID_DATA",
      details: { api_name: "channel_expiry", json_path: "$.watch[0].channel_expiry" },
      message: "invalid data",
      status: "error",
    });
  });

  it("rejects a channel_expiry in the past as INVALID_DATA", async () => {
    const past = zohoTime((await emulatorNow(ctx.emulator)) - HOUR);
    const reply = await ctx.zoho.enable("v8", item("1", { channel_expiry: past }));
    assert.equal(reply.body.watch[0]?.code, "INVALID_DATA");
  });

  it("accepts a token of 50 characters and rejects 51 as INVALID_DATA", async () => {
    const ok = await ctx.zoho.enable("v8", item("1", { token: "t".repeat(50) }));
    assert.equal(ok.status, 201);
    const tooLong = await ctx.zoho.enable("v8", item("2", { token: "t".repeat(51) }));
    assert.deepEqual(tooLong.body.watch[0]?.details, {
      api_name: "token",
      json_path: "$.watch[0].token",
      maximum_length: 50,
    });
    assert.equal(tooLong.body.watch[0]?.code, "INVALID_DATA");
  });

  it("reports a missing mandatory key as MANDATORY_NOT_FOUND with api_name and json_path", async () => {
    const reply = await ctx.zoho.enable("v8", item("1"), item("2", { notify_url: undefined }));
    assert.deepEqual(reply.body.watch[1], {
      code: "MANDATORY_NOT_FOUND",
      details: { api_name: "notify_url", json_path: "$.watch[1].notify_url" },
      message: "required field not found",
      status: "error",
    });
  });

  it("answers 207 for a mixed batch, and 202 (v2, v2.1) or 400 (v3+) when every entry failed", async () => {
    const mixed = await ctx.zoho.enable("v8", item("1"), item("2", { events: undefined }));
    assert.equal(mixed.status, 207);
    assert.deepEqual(
      mixed.body.watch.map((entry) => entry.status),
      ["success", "error"],
    );
    for (const version of API_VERSIONS) {
      const failed = await ctx.zoho.enable(version, item("3", { events: undefined }));
      const expected = version === "v2" || version === "v2.1" ? 202 : 400;
      assert.equal(failed.status, expected, version);
    }
  });

  it("treats a POST on an existing channel as an upsert: events merged, expiry reset, one channel", async () => {
    await ctx.zoho.enable("v8", item("77", { events: ["Leads.create"], token: "first" }));
    await ctx.emulator.advanceClock("PT40M");
    const now = await emulatorNow(ctx.emulator);
    const again = await ctx.zoho.enable("v8", item("77", { events: ["Deals.edit"] }));
    assert.equal(again.status, 201);
    const channels = await ctx.emulator.channels();
    assert.equal(channels.length, 1);
    assert.deepEqual(channels[0]?.events, ["Leads.create", "Deals.edit"]);
    assert.equal(channels[0]?.token, "first", "keys the POST did not give are kept");
    assert.ok(
      Math.abs(epochMs(channels[0]?.expiresAt ?? "") - (now + HOUR)) < 2000,
      "expiry reset to now + 1 h",
    );
  });

  it("keeps channel ids above 2^53 exact, sent as strings or as JSON numbers", async () => {
    const asString = "1105420521999070702";
    const asNumber = "9007199254740993"; // 2^53 + 1: JSON.parse alone would turn it into ...992
    await ctx.zoho.enable("v8", item(asString));
    const raw = `{"watch":[{"channel_id":${asNumber},"events":["Leads.edit"],"notify_url":"http://127.0.0.1:9/h"}]}`;
    const reply = await ctx.zoho.watch("POST", "v8", { body: raw });
    assert.equal(reply.status, 201);
    assert.match(reply.text, /"channel_id":"9007199254740993"/);
    const listed = await ctx.zoho.list("v8");
    assert.deepEqual(
      listed.body?.watch.map((row) => row.channel_id),
      [asString, asNumber],
    );
  });

  it("rejects channel ids that are not positive longs as INVALID_DATA", async () => {
    for (const bad of ["abc", "0", "9223372036854775808", true]) {
      const reply = await ctx.zoho.enable("v8", item("1", { channel_id: bad }));
      assert.equal(reply.body.watch[0]?.code, "INVALID_DATA", String(bad));
      assert.equal(reply.body.watch[0]?.details.api_name, "channel_id");
    }
  });

  it("refuses the same channel twice in one request with AMBIGUITY_DURING_PROCESSING", async () => {
    const reply = await ctx.zoho.enable("v8", item("5"), item("5", { events: ["Deals.create"] }));
    assert.equal(reply.status, 207);
    assert.equal(reply.body.watch[1]?.code, "AMBIGUITY_DURING_PROCESSING");
    assert.equal(reply.body.watch[1]?.details.json_path, "$.watch[1].channel_id");
  });

  it("checks events: unknown modules and operations are INVALID_DATA at their index; __c and custom modules pass", async () => {
    const unknown = await ctx.zoho.enable("v8", item("1", { events: ["Leads.create", "Dealz.create"] }));
    assert.deepEqual(unknown.body.watch[0]?.details, {
      api_name: "events",
      json_path: "$.watch[0].events[1]",
    });
    const badOp = await ctx.zoho.enable("v8", item("1", { events: ["Leads.update"] }));
    assert.equal(badOp.body.watch[0]?.code, "INVALID_DATA");
    const custom = await ctx.zoho.enable("v8", item("1", { events: ["Projects__c.create"] }));
    assert.equal(custom.status, 201);

    const emulator = await startEmulator({ customModules: ["Shipments"], tokenRateLimit: false });
    try {
      const reply = await new ZohoClient(emulator).enable("v8", item("1", { events: ["Shipments.all"] }));
      assert.equal(reply.status, 201);
    } finally {
      await emulator.close();
    }
  });

  it("checks notify_url: at most 255 characters and an http(s) URL", async () => {
    const long = `http://127.0.0.1/${"a".repeat(239)}`;
    assert.equal(long.length, 256);
    const tooLong = await ctx.zoho.enable("v8", item("1", { notify_url: long }));
    assert.deepEqual(tooLong.body.watch[0]?.details, {
      api_name: "notify_url",
      json_path: "$.watch[0].notify_url",
      maximum_length: 255,
    });
    const notUrl = await ctx.zoho.enable("v8", item("1", { notify_url: "not a url" }));
    assert.equal(notUrl.body.watch[0]?.code, "INVALID_DATA");
    const ftp = await ctx.zoho.enable("v8", item("1", { notify_url: "ftp://127.0.0.1/x" }));
    assert.equal(ftp.body.watch[0]?.code, "INVALID_DATA");
  });

  it("defaults notify_on_related_action to false in v2/v2.1 and true from v3", async () => {
    await ctx.zoho.enable("v2", item("1"));
    await ctx.zoho.enable("v3", item("2"));
    const rows = (await ctx.zoho.list("v8")).body?.watch ?? [];
    assert.deepEqual(
      rows.map((row) => [row.channel_id, row.notify_on_related_action]),
      [
        ["1", false],
        ["2", true],
      ],
    );
  });

  it("ignores return_affected_field_values before v3 and refuses keys Zoho does not document", async () => {
    await ctx.zoho.enable("v2", item("1", { return_affected_field_values: true }));
    await ctx.zoho.enable("v3", item("2", { return_affected_field_values: true }));
    const rows = (await ctx.zoho.list("v8")).body?.watch ?? [];
    assert.deepEqual(
      rows.map((row) => row.return_affected_field_values),
      [false, true],
    );
    const unknown = await ctx.zoho.enable("v2", item("3", { colour: "blue" }));
    assert.deepEqual(unknown.body.watch[0], {
      code: "INVALID_DATA",
      details: { api_name: "colour", json_path: "$.watch[0].colour" },
      message: "invalid data",
      status: "error",
    });
    assert.equal((await ctx.zoho.list("v8", { channel_id: "3" })).status, 204);
  });
});
