import assert from "node:assert/strict";
import { request } from "undici";
import { EmulatorControl, EmulatorControlError } from "../../emulator";
import { HOUR, emulatorNow, epochMs, item, useEmulator } from "./helpers";

describe("emulator: control API (clock, timeline, stats, reset) and the EmulatorControl client", () => {
  const ctx = useEmulator();

  it("runs its clock from real time, and moves it by setClock and advanceClock", async () => {
    assert.ok(Math.abs((await emulatorNow(ctx.emulator)) - Date.now()) < 1000);
    const set = await ctx.emulator.setClock("2030-01-01T00:00:00Z");
    assert.ok(epochMs(set) - Date.parse("2030-01-01T00:00:00Z") < 1000);
    const advanced = await ctx.emulator.advanceClock("PT50M");
    assert.ok(Math.abs(epochMs(advanced) - Date.parse("2030-01-01T00:50:00Z")) < 1000);
    const byMs = await ctx.emulator.advanceClock(60_000);
    assert.ok(Math.abs(epochMs(byMs) - Date.parse("2030-01-01T00:51:00Z")) < 1000);
    await assert.rejects(ctx.emulator.advanceClock("fifty minutes"), /ISO-8601/);
    await assert.rejects(ctx.emulator.advanceClock(-1), /negative/);
    await assert.rejects(ctx.emulator.setClock("tomorrow"), /ISO-8601/);
  });

  it("timeline: a renewal before expiry extends the interval (no gap)", async () => {
    await ctx.zoho.enable("v8", item("1", { token: "t" }));
    await ctx.emulator.advanceClock("PT50M");
    await ctx.zoho.replace("v8", item("1", { token: "t" }));
    await ctx.emulator.advanceClock("PT50M");
    let timeline = await ctx.emulator.timeline();
    assert.equal(timeline["1"]?.Leads?.length, 1);
    assert.equal(timeline["1"]?.Leads?.[0]?.to, null, "still subscribed 100 minutes after a 1-hour start");

    await ctx.emulator.advanceClock("PT11M");
    timeline = await ctx.emulator.timeline();
    const [interval] = timeline["1"]?.Leads ?? [];
    assert.ok(interval?.to, "expired by the clock, without any request");
    assert.ok(Math.abs(epochMs(interval.to) - epochMs(interval.from) - 110 * 60_000) < 2000);
  });

  it("timeline: a renewal after expiry starts a new interval (a gap)", async () => {
    await ctx.zoho.enable("v8", item("1"));
    await ctx.emulator.advanceClock("PT70M");
    ctx.zoho.forgetToken(); // the access token expired too
    await ctx.zoho.enable("v8", item("1"));
    const intervals = (await ctx.emulator.timeline())["1"]?.Leads ?? [];
    assert.equal(intervals.length, 2);
    const [first, second] = intervals;
    assert.ok(first?.to && second, "first interval ended");
    assert.ok(epochMs(second.from) - epochMs(first.to) >= 9 * 60_000, "10-minute gap");
    assert.equal(second.to, null);
  });

  it("timeline: disabling and removing events end intervals at that moment, per module", async () => {
    await ctx.zoho.enable("v8", item("1", { events: ["Leads.create", "Deals.create"] }));
    await ctx.emulator.advanceClock("PT5M");
    await ctx.zoho.patch("v8", { channel_id: "1", events: ["Deals.create"], _delete_events: true });
    const now = await emulatorNow(ctx.emulator);
    let timeline = await ctx.emulator.timeline();
    assert.ok(Math.abs(epochMs(timeline["1"]?.Deals?.[0]?.to ?? "") - now) < 1000);
    assert.equal(timeline["1"]?.Leads?.[0]?.to, null);
    await ctx.zoho.disable("v8", "1");
    timeline = await ctx.emulator.timeline();
    assert.ok(timeline["1"]?.Leads?.[0]?.to);
  });

  it("stats: counts requests by operation, and resets", async () => {
    await ctx.zoho.token();
    await ctx.zoho.enable("v8", item("1"));
    await ctx.zoho.list("v8");
    await ctx.zoho.replace("v8", item("1"));
    await ctx.zoho.patch("v8", item("1"));
    await ctx.zoho.patch("v8", item("1", { _delete_events: true, events: ["Leads.edit"] }));
    await ctx.zoho.disable("v8", "1");
    await ctx.zoho.send("GET", "/crm/v8/nothing-here");
    assert.deepEqual(await ctx.emulator.stats(), {
      token: 1,
      org: 0,
      enable: 1,
      list: 1,
      update: 1,
      patch: 1,
      disableEvents: 1,
      disable: 1,
      rejected429: 0,
      total: 8,
    });
    await ctx.emulator.resetStats();
    assert.equal((await ctx.emulator.stats()).total, 0);
  });

  it("reset: clears channels, deliveries, timeline, faults, stats, tokens and the clock offset", async () => {
    await ctx.zoho.enable("v8", item("1", { notify_url: "https://hooks.example.com/x" }));
    await ctx.emulator.simulateRecordChange({ module: "Leads", operation: "create", ids: ["1"] });
    await ctx.emulator.injectFault({ kind: "latency", ms: 1, match: { path: "/nowhere" } });
    await ctx.emulator.setConcurrencyLimit(1);
    await ctx.emulator.advanceClock("P3D");
    await ctx.emulator.reset();
    assert.deepEqual(await ctx.emulator.channels(), []);
    assert.deepEqual(await ctx.emulator.deliveries(), []);
    assert.deepEqual(await ctx.emulator.timeline(), {});
    assert.deepEqual(await ctx.emulator.faults(), []);
    assert.equal((await ctx.emulator.stats()).total, 0);
    assert.ok(Math.abs((await emulatorNow(ctx.emulator)) - Date.now()) < 1000);
    assert.equal((await ctx.zoho.list("v8")).status, 401, "old access token gone");
    ctx.zoho.forgetToken();
    await ctx.zoho.token();
    await ctx.emulator.injectFault({ kind: "latency", ms: 200, match: { operation: "list" } });
    const parallel = await Promise.all([ctx.zoho.list("v8"), ctx.zoho.list("v8")]);
    assert.ok(
      parallel.every((reply) => reply.status === 204),
      "concurrency limit back to 5",
    );
  });

  it("EmulatorControl drives an emulator over HTTP with the same methods", async () => {
    const control = new EmulatorControl(`${ctx.emulator.url}/`);
    await ctx.zoho.enable("v8", item("42", { notify_url: "https://hooks.example.com/x", token: "t" }));
    const now = epochMs(await control.now());
    assert.ok(Math.abs(now - Date.now()) < 1000);
    assert.ok(epochMs(await control.advanceClock("PT10M")) - now >= 10 * 60_000 - 1000);
    assert.ok(epochMs(await control.setClock(new Date(now).toISOString())) - now < 1000);
    const [channel] = await control.channels();
    assert.equal(channel?.channelId, "42");
    assert.equal(channel?.token, "t");
    assert.ok(Math.abs(epochMs(channel?.expiresAt ?? "") - (now + HOUR)) < 2000);
    assert.ok((await control.timeline())["42"]?.Leads);
    const records = await control.simulateRecordChange({ module: "Leads", operation: "create", ids: ["9"] });
    assert.equal(records[0]?.status, "skipped: not loopback");
    assert.equal((await control.deliveries()).length, 1);
    await control.clearDeliveries();
    assert.deepEqual(await control.deliveries(), []);
    const fault = await control.injectFault({ kind: "status", status: 502, times: 2 });
    assert.equal(fault.remaining, 2);
    assert.equal((await control.faults())[0]?.id, fault.id);
    await control.clearFaults();
    await control.setConcurrencyLimit(null);
    assert.equal((await control.stats()).enable, 1);
    await control.resetStats();
    assert.equal((await control.stats()).total, 0);
    await control.expireAccessTokens();
    assert.equal((await ctx.zoho.list("v8")).status, 401);
    await control.revokeRefreshToken();
    assert.deepEqual((await ctx.zoho.requestToken()).body, { error: "invalid_code" });
    await control.reset();
    assert.deepEqual(await control.channels(), []);
  });

  it("EmulatorControl reports refused calls as EmulatorControlError with the status", async () => {
    const control = new EmulatorControl(ctx.emulator.url);
    await assert.rejects(control.setClock("not a date"), (error: unknown) => {
      assert.ok(error instanceof EmulatorControlError);
      assert.equal(error.status, 400);
      return true;
    });
    await assert.rejects(
      control.simulateRecordChange({ module: "Leads", operation: "create", ids: [] }),
      EmulatorControlError,
    );
  });

  it("answers 404 for unknown control routes and 400 for bodies that are not JSON", async () => {
    const unknown = await request(`${ctx.emulator.url}/__emulator/nope`);
    assert.equal(unknown.statusCode, 404);
    await unknown.body.dump();
    const badJson = await request(`${ctx.emulator.url}/__emulator/faults`, { method: "POST", body: "{" });
    assert.equal(badJson.statusCode, 400);
    await badJson.body.dump();
  });
});
