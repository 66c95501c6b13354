import assert from "node:assert/strict";
import { checkInputs, type CheckFailure } from "../../provider/channel/inputs";
import { STANDARD_MODULES } from "../../provider/zoho/rules";
import {
  constraintId,
  constraintsOf,
  itemPath,
  type Constraint,
  describeWithDescription,
} from "./description";

/**
 * The resource's `check` against every request constraint of Zoho's OpenAPI description that a
 * WatchChannel input can break, generated from the description file: the largest allowed value is
 * not refused for that limit (and passes where nothing else is wrong), one more is refused with a
 * failure naming the property, the limit and the value's size. `check` makes no API call at all,
 * so each refusal happens at preview with zero calls (test/e2e/watch-channel.test.ts shows it
 * through the real CLI).
 */

const valid = {
  channelId: "1105420521999070702",
  events: ["Deals.edit"],
  notifyUrl: "https://hooks.example.com/zoho",
};

/** The provider's standard modules: 19, so 57 distinct events, enough for lists of up to 51. */
const MODULES = [...STANDARD_MODULES];
const EVENTS = MODULES.flatMap((module) => ["create", "edit", "delete"].map((op) => `${module}.${op}`));

const customModule = (length: number) => `${"M".repeat(length - 3)}__c`;

const condition = (module: string, overrides: Record<string, unknown> = {}, group?: unknown[]) => ({
  type: "field_selection",
  module: { apiName: module },
  fieldSelection: { groupOperator: "or", group: group ?? [{ field: { apiName: "Stage" } }] },
  ...overrides,
});

function failuresOf(news: Record<string, unknown>): CheckFailure[] {
  return checkInputs({ ...valid, ...news }, "v8").failures;
}

/** How one constraint reaches a WatchChannel input: a property and inputs of a given size. */
interface InputProbe {
  property: string;
  build: (n: number) => Record<string, unknown>;
  /** The limit `check` holds the input to, when Zoho documents another than the description. */
  limit?: number;
  /** False where another, stricter rule refuses the largest value the description allows. */
  acceptedAtLimit?: boolean;
}

/** How a constraint that no single input can break is kept, with the test that shows it. */
type Elsewhere = { elsewhere: string };

const PROBES: Record<string, InputProbe | Elsewhere> = {
  "watch maxItems": {
    elsewhere: "the client writes at most 50 items per request (test/client/limits.test.ts)",
  },
  "?channel_ids maxLength": {
    elsewhere: "the client splits a DELETE's ids at 512 characters (test/client/limits.test.ts)",
  },
  "(body) additionalProperties": { elsewhere: "the client builds the body (test/client/schemas.test.ts)" },
  "watch[] additionalProperties": {
    property: "colour",
    build: (n) => (n > 0 ? { colour: "blue" } : {}),
  },
  "watch[].notify_url maxLength": {
    property: "notifyUrl",
    build: (n) => ({ notifyUrl: `https://hooks.example.com/${"a".repeat(n - 26)}` }),
  },
  // Zoho's pages: at most 50 characters (emulator README, token-length).
  "watch[].token maxLength": { property: "token", limit: 50, build: (n) => ({ token: "t".repeat(n) }) },
  // A Java long, whatever the string's length (channel-id-type).
  "watch[].channel_id maxLength": {
    property: "channelId",
    limit: 19,
    build: (n) => ({ channelId: n <= 19 ? "9223372036854775807".slice(0, n) : "9".repeat(n) }),
  },
  "?channel_id maxLength": {
    elsewhere: "channelId is a Java long of at most 19 digits (the channel_id probe above)",
  },
  "watch[].events maxItems": { property: "events", build: (n) => ({ events: EVENTS.slice(0, n) }) },
  "watch[].events[] maxLength": {
    property: "events[0]",
    build: (n) => ({ events: [`${customModule(n - ".edit".length)}.edit`] }),
    acceptedAtLimit: false,
  },
  "?module maxLength": {
    property: "events[0]",
    build: (n) => ({ events: [`${customModule(n)}.edit`] }),
  },
  "watch[].notification_condition maxItems": {
    property: "notificationCondition",
    build: (n) => ({
      events: MODULES.slice(0, n).map((module) => `${module}.edit`),
      notificationCondition: MODULES.slice(0, n).map((module) => condition(module)),
    }),
  },
  "watch[].notification_condition[] additionalProperties": {
    property: "notificationCondition[0]",
    build: (n) => ({ notificationCondition: [condition("Deals", n > 0 ? { colour: 1 } : {})] }),
  },
  "watch[].notification_condition[].module additionalProperties": {
    property: "notificationCondition[0].module",
    build: (n) => ({
      notificationCondition: [
        condition("Deals", { module: { apiName: "Deals", ...(n > 0 ? { colour: 1 } : {}) } }),
      ],
    }),
  },
  "watch[].notification_condition[].module.api_name maxLength": {
    property: "notificationCondition[0].module.apiName",
    build: (n) => ({ events: ["Deals.edit"], notificationCondition: [condition(customModule(n))] }),
    // A condition on a module that no event names is refused too: not for its length.
    acceptedAtLimit: false,
  },
  "watch[].notification_condition[].module.id maxLength": {
    property: "notificationCondition[0].module.id",
    build: (n) => ({
      notificationCondition: [condition("Deals", { module: { apiName: "Deals", id: "7".repeat(n) } })],
    }),
  },
  "watch[].notification_condition[].field_selection additionalProperties": {
    property: "notificationCondition[0].fieldSelection",
    build: (n) => ({
      notificationCondition: [
        condition("Deals", {
          fieldSelection: {
            groupOperator: "or",
            group: [{ field: { apiName: "Stage" } }],
            ...(n > 0 ? { colour: 1 } : {}),
          },
        }),
      ],
    }),
  },
  // Zoho's pages: at most 2 entries directly in a group (condition-group-shape).
  "watch[].notification_condition[].field_selection.group maxItems": {
    property: "notificationCondition[0].fieldSelection.group",
    limit: 2,
    build: (n) => ({
      notificationCondition: [
        condition(
          "Deals",
          {},
          Array.from({ length: n }, (_, i) => ({ field: { apiName: `Field_${i}` } })),
        ),
      ],
    }),
  },
  "watch[].notification_condition[].field_selection.group[] additionalProperties": {
    property: "notificationCondition[0].fieldSelection",
    build: (n) => ({
      notificationCondition: [
        condition("Deals", {}, [{ field: { apiName: "Stage" }, ...(n > 0 ? { colour: 1 } : {}) }]),
      ],
    }),
  },
  "watch[].notification_condition[].field_selection.group[].api_name maxLength": {
    property: "notificationCondition[0].fieldSelection",
    build: (n) => ({
      notificationCondition: [condition("Deals", {}, [{ field: { apiName: "F".repeat(n) } }])],
    }),
  },
  "watch[].notification_condition[].field_selection.group[].id maxLength": {
    property: "notificationCondition[0].fieldSelection",
    build: (n) => ({
      notificationCondition: [condition("Deals", {}, [{ field: { apiName: "Stage", id: "7".repeat(n) } }])],
    }),
  },
};

/** Constraints by item path and kind; a query parameter's by its name (`?module maxLength`). */
function probeKey(constraint: Constraint): string {
  return `${itemPath(constraint) || "(body)"} ${constraint.kind}`;
}

describeWithDescription(
  "contract: check refuses at preview what Zoho's OpenAPI description forbids",
  (description) => {
    const constraints = constraintsOf(description);

    it("knows, for each constraint of the description, the input it limits or what else keeps it", () => {
      const unknown = constraints.filter((constraint) => !PROBES[probeKey(constraint)]).map(constraintId);
      assert.deepEqual(unknown, [], "constraints that no input probe or client rule accounts for");
    });

    // One case per distinct probe: PUT and PATCH repeat POST's limits on the same inputs.
    const seen = new Set<string>();
    for (const constraint of constraints) {
      const key = probeKey(constraint);
      const probe = PROBES[key];
      if (!probe || "elsewhere" in probe || seen.has(key)) continue;
      seen.add(key);
      const isKeys = constraint.kind === "additionalProperties";
      const limit = isKeys ? 0 : (probe.limit ?? constraint.limit ?? 0);
      it(`${constraintId(constraint)}${isKeys ? "" : ` ${limit}`}: ${probe.property}`, () => {
        const atLimit = failuresOf(probe.build(limit));
        const said = isKeys ? /is not an input|unrecognized key/i : new RegExp(`at most ${limit}\\b`);
        const sizeFailure = (failures: CheckFailure[]) =>
          failures.find((f) => f.property.startsWith(probe.property) && said.test(f.reason));
        assert.equal(sizeFailure(atLimit), undefined, `at ${limit}: ${JSON.stringify(atLimit)}`);
        if (probe.acceptedAtLimit !== false) assert.deepEqual(atLimit, [], `at ${limit}`);
        const over = failuresOf(probe.build(limit + 1));
        const failure = sizeFailure(over);
        assert.ok(
          failure,
          `at ${limit + 1}: expected a failure for ${probe.property}, got ${JSON.stringify(over)}`,
        );
        if (!isKeys) assert.match(failure.reason, new RegExp(`\\b${limit + 1}\\b`), "names the value's size");
      });
    }
  },
);
