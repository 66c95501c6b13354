import assert from "node:assert/strict";
import { startEmulator, type NotificationBody } from "../../emulator";
import { Receiver, ZohoClient, emulatorNow, item, useEmulator } from "./helpers";

describe("emulator: notifications to notify_url", () => {
  const ctx = useEmulator();
  let receiver: Receiver;

  beforeEach(async () => {
    receiver = await new Receiver().start();
  });

  afterEach(async () => {
    await receiver.close();
  });

  it("POSTs Zoho's body for a create: insert, query_params, token, server_time, the /v2/ resource_uri", async () => {
    await ctx.zoho.enable(
      "v8",
      item("1000000068001", { notify_url: `${receiver.url}/hook?key1=val1&key2=val2`, token: "TOKEN" }),
    );
    await ctx.emulator.setClock("2024-06-11T14:45:26.473Z");
    const records = await ctx.emulator.simulateRecordChange({
      module: "Leads",
      operation: "create",
      ids: ["5725767000003000064"],
    });
    assert.equal(records.length, 1);
    assert.equal(records[0]?.delivered, true);
    assert.equal(records[0]?.status, 200);

    const [received] = receiver.requests;
    assert.equal(received?.method, "POST");
    assert.equal(received?.url, "/hook?key1=val1&key2=val2");
    assert.match(String(received?.headers["content-type"]), /^application\/json/);
    const body = received?.body as NotificationBody;
    const serverTime = Date.parse("2024-06-11T14:45:26.473Z");
    assert.ok(
      body.server_time >= serverTime && body.server_time < serverTime + 5000,
      "server_time is emulator time",
    );
    assert.deepEqual(
      { ...body, server_time: 0 },
      {
        server_time: 0,
        query_params: { key1: "val1", key2: "val2" },
        module: "Leads",
        resource_uri: "https://www.zohoapis.com/crm/v2/Leads",
        ids: ["5725767000003000064"],
        affected_fields: [],
        operation: "insert",
        channel_id: "1000000068001",
        token: "TOKEN",
      },
    );
    assert.deepEqual(records[0]?.body, body, "the record keeps the body that was sent");
  });

  it("sends affected_fields for edits, and affected_values only with return_affected_field_values", async () => {
    await ctx.zoho.enable(
      "v8",
      item("1", { events: ["Contacts.edit"], notify_url: `${receiver.url}/plain` }),
      item("2", {
        events: ["Contacts.edit"],
        notify_url: `${receiver.url}/values`,
        return_affected_field_values: true,
      }),
    );
    await ctx.emulator.simulateRecordChange({
      module: "Contacts",
      operation: "edit",
      ids: ["11", "12"],
      values: { "11": { Mobile: "123" }, "12": { Email: "a@b.c", Phone: "9" } },
    });
    const byPath = (path: string) =>
      receiver.requests.find((request) => request.url === path)?.body as NotificationBody;
    const plain = byPath("/plain");
    assert.equal(plain.operation, "update");
    assert.deepEqual(plain.affected_fields, [{ "11": ["Mobile"] }, { "12": ["Email", "Phone"] }]);
    assert.equal("affected_values" in plain, false);
    const withValues = byPath("/values");
    assert.deepEqual(withValues.affected_values, [
      { record_id: "11", values: { Mobile: "123" } },
      { record_id: "12", values: { Email: "a@b.c", Phone: "9" } },
    ]);
  });

  it("matches module and operation; .all matches every operation; delete says delete", async () => {
    await ctx.zoho.enable(
      "v8",
      item("1", { events: ["Deals.create"], notify_url: `${receiver.url}/create-only` }),
      item("2", { events: ["Deals.all"], notify_url: `${receiver.url}/all` }),
    );
    const deletes = await ctx.emulator.simulateRecordChange({
      module: "Deals",
      operation: "delete",
      ids: ["7"],
    });
    assert.deepEqual(
      deletes.map((record) => record.channelId),
      ["2"],
    );
    assert.equal(deletes[0]?.body.operation, "delete");
    const creates = await ctx.emulator.simulateRecordChange({
      module: "Deals",
      operation: "create",
      ids: ["8"],
    });
    assert.deepEqual(creates.map((record) => record.channelId).sort(), ["1", "2"]);
    const otherModule = await ctx.emulator.simulateRecordChange({
      module: "Leads",
      operation: "create",
      ids: ["9"],
    });
    assert.deepEqual(otherModule, []);
  });

  it("sends token null when the channel has none", async () => {
    await ctx.zoho.enable("v8", item("1", { notify_url: `${receiver.url}/` }));
    const [record] = await ctx.emulator.simulateRecordChange({
      module: "Leads",
      operation: "create",
      ids: ["1"],
    });
    assert.equal(record?.body.token, null);
    assert.equal((receiver.requests[0]?.body as NotificationBody).token, null);
  });

  it("records but never calls a non-loopback notify_url", async () => {
    await ctx.zoho.enable("v8", item("1", { notify_url: "https://hooks.example.com/zoho?k=v" }));
    const [record] = await ctx.emulator.simulateRecordChange({
      module: "Leads",
      operation: "create",
      ids: ["1"],
    });
    assert.equal(record?.status, "skipped: not loopback");
    assert.equal(record?.delivered, false);
    assert.equal(record?.url, "https://hooks.example.com/zoho?k=v");
    assert.deepEqual(record?.body.query_params, { k: "v" });
  });

  it("treats localhost and all of 127.0.0.0/8 as loopback", async () => {
    const port = new URL(receiver.url).port;
    await ctx.zoho.enable(
      "v8",
      item("1", { notify_url: `http://localhost:${port}/a` }),
      item("2", { notify_url: `http://127.0.0.1:${port}/b` }),
    );
    const records = await ctx.emulator.simulateRecordChange({
      module: "Leads",
      operation: "create",
      ids: ["1"],
    });
    assert.deepEqual(
      records.map((record) => record.delivered),
      [true, true],
    );
  });

  it("stops delivering to a channel once it expired on the emulator clock", async () => {
    await ctx.zoho.enable("v8", item("1", { notify_url: `${receiver.url}/` }));
    await ctx.emulator.advanceClock("PT61M");
    const records = await ctx.emulator.simulateRecordChange({
      module: "Leads",
      operation: "create",
      ids: ["1"],
    });
    assert.deepEqual(records, []);
    assert.equal(receiver.requests.length, 0);
  });

  it("lists deliveries with their emulator time and clears them", async () => {
    await ctx.zoho.enable("v8", item("1", { notify_url: `${receiver.url}/` }));
    const before = await emulatorNow(ctx.emulator);
    await ctx.emulator.simulateRecordChange({ module: "Leads", operation: "create", ids: ["1"] });
    await ctx.emulator.simulateRecordChange({ module: "Leads", operation: "create", ids: ["2"] });
    const deliveries = await ctx.emulator.deliveries();
    assert.deepEqual(
      deliveries.map((record) => record.body.ids),
      [["1"], ["2"]],
    );
    assert.ok(Date.parse(deliveries[0]?.at ?? "") >= before);
    await ctx.emulator.clearDeliveries();
    assert.deepEqual(await ctx.emulator.deliveries(), []);
  });

  it("records a receiver's error status and an unreachable receiver as not delivered", async () => {
    const failing = await new Receiver(500).start();
    try {
      await ctx.zoho.enable(
        "v8",
        item("1", { notify_url: `${failing.url}/` }),
        item("2", { notify_url: "http://127.0.0.1:9/closed-port" }),
      );
      const records = await ctx.emulator.simulateRecordChange({
        module: "Leads",
        operation: "create",
        ids: ["1"],
      });
      assert.equal(records[0]?.status, 500);
      assert.equal(records[0]?.delivered, false);
      assert.match(String(records[1]?.status), /^error: /);
      assert.equal(records[1]?.delivered, false);
    } finally {
      await failing.close();
    }
  });

  it("gives up on a receiver that does not answer within the delivery timeout", async () => {
    const hanging = await new Receiver("hang").start();
    const emulator = await startEmulator({ deliveryTimeoutMs: 200, tokenRateLimit: false });
    try {
      await new ZohoClient(emulator).enable("v8", item("1", { notify_url: `${hanging.url}/` }));
      const [record] = await emulator.simulateRecordChange({
        module: "Leads",
        operation: "create",
        ids: ["1"],
      });
      assert.equal(record?.status, "error: timeout");
      assert.equal(record?.delivered, false);
    } finally {
      await emulator.close();
      await hanging.close();
    }
  });

  it("filters edits through notification_condition: only records whose changed fields satisfy it", async () => {
    await ctx.zoho.enable(
      "v8",
      item("1", {
        events: ["Deals.edit"],
        notify_url: `${receiver.url}/`,
        notification_condition: [
          {
            type: "field_selection",
            module: { api_name: "Deals" },
            field_selection: { group_operator: "or", group: [{ field: { api_name: "Stage" } }] },
          },
        ],
      }),
    );
    const unrelated = await ctx.emulator.simulateRecordChange({
      module: "Deals",
      operation: "edit",
      ids: ["1"],
      values: { "1": { Description: "x" } },
    });
    assert.deepEqual(unrelated, []);
    const [record] = await ctx.emulator.simulateRecordChange({
      module: "Deals",
      operation: "edit",
      ids: ["1", "2"],
      values: { "1": { Description: "x" }, "2": { Stage: "Won" } },
    });
    assert.deepEqual(record?.body.ids, ["2"]);
  });

  it("refuses a record change for a module the org does not have", async () => {
    await assert.rejects(
      ctx.emulator.simulateRecordChange({ module: "Dealz", operation: "create", ids: ["1"] }),
      /not a module/,
    );
  });
});
