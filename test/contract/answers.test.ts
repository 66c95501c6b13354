import assert from "node:assert/strict";
import * as z from "zod";
import { item, useEmulator, type Reply } from "../emulator/helpers";
import { inline, type Description, type Method, describeWithDescription } from "./description";

/**
 * The emulator's answers, method by method and status by status, against the response schemas of
 * Zoho's OpenAPI description (read with zod's JSON-schema reader). Where the description and Zoho
 * disagree (emulator README, "Where Zoho's OpenAPI description and Zoho disagree"), the schema is
 * widened by exactly that row, named beside the change, and nothing else.
 */

/** Codes Zoho is documented to answer that the description's enum lacks (row `error-codes`). */
const DOCUMENTED_CODES = ["INVALID_TOKEN", "TOO_MANY_REQUESTS", "REQUIRED_PARAM_MISSING"];

/** The description's schema of `method`'s answer with `status`, with the documented rows applied. */
function answerSchema(description: Description, method: Method, status: number): z.ZodType {
  const operation = description.operations[method.toLowerCase()];
  const response = operation?.responses[String(status)];
  assert.ok(response, `the description has a ${status} answer for ${method}`);
  const schema = inline(description, response) as { content: { "application/json": { schema: unknown } } };
  const widened = JSON.parse(
    JSON.stringify(schema.content["application/json"].schema),
    (key, value: unknown) =>
      key === "enum" && Array.isArray(value) && value.includes("INVALID_DATA")
        ? [...(value as string[]), ...DOCUMENTED_CODES]
        : value,
  ) as Parameters<typeof z.fromJSONSchema>[0];
  return z.fromJSONSchema(widened);
}

function assertShape(description: Description, method: Method, reply: Reply<unknown>, status: number): void {
  assert.equal(reply.status, status, `${method}: ${reply.text}`);
  const parsed = answerSchema(description, method, status).safeParse(reply.body);
  assert.ok(parsed.success, `${method} ${status}: ${reply.text}\n${parsed.error?.message ?? ""}`);
}

describeWithDescription(
  "contract: the emulator answers in the shapes of Zoho's OpenAPI description",
  (description) => {
    const ctx = useEmulator({ tokenRateLimit: false, concurrencyLimit: null });
    const condition = {
      type: "field_selection",
      module: { api_name: "Deals" },
      field_selection: { group_operator: "or", group: [{ field: { api_name: "Stage" } }] },
    };

    it("answers every write's success in the description's shape (201, 200)", async () => {
      const channel = item("1", { events: ["Deals.edit", "Leads.all"], notification_condition: [condition] });
      assertShape(description, "POST", await ctx.zoho.enable("v8", channel), 201);
      assertShape(description, "PUT", await ctx.zoho.replace("v8", channel), 200);
      assertShape(description, "PATCH", await ctx.zoho.patch("v8", { ...channel, token: "t" }), 200);
      assertShape(description, "GET", await ctx.zoho.list("v8"), 200);
      assertShape(description, "DELETE", await ctx.zoho.disable("v8", "1"), 200);
    });

    it("answers a mixed batch with 207 in the description's shape, for every write", async () => {
      await ctx.zoho.enable("v8", item("1"));
      const mixed = [item("1"), item("2", { events: ["Dealz.create"] })];
      assertShape(description, "POST", await ctx.zoho.enable("v8", ...mixed), 207);
      assertShape(description, "PUT", await ctx.zoho.replace("v8", ...mixed), 207);
      assertShape(description, "PATCH", await ctx.zoho.patch("v8", ...mixed), 207);
      assertShape(description, "DELETE", await ctx.zoho.disable("v8", "1,2"), 207);
    });

    it("answers refusals with 400 in the description's shape, for every method", async () => {
      const bad = item("1", { events: Array.from({ length: 51 }, (_, i) => `Module_${i}__c.edit`) });
      assertShape(description, "POST", await ctx.zoho.enable("v8", bad), 400);
      assertShape(description, "PUT", await ctx.zoho.replace("v8", item("9")), 400);
      assertShape(
        description,
        "PATCH",
        await ctx.zoho.watch("PATCH", "v8", { body: { watch: [], x: 1 } }),
        400,
      );
      assertShape(description, "GET", await ctx.zoho.list("v8", { module: `${"M".repeat(62)}__c` }), 400);
      assertShape(description, "GET", await ctx.zoho.list("v8", { channel_id: "x" }), 400);
      assertShape(description, "DELETE", await ctx.zoho.disable("v8"), 400);
      assertShape(description, "DELETE", await ctx.zoho.disable("v8", "1,".repeat(300)), 400);
    });

    it("answers a bad access token with 401, and 429 and 500 faults, in the description's shapes", async () => {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
        const body = method === "GET" || method === "DELETE" ? undefined : { watch: [item("1")] };
        assertShape(description, method, await ctx.zoho.watch(method, "v8", { body, auth: "expired" }), 401);
      }
      await ctx.zoho.token(); // the faults below answer the next API request, not the token endpoint
      for (const code of ["TOO_MANY_REQUESTS", "RATE_LIMIT_EXCEEDED"] as const) {
        await ctx.emulator.injectFault({ kind: "status", status: 429, code, times: 1 });
        assertShape(description, "POST", await ctx.zoho.enable("v8", item("1")), 429);
      }
      await ctx.emulator.injectFault({ kind: "status", status: 500, times: 1 });
      assertShape(description, "GET", await ctx.zoho.list("v8"), 500);
    });

    it("answers an empty GET with 204 and no body (row empty-get-204), not the description's 200", async () => {
      const reply = await ctx.zoho.list("v8");
      assert.equal(reply.status, 204);
      assert.equal(reply.text, "");
    });
  },
);
