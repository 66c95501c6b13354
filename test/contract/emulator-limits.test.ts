import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { STANDARD_MODULES } from "../../emulator/shared/modules";
import { item, useEmulator, type ZohoClient } from "../emulator/helpers";
import {
  DEVIATIONS,
  constraintId,
  constraintsOf,
  itemPath,
  type Constraint,
  type Method,
  describeWithDescription,
} from "./description";

/**
 * The emulator against every request constraint of Zoho's OpenAPI description, generated from the
 * description file: at each limit the largest allowed value is not refused for that limit (and is
 * accepted where nothing else is wrong with it), one more is refused with INVALID_DATA naming the
 * path and the limit, and a key the description does not allow is refused. Where the description
 * contradicts what Zoho is documented to do, the probe tests what Zoho does (README table).
 */

type Body = Record<string, unknown>;
interface Answer {
  status: number;
  body: unknown;
}

/** The error for one request: the entry of a write's first item, or the whole-body error. */
function errorOf(answer: Answer): Body | undefined {
  const body = answer.body as Body | undefined;
  const entry = Array.isArray(body?.watch) ? (body.watch as Body[])[0] : body;
  return entry?.status === "error" ? entry : undefined;
}

function detailsOf(answer: Answer): Body {
  return (errorOf(answer)?.details ?? {}) as Body;
}

/** Refused for exceeding `limit` at `where` (a json path, or a query parameter's name). */
function assertRefusedFor(answer: Answer, where: string, limit: number, what: string): void {
  const error = errorOf(answer);
  assert.equal(error?.code, "INVALID_DATA", `${what}: ${JSON.stringify(answer.body)}`);
  const details = detailsOf(answer);
  assert.equal(details.json_path ?? details.api_name, where, what);
  assert.equal(details.maximum_length, limit, what);
}

/** Not refused for its size at `where` (another rule may still refuse it). */
function assertNotRefusedFor(answer: Answer, where: string, what: string): void {
  const details = detailsOf(answer);
  const here = (details.json_path ?? details.api_name) === where;
  assert.ok(!(here && details.maximum_length !== undefined), `${what}: ${JSON.stringify(answer.body)}`);
}

function assertAccepted(answer: Answer, what: string): void {
  assert.ok(answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  assert.equal(errorOf(answer), undefined, what);
}

/** An empty emulator between two sizes of one probe (its tokens go too). */
async function fresh(zoho: ZohoClient): Promise<void> {
  await zoho.emulator.reset();
  zoho.forgetToken();
}

const ids = (count: number, from = 1) => Array.from({ length: count }, (_, i) => String(from + i));

/** The emulator's standard modules: 19, so 57 distinct events, enough for lists of up to 51. */
const MODULES = [...STANDARD_MODULES];
const EVENTS = MODULES.flatMap((module) => ["create", "edit", "delete"].map((op) => `${module}.${op}`));

/** A condition on `module` selecting `fields` (one group; nested in pairs past two). */
function condition(
  module: string,
  overrides: Body = {},
  group: unknown[] = [{ field: { api_name: "Stage" } }],
) {
  return {
    type: "field_selection",
    module: { api_name: module },
    field_selection: { group_operator: "or", group },
    ...overrides,
  };
}

/** A custom module API name of exactly `length` characters. */
const customModule = (length: number) => `${"M".repeat(length - 3)}__c`;

type Write = Exclude<Method, "GET" | "DELETE">;

/** Sends one write of `items` with `method`; PUT and PATCH first create the channels they change. */
async function write(zoho: ZohoClient, method: Write, items: Body[], extra: Body = {}): Promise<Answer> {
  if (method !== "POST") {
    for (let start = 0; start < items.length; start += 50) {
      const batch = items.slice(start, start + 50).map((one) => item(String(one.channel_id)));
      assert.equal((await zoho.enable("v8", ...batch)).status, 201, "creating the channels to change");
    }
  }
  return zoho.watch(method, "v8", { body: { watch: items, ...extra } });
}

/** How one constraint is probed, by its item path and kind (`watch[].events maxItems`). */
type Probe = (zoho: ZohoClient, constraint: Constraint) => Promise<void>;

/** A size probe: `build(n)` makes an item whose constrained value has size n. */
function sized(jsonPath: string, build: (n: number) => Body, acceptedAtLimit = true): Probe {
  return async (zoho, constraint) => {
    const method = constraint.method as Write;
    const limit = constraint.limit ?? 0;
    const at = await write(zoho, method, [build(limit)]);
    assertNotRefusedFor(at, jsonPath, `${constraintId(constraint)} at ${limit}`);
    if (acceptedAtLimit) assertAccepted(at, `${constraintId(constraint)} at ${limit}`);
    await fresh(zoho);
    const over = await write(zoho, method, [build(limit + 1)]);
    assertRefusedFor(over, jsonPath, limit, `${constraintId(constraint)} at ${limit + 1}`);
  };
}

/** An unknown-key probe: `place(key)` puts an unknown key where the constraint applies. */
function closed(jsonPath: (key: string) => string, place: (key: string) => Body): Probe {
  return async (zoho, constraint) => {
    const method = constraint.method as Write;
    const refused = await write(zoho, method, [place("colour")]);
    const error = errorOf(refused);
    assert.equal(error?.code, "INVALID_DATA", constraintId(constraint));
    assert.deepEqual(detailsOf(refused), { api_name: "colour", json_path: jsonPath("colour") });
  };
}

const PROBES: Record<string, Probe> = {
  "(body) additionalProperties": async (zoho, constraint) => {
    const answer = await write(zoho, constraint.method as Write, [item("1")], { colour: "blue" });
    assert.equal(answer.status, 400);
    assert.deepEqual(detailsOf(answer), { api_name: "colour", json_path: "$.colour" });
  },
  "watch maxItems": async (zoho, constraint) => {
    const limit = constraint.limit ?? 0;
    const method = constraint.method as Write;
    assertAccepted(
      await write(
        zoho,
        method,
        ids(limit).map((id) => item(id)),
      ),
      `${limit} items`,
    );
    await fresh(zoho);
    const over = await write(
      zoho,
      method,
      ids(limit + 1).map((id) => item(id)),
    );
    assertRefusedFor(over, "$.watch", limit, `${limit + 1} items`);
  },
  // Every key the description allows is accepted; any other is refused. The emulator allows the
  // same documented keys on every write (deviation item-keys).
  "watch[] additionalProperties": async (zoho, constraint) => {
    const values: Body = {
      channel_id: "1",
      notify_url: "http://127.0.0.1:9/hook",
      events: ["Deals.edit"],
      channel_expiry: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      token: "t",
      notify_on_related_action: true,
      return_affected_field_values: true,
      notification_condition: [condition("Deals")],
    };
    const everyKey = Object.fromEntries((constraint.keys ?? []).map((key) => [key, values[key]]));
    assertAccepted(await write(zoho, constraint.method as Write, [everyKey]), "every allowed key");
    await closed(
      (key) => `$.watch[0].${key}`,
      (key) => item("1", { [key]: "blue" }),
    )(zoho, constraint);
  },
  "watch[].notify_url maxLength": sized("$.watch[0].notify_url", (n) =>
    item("1", { notify_url: `http://127.0.0.1:9/${"a".repeat(n - 19)}` }),
  ),
  // Deviation token-length: Zoho's pages say 50 characters and answer INVALID_DATA past them.
  "watch[].token maxLength": async (zoho, constraint) => {
    await sized("$.watch[0].token", (n) => item("1", { token: "t".repeat(n) }))(zoho, {
      ...constraint,
      limit: 50,
    });
  },
  // Deviation channel-id-type: a Java long, whatever the string's length.
  "watch[].channel_id maxLength": async (zoho, constraint) => {
    const method = constraint.method as Write;
    assertAccepted(await write(zoho, method, [item("9223372036854775807")]), "the largest long");
    await fresh(zoho);
    for (const id of ["9223372036854775808", "1".repeat(constraint.limit ?? 64)]) {
      const refused = await zoho.watch(method, "v8", { body: { watch: [item(id)] } });
      assert.deepEqual(detailsOf(refused), {
        api_name: "channel_id",
        json_path: "$.watch[0].channel_id",
        expected_data_type: "long",
      });
    }
  },
  "watch[].events maxItems": sized("$.watch[0].events", (n) => item("1", { events: EVENTS.slice(0, n) })),
  // At 128 characters an event names a module longer than the 64 a module API name may have, so
  // the largest event of the description is refused, but as an unknown module, not for its length.
  "watch[].events[] maxLength": sized(
    "$.watch[0].events[0]",
    (n) => item("1", { events: [`${customModule(n - ".create".length)}.create`] }),
    false,
  ),
  "watch[].notification_condition maxItems": sized("$.watch[0].notification_condition", (n) =>
    item("1", {
      events: MODULES.slice(0, n).map((module) => `${module}.edit`),
      notification_condition: MODULES.slice(0, n).map((module) => condition(module)),
    }),
  ),
  // Deviation put-condition-keys: Zoho documents type, module and field_selection on every write.
  "watch[].notification_condition[] additionalProperties": closed(
    (key) => `$.watch[0].notification_condition[0].${key}`,
    (key) =>
      item("1", { events: ["Deals.edit"], notification_condition: [condition("Deals", { [key]: 1 })] }),
  ),
  "watch[].notification_condition[].module additionalProperties": closed(
    (key) => `$.watch[0].notification_condition[0].module.${key}`,
    (key) =>
      item("1", {
        events: ["Deals.edit"],
        notification_condition: [condition("Deals", { module: { api_name: "Deals", [key]: 1 } })],
      }),
  ),
  "watch[].notification_condition[].module.api_name maxLength": sized(
    "$.watch[0].notification_condition[0].module.api_name",
    (n) =>
      item("1", {
        events: ["Deals.edit", ...(n <= 64 ? [`${customModule(n)}.edit`] : [])],
        notification_condition: [condition(customModule(n))],
      }),
  ),
  // A module id of 32 digits is not a module of the org: refused, but not for its length.
  "watch[].notification_condition[].module.id maxLength": sized(
    "$.watch[0].notification_condition[0].module.id",
    (n) =>
      item("1", {
        events: ["Deals.edit"],
        notification_condition: [condition("Deals", { module: { id: "7".repeat(n) } })],
      }),
    false,
  ),
  "watch[].notification_condition[].field_selection additionalProperties": closed(
    (key) => `$.watch[0].notification_condition[0].field_selection.${key}`,
    (key) =>
      item("1", {
        events: ["Deals.edit"],
        notification_condition: [
          condition("Deals", {
            field_selection: { group_operator: "or", group: [{ field: { api_name: "Stage" } }], [key]: 1 },
          }),
        ],
      }),
  ),
  // Deviation condition-group-shape: Zoho documents nested nodes, at most 2 directly in a
  // field_selection and 10 fields in all; the description's flat list of 10 contradicts both.
  "watch[].notification_condition[].field_selection.group maxItems": async (zoho, constraint) => {
    const at = "$.watch[0].notification_condition[0].field_selection";
    const leaf = (i: number) => ({ field: { api_name: `Field_${i}` } });
    const pair = (a: number, b: number) => ({ group_operator: "and", group: [leaf(a), leaf(b)] });
    const withGroup = (group: unknown[]) =>
      item("1", { events: ["Deals.edit"], notification_condition: [condition("Deals", {}, group)] });
    const method = constraint.method as Write;
    assertAccepted(await write(zoho, method, [withGroup([leaf(1), leaf(2)])]), "2 entries");
    await fresh(zoho);
    assertRefusedFor(
      await write(zoho, method, [withGroup([leaf(1), leaf(2), leaf(3)])]),
      `${at}.group`,
      2,
      "3",
    );
    await fresh(zoho);
    // Ten fields in nested pairs are allowed; an eleventh is refused.
    const ten = [
      {
        group_operator: "or",
        group: [pair(1, 2), { group_operator: "or", group: [pair(3, 4), pair(5, 6)] }],
      },
      { group_operator: "or", group: [pair(7, 8), pair(9, 10)] },
    ];
    assertAccepted(await write(zoho, method, [withGroup(ten)]), "10 fields");
    await fresh(zoho);
    const eleven = [
      ten[0],
      { group_operator: "or", group: [pair(7, 8), { group_operator: "or", group: [pair(9, 10), leaf(11)] }] },
    ];
    assertRefusedFor(await write(zoho, method, [withGroup(eleven)]), at, 10, "11 fields");
  },
  // The flat items of the description are the documented nodes: {field}, or {group_operator, group}.
  "watch[].notification_condition[].field_selection.group[] additionalProperties": closed(
    (key) => `$.watch[0].notification_condition[0].field_selection.group[0].${key}`,
    (key) =>
      item("1", {
        events: ["Deals.edit"],
        notification_condition: [condition("Deals", {}, [{ field: { api_name: "Stage" }, [key]: 1 }])],
      }),
  ),
  "watch[].notification_condition[].field_selection.group[].api_name maxLength": sized(
    "$.watch[0].notification_condition[0].field_selection.group[0].field.api_name",
    (n) =>
      item("1", {
        events: ["Deals.edit"],
        notification_condition: [condition("Deals", {}, [{ field: { api_name: "F".repeat(n) } }])],
      }),
  ),
  "watch[].notification_condition[].field_selection.group[].id maxLength": sized(
    "$.watch[0].notification_condition[0].field_selection.group[0].field.id",
    (n) =>
      item("1", {
        events: ["Deals.edit"],
        notification_condition: [
          condition("Deals", {}, [{ field: { api_name: "Stage", id: "7".repeat(n) } }]),
        ],
      }),
  ),
  "GET ?module maxLength": async (zoho, constraint) => {
    const limit = constraint.limit ?? 0;
    const at = await zoho.list("v8", { module: customModule(limit) });
    assert.equal(at.status, 204, "a module name at the limit is read (no channel on it)");
    const over = await zoho.list("v8", { module: customModule(limit + 1) });
    assertRefusedFor(over, "module", limit, "one more");
  },
  // Deviation get-channel-id-type: an id is a Java long; 64 characters are refused as not one.
  "GET ?channel_id maxLength": async (zoho, constraint) => {
    const limit = constraint.limit ?? 0;
    assert.equal((await zoho.list("v8", { channel_id: "9223372036854775807" })).status, 204);
    const long = await zoho.list("v8", { channel_id: "1".repeat(limit) });
    assert.deepEqual(detailsOf(long), { api_name: "channel_id", expected_data_type: "long" });
    assertRefusedFor(
      await zoho.list("v8", { channel_id: "1".repeat(limit + 1) }),
      "channel_id",
      limit,
      "over",
    );
  },
  // Deviation patch-channel-id-param: Zoho's pages and SDKs name the channel in the body; the
  // parameter is read by nothing, so it changes nothing.
  "PATCH ?channel_id maxLength": async (zoho, constraint) => {
    await zoho.enable("v8", item("1"));
    const answer = await zoho.watch("PATCH", "v8", {
      query: { channel_id: "1".repeat((constraint.limit ?? 0) + 1) },
      body: { watch: [item("1", { token: "t" })] },
    });
    assertAccepted(answer, "PATCH with a long channel_id parameter");
  },
  "DELETE ?channel_ids maxLength": async (zoho, constraint) => {
    const limit = constraint.limit ?? 0;
    // "11,1,1,...": exactly `limit` characters of (repeated) valid ids.
    const list = (n: number) => `${"1".repeat(2 - (n % 2))},1`.padEnd(n, ",1").slice(0, n);
    assert.equal(list(limit).length, limit);
    assertNotRefusedFor(await zoho.disable("v8", list(limit)), "channel_ids", "at the limit");
    assertRefusedFor(await zoho.disable("v8", list(limit + 1)), "channel_ids", limit, "one more");
  },
};

/** The probe of a constraint: by method for query parameters, by item path for bodies. */
function probeKey(constraint: Constraint): string {
  const at = itemPath(constraint);
  return at.startsWith("?")
    ? `${constraint.method} ${at} ${constraint.kind}`
    : `${at || "(body)"} ${constraint.kind}`;
}

describeWithDescription(
  "contract: the emulator keeps every request limit of Zoho's OpenAPI description",
  (description) => {
    const ctx = useEmulator({ tokenRateLimit: false, concurrencyLimit: null });
    const constraints = constraintsOf(description);

    it("finds the description's constraints, each with a probe", () => {
      assert.ok(constraints.length >= 30, `${constraints.length} constraints in ${description.file}`);
      const unprobed = constraints.filter((constraint) => !PROBES[probeKey(constraint)]).map(constraintId);
      assert.deepEqual(unprobed, [], "constraints of the description that no probe tests: add a probe");
    });

    for (const constraint of constraints) {
      const probe = PROBES[probeKey(constraint)];
      if (!probe) continue;
      const limit = constraint.limit === undefined ? "" : ` ${constraint.limit}`;
      it(`${constraintId(constraint)}${limit}`, () => probe(ctx.zoho, constraint));
    }

    it("lists, in the emulator README, each place where the description and Zoho disagree", () => {
      const readme = readFileSync(path.resolve(__dirname, "..", "..", "..", "emulator", "README.md"), "utf8");
      const section = readme
        .split("### Where Zoho's OpenAPI description and Zoho disagree")[1]
        ?.split("\n## ")[0];
      assert.ok(section, "the README has the section");
      const rows = [...section.matchAll(/^\| `([a-z0-9-]+)`\s*\|/gm)].map((match) => match[1]);
      assert.deepEqual(
        rows.sort(),
        DEVIATIONS.map((deviation) => deviation.id).sort(),
        "README rows of the disagreement table",
      );
    });
  },
);
