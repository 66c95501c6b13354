import assert from "node:assert/strict";
import { DateTime } from "luxon";
import * as z from "zod";
import { channelIdsOf, successEntry, useScriptedZoho, type ScriptedRequest } from "../client/scripted-zoho";
import { clientAt } from "../client/support";
import { inline, type Description, type Method, describeWithDescription } from "./description";

/**
 * The client's requests, as it sends them for every operation, against the request schemas of
 * Zoho's OpenAPI description (read with zod's JSON-schema reader). Where the description and Zoho
 * disagree (emulator README, "Where Zoho's OpenAPI description and Zoho disagree"), the schema is
 * changed by exactly the rows named beside each change, so that anything else the client sends
 * beyond the description fails here.
 */

type Node = Record<string, unknown>;

/** The description's request body schema of `method`, with the documented rows applied. */
function requestSchema(description: Description, method: Method): z.ZodType {
  const operation = description.operations[method.toLowerCase()];
  const body = inline(description, operation?.requestBody?.content["application/json"].schema) as Node;
  const put = inline(
    description,
    description.operations.put?.requestBody?.content["application/json"].schema,
  ) as Node;
  const patch = inline(
    description,
    description.operations.patch?.requestBody?.content["application/json"].schema,
  ) as Node;
  const putItem = (put.properties as Node).watch as Node;
  // Row patch-body: PATCH sends {"watch": [...]} like the other writes; its items are the bare object.
  const envelope: Node =
    method === "PATCH"
      ? {
          type: "object",
          additionalProperties: false,
          required: ["watch"],
          properties: { watch: { ...putItem, items: body } },
        }
      : body;
  const items = ((envelope.properties as Node).watch as Node).items as Node;
  const properties = items.properties as Record<string, Node>;
  // Row item-keys: every write takes the documented keys (POST's list lacks the flags and conditions).
  for (const [key, schema] of Object.entries(
    ((putItem.items as Node).properties ?? {}) as Record<string, Node>,
  )) {
    properties[key] ??= schema;
  }
  // Row delete-events: a PATCH item may carry `"_delete_events": true`, and then only id and events.
  if (method === "PATCH") {
    properties._delete_events = { type: "boolean" };
    items.required = ["channel_id", "events"];
  }
  // Row token-length: at most 50 characters, not 256.
  properties.token = { ...properties.token, maxLength: 50 };
  // Rows put-condition-keys and condition-group-shape: conditions as PATCH describes them, with the
  // documented nested nodes in `field_selection.group` (at most 2 directly, 10 fields in all).
  const condition = structuredClone<Node>(
    ((patch.properties as Node).notification_condition as Node).items as Node,
  );
  const selection = (condition.properties as Record<string, Node>).field_selection!;
  (selection.properties as Record<string, Node>).group = { type: "array", maxItems: 2, items: {} };
  properties.notification_condition = { type: "array", maxItems: 2, items: condition };
  return z.fromJSONSchema(envelope);
}

describeWithDescription(
  "contract: the client's requests keep to Zoho's OpenAPI description",
  (description) => {
    const zoho = useScriptedZoho();
    const expiry = DateTime.utc().plus({ days: 2 }).startOf("second");
    const condition = {
      type: "field_selection" as const,
      module: { apiName: "Deals" },
      fieldSelection: {
        groupOperator: "or" as const,
        group: [
          { field: { apiName: "Stage" } },
          {
            groupOperator: "and" as const,
            group: [{ field: { apiName: "Amount" } }, { field: { apiName: "Owner" } }],
          },
        ],
      },
    };
    const full = {
      channelId: "1105420521999070702",
      events: ["Deals.edit", "Leads.all"],
      notifyUrl: "https://hooks.example.com/zoho?key=k",
      token: "t".repeat(50),
      channelExpiry: expiry,
      notifyOnRelatedAction: true,
      returnAffectedFieldValues: true,
      notificationCondition: [condition],
    };

    beforeEach(() => {
      zoho().answer((request: ScriptedRequest) => {
        if (request.method === "GET") return { status: 204 };
        if (request.method === "DELETE") {
          const ids = new URLSearchParams(request.rawQuery).get("channel_ids")?.split(",") ?? [];
          return { status: 200, body: { watch: ids.map((id) => successEntry(id)) } };
        }
        return { status: 200, body: { watch: channelIdsOf(request).map((id) => successEntry(id)) } };
      });
    });

    function assertKeeps(method: Method, request: ScriptedRequest | undefined): void {
      assert.equal(request?.method, method);
      const parsed = requestSchema(description, method).safeParse(request.json);
      assert.ok(parsed.success, `${method} ${request.body}\n${parsed.error?.message ?? ""}`);
    }

    it("sends POST, PUT and PATCH bodies the description accepts, every key in use", async () => {
      const client = clientAt(zoho().url);
      await client.enable(full);
      await client.update(full);
      await client.patch({ ...full, token: "t" });
      await client.disableEvents({ channelId: full.channelId, events: ["Leads.all"] });
      const [post, put, patch, deleteEvents] = zoho().requests;
      assertKeeps("POST", post);
      assertKeeps("PUT", put);
      assertKeeps("PATCH", patch);
      assertKeeps("PATCH", deleteEvents);
    });

    it("sends a write of 50 items at most per request, as the description's watch maxItems says", async () => {
      const client = clientAt(zoho().url);
      const items = Array.from({ length: 120 }, (_, i) => ({ ...full, channelId: String(1000 + i) }));
      await client.enable(items);
      assert.equal(zoho().requests.length, 3);
      for (const request of zoho().requests) assertKeeps("POST", request);
    });

    it("sends GET and DELETE parameters within the description's lengths", async () => {
      const client = clientAt(zoho().url);
      await client.list({ module: "Deals" });
      const ids = Array.from({ length: 60 }, (_, i) => String(9_000_000_000_000_000_000n + BigInt(i)));
      await client.disable(ids);
      const parameters = description.operations;
      const maxLength = (method: Method, name: string) => {
        const found = (parameters[method.toLowerCase()]?.parameters ?? [])
          .map((raw) => inline(description, raw) as { name: string; schema: { maxLength?: number } })
          .find((parameter) => parameter.name === name);
        assert.ok(found?.schema.maxLength, `${method} ?${name} has a maxLength`);
        return found.schema.maxLength;
      };
      for (const request of zoho().requests) {
        const query = new URLSearchParams(request.rawQuery);
        if (request.method === "GET") {
          assert.ok((query.get("module") ?? "").length <= maxLength("GET", "module"));
        } else {
          assert.equal(request.method, "DELETE");
          assert.ok(
            (query.get("channel_ids") ?? "").length <= maxLength("DELETE", "channel_ids"),
            request.rawQuery,
          );
        }
      }
      assert.ok(
        zoho().requests.filter((r) => r.method === "DELETE").length >= 3,
        "60 long ids take several DELETEs",
      );
    });
  },
);
