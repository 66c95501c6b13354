/**
 * The edge: input validation, camelCase → snake_case, channel ids as strings, expiry formatting,
 * and reading answers without rounding ids. Pure: no server.
 */
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import {
  ChannelIdSchema,
  DisableEventsItemSchema,
  EnableItemSchema,
  formatExpiry,
  parseExpiry,
  PatchItemSchema,
  type PatchItem,
} from "../../provider/client";
import { parseZohoJson } from "../../provider/client/json";

const BIG = "1105420521999070702";

describe("schemas and wire format", () => {
  it("keeps channel ids as exact decimal strings from string, bigint and safe number", () => {
    assert.equal(ChannelIdSchema.parse(BIG), BIG);
    assert.equal(ChannelIdSchema.parse(1105420521999070702n), BIG);
    assert.equal(ChannelIdSchema.parse(1000000068001), "1000000068001");
  });

  it("refuses a channel id number above 2^53 (already rounded), leading zeros and non-digits", () => {
    const unsafe = ChannelIdSchema.safeParse(2 ** 53 + 2);
    assert.equal(unsafe.success, false);
    assert.match(unsafe.error?.issues[0]?.message ?? "", /string or bigint/);
    for (const bad of ["007", "12a", "-5", "", "99999999999999999999"]) {
      assert.equal(ChannelIdSchema.safeParse(bad).success, false, bad);
    }
  });

  it("reads numeric channel_id values in answers without rounding them", () => {
    const parsed = parseZohoJson(
      `{"watch":[{"channel_id":${BIG},"resource_id":5725767000000002175,"n":1.5}]}`,
    ) as {
      watch: Array<Record<string, unknown>>;
    };
    assert.equal(parsed.watch[0]?.["channel_id"], BIG);
    assert.equal(parsed.watch[0]?.["resource_id"], "5725767000000002175");
    assert.equal(parsed.watch[0]?.["n"], 1.5);
  });

  it("sends channel_expiry in whole seconds with an offset, truncating milliseconds", () => {
    const dt = DateTime.fromISO("2030-01-02T03:04:05.987+05:30", { setZone: true });
    assert.equal(formatExpiry(dt), "2030-01-02T03:04:05+05:30");
    assert.equal(
      formatExpiry(DateTime.fromISO("2030-01-02T03:04:05Z", { setZone: true })),
      "2030-01-02T03:04:05+00:00",
    );
    const wire = EnableItemSchema.parse({
      channelId: 1n,
      events: ["Leads.create"],
      notifyUrl: "https://example.test/hook",
      channelExpiry: "2030-01-02T03:04:05.500-11:00",
    });
    assert.equal(wire.channel_expiry, "2030-01-02T03:04:05-11:00");
  });

  it("parses expiries with any offset and keeps that offset", () => {
    const dt = parseExpiry("2030-01-02T03:04:05-11:00");
    assert.equal(dt.offset, -11 * 60);
    assert.equal(dt.toUTC().toISO({ suppressMilliseconds: true }), "2030-01-02T14:04:05Z");
  });

  it("refuses an expiry string without offset (its instant would depend on the machine)", () => {
    const result = EnableItemSchema.safeParse({
      channelId: "1",
      events: ["Leads.create"],
      notifyUrl: "https://example.test/hook",
      channelExpiry: "2030-01-02T03:04:05",
    });
    assert.equal(result.success, false);
    assert.match(JSON.stringify(result.error?.issues), /offset/);
  });

  it("maps camelCase inputs to the snake_case wire keys", () => {
    const wire = EnableItemSchema.parse({
      channelId: BIG,
      events: ["Deals.edit"],
      notifyUrl: "https://example.test/hook",
      token: "tok",
      notifyOnRelatedAction: true,
      returnAffectedFieldValues: true,
      notificationCondition: [
        {
          type: "field_selection",
          module: { apiName: "Deals" },
          fieldSelection: {
            groupOperator: "or",
            group: [{ field: { apiName: "Stage" } }, { field: { apiName: "Amount" } }],
          },
        },
      ],
    });
    assert.deepEqual(wire, {
      channel_id: BIG,
      events: ["Deals.edit"],
      notify_url: "https://example.test/hook",
      token: "tok",
      notify_on_related_action: true,
      return_affected_field_values: true,
      notification_condition: [
        {
          type: "field_selection",
          module: { api_name: "Deals" },
          field_selection: {
            group_operator: "or",
            group: [{ field: { api_name: "Stage" } }, { field: { api_name: "Amount" } }],
          },
        },
      ],
    });
  });

  it("refuses snake_case keys, bad events and tokens over 50 characters before sending", () => {
    const result = EnableItemSchema.safeParse({
      channelId: "1",
      events: ["Leads.insert"],
      notify_url: "https://example.test/hook",
      token: "x".repeat(51),
    });
    assert.equal(result.success, false);
    const paths = (result.error?.issues ?? []).map((i) => i.path.join("."));
    assert.ok(paths.includes("events.0"), paths.join());
    assert.ok(paths.includes("token"), paths.join());
    assert.ok(paths.includes("notifyUrl") || paths.includes(""), paths.join());
  });

  it("requires events and token on every PATCH item, at run time and at the type level", () => {
    // @ts-expect-error: a PATCH item without token does not type-check
    const noToken: PatchItem = { channelId: "1", events: ["Leads.create"] };
    // @ts-expect-error: a PATCH item without events does not type-check
    const noEvents: PatchItem = { channelId: "1", token: "t" };
    const missingToken = PatchItemSchema.safeParse(noToken);
    assert.equal(missingToken.success, false);
    assert.match(missingToken.error?.issues[0]?.message ?? "", /token is required on PATCH/);
    assert.equal(PatchItemSchema.safeParse(noEvents).success, false);
    assert.equal(PatchItemSchema.safeParse({ channelId: "1", events: [], token: "t" }).success, false);
  });

  it("sends a PATCH with token null as no token (an explicit clear) and always sends events", () => {
    assert.deepEqual(PatchItemSchema.parse({ channelId: "5", events: ["Leads.all"], token: null }), {
      channel_id: "5",
      events: ["Leads.all"],
    });
    assert.deepEqual(PatchItemSchema.parse({ channelId: "5", events: ["Leads.all"], token: "keep" }), {
      channel_id: "5",
      events: ["Leads.all"],
      token: "keep",
    });
  });

  it("marks disable-events items with _delete_events: true", () => {
    assert.deepEqual(DisableEventsItemSchema.parse({ channelId: 9n, events: ["Leads.edit"] }), {
      channel_id: "9",
      events: ["Leads.edit"],
      _delete_events: true,
    });
  });
});
