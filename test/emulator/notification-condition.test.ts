import assert from "node:assert/strict";
import { item, useEmulator, type Entry } from "./helpers";

function condition(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "field_selection",
    module: { api_name: "Deals" },
    field_selection: { group_operator: "or", group: [{ field: { api_name: "Stage" } }] },
    ...overrides,
  };
}

describe("emulator: notification_condition (v6+)", () => {
  const ctx = useEmulator();

  async function enableWith(
    conditions: unknown,
    version: "v5" | "v6" | "v8" = "v8",
  ): Promise<Entry | undefined> {
    const reply = await ctx.zoho.enable(
      version,
      item("1", { events: ["Deals.edit", "Leads.create"], notification_condition: conditions }),
    );
    return reply.body.watch[0];
  }

  it("stores a valid condition in Zoho's GET shape (ids filled in, leaves with null group), on its module's row", async () => {
    const entry = await enableWith([
      condition({
        field_selection: {
          group_operator: "or",
          group: [
            { field: { api_name: "Stage" } },
            {
              group_operator: "and",
              group: [{ field: { api_name: "Amount" } }, { field: { api_name: "Lead_Source" } }],
            },
          ],
        },
      }),
    ]);
    assert.equal(entry?.status, "success");
    const rows = (await ctx.zoho.list("v8")).body?.watch ?? [];
    const deals = rows.find((row) => row.resource_name === "Deals");
    const leads = rows.find((row) => row.resource_name === "Leads");
    assert.equal(leads?.notification_condition, null);
    const stored = deals?.notification_condition as Array<{
      module: { api_name: string; id: string };
      field_selection: { group: Array<Record<string, unknown>> };
    }>;
    assert.deepEqual(stored[0]?.module, { api_name: "Deals", id: "5725767000000000131" });
    const leaf = stored[0]?.field_selection.group[0];
    assert.equal((leaf?.field as { api_name: string }).api_name, "Stage");
    assert.match((leaf?.field as { id: string }).id, /^\d+$/);
    assert.equal(leaf?.group_operator, null);
    assert.equal(leaf?.group, null);
  });

  it("is ignored before v6", async () => {
    const entry = await enableWith([condition()], "v5");
    assert.equal(entry?.status, "success");
    const [channel] = await ctx.emulator.channels();
    assert.equal(channel?.notificationCondition, null);
  });

  const cases: Array<[string, unknown, string, Record<string, unknown>]> = [
    [
      "a missing type",
      [condition({ type: undefined })],
      "MANDATORY_NOT_FOUND",
      { api_name: "type", json_path: "$.watch[0].notification_condition[0].type" },
    ],
    [
      "an unsupported type",
      [condition({ type: "criteria" })],
      "INVALID_DATA",
      {
        api_name: "type",
        json_path: "$.watch[0].notification_condition[0].type",
        supported_values: ["field_selection"],
      },
    ],
    [
      "a missing field_selection",
      [condition({ field_selection: undefined })],
      "DEPENDENT_FIELD_MISSING",
      {
        api_name: "field_selection",
        json_path: "$.watch[0].notification_condition[0].field_selection",
        dependee: { api_name: "type", json_path: "$.watch[0].notification_condition[0].type" },
      },
    ],
    [
      "a module with neither api_name nor id",
      [condition({ module: {} })],
      "EXPECTED_FIELD_MISSING",
      {
        expected_fields: [
          { api_name: "api_name", json_path: "$.watch[0].notification_condition[0].module.api_name" },
          { api_name: "id", json_path: "$.watch[0].notification_condition[0].module.id" },
        ],
      },
    ],
    [
      "a module whose api_name and id disagree",
      [condition({ module: { api_name: "Deals", id: "5725767000000000125" } })],
      "AMBIGUITY_DURING_PROCESSING",
      {
        ambiguity_due_to: [
          { api_name: "api_name", json_path: "$.watch[0].notification_condition[0].module.api_name" },
          { api_name: "id", json_path: "$.watch[0].notification_condition[0].module.id" },
        ],
      },
    ],
    [
      "a module the events do not name",
      [condition({ module: { api_name: "Contacts" } })],
      "INVALID_DATA",
      { api_name: "module", json_path: "$.watch[0].notification_condition[0].module" },
    ],
    [
      "a missing group_operator",
      [condition({ field_selection: { group: [{ field: { api_name: "Stage" } }] } })],
      "MANDATORY_NOT_FOUND",
      {
        api_name: "group_operator",
        json_path: "$.watch[0].notification_condition[0].field_selection.group_operator",
      },
    ],
    [
      "more than 2 objects in a field_selection",
      [
        condition({
          field_selection: {
            group_operator: "or",
            group: [{ field: { api_name: "A" } }, { field: { api_name: "B" } }, { field: { api_name: "C" } }],
          },
        }),
      ],
      "INVALID_DATA",
      {
        api_name: "group",
        json_path: "$.watch[0].notification_condition[0].field_selection.group",
        maximum_length: 2,
      },
    ],
    [
      "more than 10 fields in all",
      [
        condition({
          field_selection: {
            group_operator: "or",
            group: [
              {
                group_operator: "or",
                group: ["A", "B", "C", "D", "E", "F"].map((name) => ({ field: { api_name: name } })),
              },
              {
                group_operator: "or",
                group: ["G", "H", "I", "J", "K"].map((name) => ({ field: { api_name: name } })),
              },
            ],
          },
        }),
      ],
      "INVALID_DATA",
      {
        api_name: "field_selection",
        json_path: "$.watch[0].notification_condition[0].field_selection",
        maximum_length: 10,
      },
    ],
  ];

  for (const [what, conditions, code, details] of cases) {
    it(`answers ${code} for ${what}`, async () => {
      const entry = await enableWith(JSON.parse(JSON.stringify(conditions)));
      assert.equal(entry?.code, code);
      assert.deepEqual(entry?.details, details);
    });
  }
});
