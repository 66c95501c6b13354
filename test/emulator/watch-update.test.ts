import assert from "node:assert/strict";
import { API_VERSIONS } from "../../emulator";
import { HOUR, emulatorNow, epochMs, item, useEmulator, zohoTime } from "./helpers";

describe("emulator: update (PUT, PATCH), disable events (PATCH _delete_events), disable (DELETE)", () => {
  const ctx = useEmulator();

  async function row(channelId: string) {
    const listed = await ctx.zoho.list("v8", { channel_id: channelId });
    return listed.body?.watch[0];
  }

  it("PUT replaces every detail: details not given are dropped", async () => {
    await ctx.zoho.enable(
      "v8",
      item("1", {
        events: ["Leads.create", "Deals.create"],
        token: "secret",
        notify_on_related_action: false,
      }),
    );
    await ctx.emulator.advanceClock("PT30M");
    const now = await emulatorNow(ctx.emulator);
    const reply = await ctx.zoho.replace(
      "v8",
      item("1", { events: ["Contacts.edit"], notify_url: "http://127.0.0.1:9/new" }),
    );
    assert.equal(reply.status, 200);
    assert.equal(
      reply.body.watch[0]?.message,
      "Successfully subscribed for actions-watch of the given module",
    );
    const [channel] = await ctx.emulator.channels();
    assert.deepEqual(channel?.events, ["Contacts.edit"]);
    assert.equal(channel?.token, null, "token not given → dropped");
    assert.equal(channel?.notifyOnRelatedAction, true, "back to the version's default");
    assert.equal(channel?.notifyUrl, "http://127.0.0.1:9/new");
    assert.ok(
      Math.abs(epochMs(channel?.expiresAt ?? "") - (now + HOUR)) < 2000,
      "expiry not given → now + 1 h",
    );
  });

  it("PUT, PATCH and _delete_events on an unknown or expired channel answer NOT_SUBSCRIBED with empty details", async () => {
    const notSubscribed = {
      code: "NOT_SUBSCRIBED",
      details: {},
      message: "the given channel is not subscribed",
      status: "error",
    };
    await ctx.zoho.enable("v8", item("410"));
    await ctx.emulator.advanceClock("PT61M");
    ctx.zoho.forgetToken(); // the access token expired with the channel
    for (const method of ["PUT", "PATCH"]) {
      for (const channelId of ["404", "410"]) {
        const reply = await ctx.zoho.watch(method, "v8", { body: { watch: [item(channelId)] } });
        assert.equal(reply.status, 400, `${method} ${channelId}`);
        assert.deepEqual(reply.body.watch[0], notSubscribed, `${method} ${channelId}`);
      }
    }
    const removal = await ctx.zoho.patch("v8", item("404", { _delete_events: true }));
    assert.deepEqual(removal.body.watch[0], notSubscribed);
    const v2 = await ctx.zoho.patch("v2", item("404", { _delete_events: true }));
    assert.equal(v2.status, 202);
    assert.equal(v2.body.watch[0]?.code, "NOT_SUBSCRIBED");
  });

  it("PATCH merges: given keys change, others stay, events are united", async () => {
    await ctx.zoho.enable("v8", item("1", { token: "secret", notify_url: "http://127.0.0.1:9/a" }));
    const reply = await ctx.zoho.patch("v8", {
      channel_id: "1",
      events: ["Deals.create"],
      token: "secret",
      notify_on_related_action: false,
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.watch[0]?.message, "Successfully updated the subscribe details");
    const [channel] = await ctx.emulator.channels();
    assert.deepEqual(channel?.events, ["Leads.create", "Deals.create"]);
    assert.equal(channel?.notifyUrl, "http://127.0.0.1:9/a");
    assert.equal(channel?.token, "secret");
    assert.equal(channel?.notifyOnRelatedAction, false);
  });

  it("PATCH without token sets the token to null (the token trap)", async () => {
    await ctx.zoho.enable("v8", item("1", { token: "secret" }));
    const expiry = zohoTime((await emulatorNow(ctx.emulator)) + 5 * HOUR);
    await ctx.zoho.patch("v8", { channel_id: "1", events: ["Leads.create"], channel_expiry: expiry });
    const renewed = await row("1");
    assert.equal(renewed?.token, null);
    assert.equal(epochMs(renewed?.channel_expiry ?? ""), epochMs(expiry), "the renewal itself worked");
  });

  it("PATCH without events is MANDATORY_NOT_FOUND", async () => {
    await ctx.zoho.enable("v8", item("1"));
    const reply = await ctx.zoho.patch("v8", { channel_id: "1", token: "x" });
    assert.deepEqual(reply.body.watch[0]?.details, { api_name: "events", json_path: "$.watch[0].events" });
    assert.equal(reply.body.watch[0]?.code, "MANDATORY_NOT_FOUND");
  });

  it("_delete_events removes events; the channel disappears when none are left", async () => {
    await ctx.zoho.enable("v8", item("1", { events: ["Leads.all", "Deals.create"], token: "kept" }));
    const partial = await ctx.zoho.patch("v8", {
      channel_id: "1",
      events: ["Leads.create"],
      _delete_events: true,
    });
    assert.equal(partial.status, 200);
    assert.equal(partial.body.watch[0]?.message, "Successfully removed the subscribe details");
    let [channel] = await ctx.emulator.channels();
    assert.deepEqual(channel?.events, ["Leads.edit", "Leads.delete", "Deals.create"]);
    assert.equal(channel?.token, "kept", "removing events does not touch the token");

    await ctx.zoho.patch("v8", {
      channel_id: "1",
      events: ["Leads.all", "Deals.create"],
      _delete_events: true,
    });
    [channel] = await ctx.emulator.channels();
    assert.equal(channel, undefined);
    assert.equal((await ctx.zoho.list("v8")).status, 204);
    const stats = await ctx.emulator.stats();
    assert.equal(stats.disableEvents, 2);
    assert.equal(stats.patch, 0);
  });

  it("_delete_events false (or absent) is a plain PATCH that disables nothing", async () => {
    await ctx.zoho.enable("v8", item("1", { events: ["Leads.create", "Leads.edit"] }));
    const reply = await ctx.zoho.patch("v8", {
      channel_id: "1",
      events: ["Leads.edit"],
      _delete_events: false,
    });
    assert.equal(reply.body.watch[0]?.message, "Successfully updated the subscribe details");
    const [channel] = await ctx.emulator.channels();
    assert.deepEqual(channel?.events, ["Leads.edit", "Leads.create"]);
  });

  it("_delete_events that is not a boolean is INVALID_DATA", async () => {
    await ctx.zoho.enable("v8", item("1"));
    const reply = await ctx.zoho.patch("v8", {
      channel_id: "1",
      events: ["Leads.create"],
      _delete_events: "yes",
    });
    assert.deepEqual(reply.body.watch[0]?.details, {
      api_name: "_delete_events",
      json_path: "$.watch[0]._delete_events",
      expected_data_type: "boolean",
    });
  });

  it("DELETE ?channel_ids= answers one entry per channel and module and removes the channels", async () => {
    await ctx.zoho.enable("v8", item("1", { events: ["Leads.create", "Deals.create"] }), item("2"));
    const reply = await ctx.zoho.disable("v8", "1,2");
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.watch, [
      {
        code: "SUCCESS",
        details: {
          resource_uri: "https://www.zohoapis.com/crm/v8/Leads",
          resource_id: "5725767000000000125",
          channel_id: "1",
        },
        message: "Successfully un-subscribed from actions-watch",
        status: "success",
      },
      {
        code: "SUCCESS",
        details: {
          resource_uri: "https://www.zohoapis.com/crm/v8/Deals",
          resource_id: "5725767000000000131",
          channel_id: "1",
        },
        message: "Successfully un-subscribed from actions-watch",
        status: "success",
      },
      {
        code: "SUCCESS",
        details: {
          resource_uri: "https://www.zohoapis.com/crm/v8/Leads",
          resource_id: "5725767000000000125",
          channel_id: "2",
        },
        message: "Successfully un-subscribed from actions-watch",
        status: "success",
      },
    ]);
    assert.deepEqual(await ctx.emulator.channels(), []);
  });

  it("DELETE answers NOT_SUBSCRIBED for unknown ids: 207 mixed, 202/400 when all are unknown", async () => {
    await ctx.zoho.enable("v8", item("1"));
    const mixed = await ctx.zoho.disable("v8", "1,999");
    assert.equal(mixed.status, 207);
    assert.deepEqual(mixed.body.watch[1], {
      code: "NOT_SUBSCRIBED",
      details: {},
      message: "the given channel is not subscribed",
      status: "error",
    });
    for (const version of API_VERSIONS) {
      const unknown = await ctx.zoho.disable(version, "999");
      assert.equal(unknown.status, version === "v2" || version === "v2.1" ? 202 : 400, version);
    }
  });

  it("DELETE without channel_ids is REQUIRED_PARAM_MISSING", async () => {
    const reply = await ctx.zoho.disable("v8");
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body, {
      code: "REQUIRED_PARAM_MISSING",
      details: { api_name: "channel_ids" },
      message: "One of the expected parameter is missing",
      status: "error",
    });
  });

  it("a PATCH with a new channel_expiry moves the expiry; one without keeps it", async () => {
    await ctx.zoho.enable("v8", item("1", { token: "t" }));
    const before = (await row("1"))?.channel_expiry ?? "";
    await ctx.zoho.patch("v8", { channel_id: "1", events: ["Leads.create"], token: "t" });
    assert.equal((await row("1"))?.channel_expiry, before);
    const later = zohoTime((await emulatorNow(ctx.emulator)) + 3 * HOUR);
    await ctx.zoho.patch("v8", {
      channel_id: "1",
      events: ["Leads.create"],
      token: "t",
      channel_expiry: later,
    });
    assert.equal((await row("1"))?.channel_expiry, later);
  });
});
