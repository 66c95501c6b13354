import assert from "node:assert/strict";
import { item, useEmulator, codeOf } from "./helpers";

describe("emulator: get notification details (GET)", () => {
  const ctx = useEmulator();

  it("lists one row per channel and module, with that module's events in Zoho's canonical form", async () => {
    await ctx.zoho.enable("v8", item("10", { events: ["Leads.all", "Deals.create"], token: "tk" }));
    const reply = await ctx.zoho.list("v8");
    assert.equal(reply.status, 200);
    const rows = reply.body?.watch ?? [];
    assert.deepEqual(
      rows.map((row) => [row.resource_name, row.events]),
      [
        ["Leads", ["Leads.edit", "Leads.create", "Leads.delete"]],
        ["Deals", ["Deals.create"]],
      ],
    );
    assert.deepEqual(Object.keys(rows[0] ?? {}), [
      "channel_id",
      "events",
      "channel_expiry",
      "notify_url",
      "token",
      "resource_uri",
      "resource_id",
      "resource_name",
      "notify_on_related_action",
      "return_affected_field_values",
      "notification_condition",
      "fields",
    ]);
    assert.equal(rows[0]?.token, "tk");
    assert.equal(rows[0]?.fields, null);
    assert.deepEqual(reply.body?.info, { per_page: 200, count: 2, page: 1, more_records: false });
  });

  it("answers 204 with an empty body when nothing matches", async () => {
    const empty = await ctx.zoho.list("v8");
    assert.equal(empty.status, 204);
    assert.equal(empty.text, "");
    await ctx.zoho.enable("v8", item("10"));
    const noMatch = await ctx.zoho.list("v8", { channel_id: "11" });
    assert.equal(noMatch.status, 204);
    assert.equal(noMatch.text, "");
  });

  it("filters by channel_id and by module", async () => {
    await ctx.zoho.enable("v8", item("10", { events: ["Leads.create", "Deals.create"] }), item("11"));
    const byChannel = await ctx.zoho.list("v8", { channel_id: "11" });
    assert.deepEqual(
      byChannel.body?.watch.map((row) => row.channel_id),
      ["11"],
    );
    const byModule = await ctx.zoho.list("v8", { module: "Deals" });
    assert.deepEqual(
      byModule.body?.watch.map((row) => `${row.channel_id}/${row.resource_name}`),
      ["10/Deals"],
    );
    const both = await ctx.zoho.list("v8", { channel_id: "11", module: "Deals" });
    assert.equal(both.status, 204);
  });

  it("refuses an unknown module (INVALID_MODULE) and a malformed channel_id (INVALID_DATA), naming the parameter", async () => {
    const module = await ctx.zoho.list("v8", { module: "Dealz" });
    assert.equal(module.status, 400);
    assert.equal(codeOf(module.body), "INVALID_MODULE");
    assert.deepEqual((module.body as { details?: unknown }).details, { api_name: "module" });
    const channel = await ctx.zoho.list("v8", { channel_id: "abc" });
    assert.equal(channel.status, 400);
    assert.equal(codeOf(channel.body), "INVALID_DATA");
  });

  it("paginates with page and per_page and says whether more records follow", async () => {
    await ctx.zoho.enable("v8", ...["1", "2", "3", "4", "5"].map((id) => item(id)));
    const first = await ctx.zoho.list("v8", { per_page: "2" });
    assert.deepEqual(first.body?.info, { per_page: 2, count: 2, page: 1, more_records: true });
    assert.deepEqual(
      first.body?.watch.map((row) => row.channel_id),
      ["1", "2"],
    );
    const last = await ctx.zoho.list("v8", { per_page: "2", page: "3" });
    assert.deepEqual(last.body?.info, { per_page: 2, count: 1, page: 3, more_records: false });
    assert.deepEqual(
      last.body?.watch.map((row) => row.channel_id),
      ["5"],
    );
    const beyond = await ctx.zoho.list("v8", { per_page: "2", page: "4" });
    assert.equal(beyond.status, 204);
  });

  it("caps per_page at 200 and refuses non-positive page parameters", async () => {
    await ctx.zoho.enable("v8", item("1"));
    const capped = await ctx.zoho.list("v8", { per_page: "500" });
    assert.equal(capped.body?.info.per_page, 200);
    const zero = await ctx.zoho.list("v8", { per_page: "0" });
    assert.equal(zero.status, 400);
    const text = await ctx.zoho.list("v8", { page: "first" });
    assert.equal(text.status, 400);
  });

  it("stops listing a channel once it expired on the emulator clock", async () => {
    await ctx.zoho.enable("v8", item("1"));
    await ctx.emulator.advanceClock("PT59M");
    assert.equal((await ctx.zoho.list("v8")).status, 200);
    await ctx.emulator.advanceClock("PT2M");
    ctx.zoho.forgetToken(); // the access token expired with the channel
    assert.equal((await ctx.zoho.list("v8")).status, 204);
    const [stored] = await ctx.emulator.channels();
    assert.equal(stored?.live, false, "the control API still shows it, as expired");
  });
});
