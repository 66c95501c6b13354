import assert from "node:assert/strict";
import { item, useEmulator } from "./helpers";

interface TopLevelError {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: string;
}

describe("emulator: malformed requests get Zoho-shaped errors and the emulator keeps serving", () => {
  const ctx = useEmulator();

  async function post(body: string | Record<string, unknown>) {
    return ctx.zoho.watch<TopLevelError & { watch?: Array<TopLevelError> }>("POST", "v8", { body });
  }

  it("answers 400 INVALID_DATA for a body that is not JSON, then serves the next request", async () => {
    const reply = await post('{"watch": [');
    assert.equal(reply.status, 400);
    assert.equal(reply.body.code, "INVALID_DATA");
    assert.equal(reply.body.status, "error");
    assert.equal((await ctx.zoho.enable("v8", item("1"))).status, 201);
  });

  it("answers MANDATORY_NOT_FOUND without watch, INVALID_DATA for a watch that is not a non-empty array", async () => {
    const missing = await post({ items: [] });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, {
      code: "MANDATORY_NOT_FOUND",
      details: { api_name: "watch", json_path: "$.watch" },
      message: "required field not found",
      status: "error",
    });
    const empty = await ctx.zoho.watch("POST", "v8", { body: "" });
    assert.equal((empty.body as unknown as TopLevelError).code, "MANDATORY_NOT_FOUND");
    const notArray = await post({ watch: { channel_id: "1" } });
    assert.deepEqual(notArray.body.details, {
      api_name: "watch",
      json_path: "$.watch",
      expected_data_type: "jsonarray",
    });
    // The description sets no minItems on watch and no Zoho sample refuses one: an empty batch.
    const emptyArray = await post({ watch: [] });
    assert.equal(emptyArray.status, 201);
    assert.deepEqual(emptyArray.body, { watch: [] });
    const extraKey = await post({ watch: [], colour: "blue" });
    assert.equal(extraKey.status, 400);
    assert.deepEqual(extraKey.body, {
      code: "INVALID_DATA",
      details: { api_name: "colour", json_path: "$.colour" },
      message: "invalid data",
      status: "error",
    });
    const notObject = await post({ watch: ["x"] });
    assert.deepEqual(notObject.body.watch?.[0]?.details, {
      api_name: "watch",
      json_path: "$.watch[0]",
      expected_data_type: "jsonobject",
    });
    const arrayBody = await post("[1,2]");
    assert.equal(arrayBody.body.code, "INVALID_DATA");
  });

  it("answers INVALID_DATA with expected_data_type for wrong types", async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ events: "Leads.create" }, "events", "jsonarray"],
      [{ events: ["Leads.create", 3] }, "events", "string"],
      [{ notify_url: 42 }, "notify_url", "string"],
      [{ token: 42 }, "token", "string"],
      [{ notify_on_related_action: "yes" }, "notify_on_related_action", "boolean"],
      [{ channel_expiry: 1718117126 }, "channel_expiry", "datetime"],
      [{ notification_condition: {} }, "notification_condition", "jsonarray"],
    ];
    for (const [overrides, apiName, expected] of cases) {
      const reply = await post({ watch: [item("1", overrides)] });
      const entry = reply.body.watch?.[0];
      assert.equal(entry?.code, "INVALID_DATA", apiName);
      assert.equal(entry?.details.api_name, apiName);
      assert.equal(entry?.details.expected_data_type, expected, apiName);
    }
  });

  it("answers 404 INVALID_URL_PATTERN for unknown paths and versions", async () => {
    for (const path of [
      "/crm/v9/actions/watch",
      "/crm/v8/actions/watchers",
      "/crm/v8/actions/watch/1",
      "/",
    ]) {
      const reply = await ctx.zoho.send<TopLevelError>("GET", path);
      assert.equal(reply.status, 404, path);
      assert.deepEqual(reply.body, {
        code: "INVALID_URL_PATTERN",
        details: {},
        message: "Please check if the URL trying to access is a correct one",
        status: "error",
      });
    }
  });

  it("answers 400 INVALID_REQUEST_METHOD for unsupported methods", async () => {
    const options = await ctx.zoho.send<TopLevelError>("OPTIONS", "/crm/v8/actions/watch");
    assert.equal(options.status, 400);
    assert.equal(options.body.code, "INVALID_REQUEST_METHOD");
    const tokenGet = await ctx.zoho.send<TopLevelError>("GET", "/oauth/v2/token", { auth: false });
    assert.equal(tokenGet.body.code, "INVALID_REQUEST_METHOD");
  });

  it("answers 413 for bodies over 1 MiB", async () => {
    const reply = await post(`{"watch":[{"token":"${"x".repeat(1024 * 1024)}"}]}`);
    assert.equal(reply.status, 413);
    assert.equal((await ctx.zoho.list("v8")).status, 204);
  });
});
