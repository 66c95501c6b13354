import assert from "node:assert/strict";
import { item, useEmulator, type ListBody } from "./helpers";

/** Zoho's published limits (v8 OpenAPI, Kaizen #170): the emulator enforces each one. */
describe("emulator: Zoho's published limits", () => {
  const ctx = useEmulator({ tokenRateLimit: false, concurrencyLimit: null });

  const ids = (count: number, from = 1) => Array.from({ length: count }, (_, index) => String(from + index));

  it("accepts 50 items per POST, PUT and PATCH and refuses 51 with INVALID_DATA and the limit, changing nothing", async () => {
    const fifty = ids(50).map((id) => item(id));
    assert.equal((await ctx.zoho.enable("v8", ...fifty)).status, 201);
    assert.equal((await ctx.zoho.replace("v8", ...fifty)).status, 200);
    assert.equal((await ctx.zoho.patch("v8", ...fifty)).status, 200);

    const fiftyOne = ids(51, 100).map((id) => item(id, { events: ["Deals.create"] }));
    for (const method of ["POST", "PUT", "PATCH"]) {
      const reply = await ctx.zoho.watch(method, "v8", { body: { watch: fiftyOne } });
      assert.equal(reply.status, 400, method);
      assert.deepEqual(
        reply.body,
        {
          code: "INVALID_DATA",
          details: { api_name: "watch", json_path: "$.watch", maximum_length: 50 },
          message: "invalid data",
          status: "error",
        },
        method,
      );
    }
    const channels = await ctx.emulator.channels();
    assert.equal(channels.length, 50, "the refused POST created nothing");
    assert.ok(channels.every((channel) => channel.events.join() === "Leads.create"));
  });

  it("accepts channel_ids of 512 characters in a DELETE and refuses 513 with INVALID_DATA, disabling nothing", async () => {
    // 25 ids of 19 digits, one of 12 and 25 commas: exactly 512 characters.
    const longIds = [...ids(25).map((n) => `10000000000000000${n.padStart(2, "0")}`), "100000000001"];
    assert.equal((await ctx.zoho.enable("v8", ...longIds.map((id) => item(id)))).status, 201);
    const atLimit = longIds.join(",");
    assert.equal(atLimit.length, 512);
    const overLimit = `${atLimit},`;

    const refused = await ctx.zoho.disable("v8", overLimit);
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body, {
      code: "INVALID_DATA",
      details: { api_name: "channel_ids", maximum_length: 512 },
      message: "channel_ids may have at most 512 characters; disable the channels with several requests",
      status: "error",
    });
    assert.equal((await ctx.emulator.channels()).length, 26, "nothing was disabled");

    const accepted = await ctx.zoho.disable("v8", atLimit);
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.watch.length, 26);
    assert.deepEqual(await ctx.emulator.channels(), []);
  });

  it("pages GET with per_page at most 200 and page at most 100", async () => {
    for (let start = 1; start <= 201; start += 50) {
      const batch = ids(Math.min(50, 202 - start), start).map((id) => item(id));
      assert.equal((await ctx.zoho.enable("v8", ...batch)).status, 201);
    }
    const first = await ctx.zoho.list("v8", { per_page: "200" });
    assert.equal(first.body?.watch.length, 200);
    assert.deepEqual(first.body?.info, { per_page: 200, count: 200, page: 1, more_records: true });
    const lowered = await ctx.zoho.list("v8", { per_page: "201", page: "2" });
    assert.deepEqual(lowered.body?.info, { per_page: 200, count: 1, page: 2, more_records: false });

    const lastPage = await ctx.zoho.list("v8", { per_page: "1", page: "100" });
    assert.equal(lastPage.status, 200);
    assert.deepEqual(
      (lastPage.body as ListBody).watch.map((row) => row.channel_id),
      ["100"],
    );
    const beyond = await ctx.zoho.list("v8", { per_page: "1", page: "101" });
    assert.equal(beyond.status, 400);
    assert.deepEqual(beyond.body, {
      code: "INVALID_DATA",
      details: { api_name: "page" },
      message: "page may be at most 100",
      status: "error",
    });
  });
});
