// `check`: every bad input is a failure naming the property and what to do; unknowns pass through.
import assert from "node:assert/strict";
import { checkInputs, UNKNOWN, type CheckFailure } from "../../provider/resource/inputs";

const valid = {
  channelId: "1105420521999070702",
  events: ["Deals.all", "Contacts.create"],
  notifyUrl: "https://hooks.example.com/zoho",
  token: "verify-me",
};

function failuresFor(
  news: Record<string, unknown>,
  version: Parameters<typeof checkInputs>[1] = "v8",
): CheckFailure[] {
  return checkInputs(news, version).failures;
}

function reasonFor(failures: CheckFailure[], property: string): string {
  const failure = failures.find((f) => f.property === property);
  assert.ok(failure, `expected a failure for ${property}, got ${JSON.stringify(failures)}`);
  return failure.reason;
}

describe("check: WatchChannel input validation", () => {
  it("accepts a valid channel and fills expiresIn and renewBefore from the API version", () => {
    const v8 = checkInputs(valid, "v8");
    assert.deepEqual(v8.failures, []);
    assert.equal(v8.inputs.expiresIn, "P7D");
    assert.equal(v8.inputs.renewBefore, "P3DT12H");
    const v3 = checkInputs(valid, "v3");
    assert.equal(v3.inputs.expiresIn, "P1D");
    assert.equal(v3.inputs.renewBefore, "PT12H");
  });

  it("names a malformed event by its index", () => {
    assert.match(
      reasonFor(failuresFor({ ...valid, events: ["Deals.all", "Deals"] }), "events[1]"),
      /<Module>\.<operation>/,
    );
  });

  it("rejects an unknown operation and lists the valid ones", () => {
    assert.match(
      reasonFor(failuresFor({ ...valid, events: ["Deals.update"] }), "events[0]"),
      /create, edit, delete, all/,
    );
  });

  it("suggests the standard module a misspelt one probably meant", () => {
    assert.match(
      reasonFor(failuresFor({ ...valid, events: ["Dealz.create"] }), "events[0]"),
      /did you mean "Deals.create"/,
    );
    assert.match(
      reasonFor(failuresFor({ ...valid, events: ["contacts.all"] }), "events[0]"),
      /did you mean "Contacts.all"/,
    );
  });

  it("accepts custom modules that are not near a standard one", () => {
    assert.deepEqual(failuresFor({ ...valid, events: ["Projects__c.all", "Shipments.edit"] }), []);
  });

  it("reports duplicate events and events already covered by Module.all", () => {
    assert.match(
      reasonFor(failuresFor({ ...valid, events: ["Deals.edit", "Deals.edit"] }), "events[1]"),
      /listed twice/,
    );
    assert.match(
      reasonFor(failuresFor({ ...valid, events: ["Deals.all", "Deals.edit"] }), "events[1]"),
      /covered by "Deals.all"/,
    );
  });

  it("rejects a token over 50 characters without echoing it", () => {
    const token = "s".repeat(51);
    const reason = reasonFor(failuresFor({ ...valid, token }), "token");
    assert.match(reason, /at most 50/);
    assert.ok(!reason.includes(token));
  });

  it("rejects a notify URL that is not http(s), not a URL, or too long", () => {
    assert.match(
      reasonFor(failuresFor({ ...valid, notifyUrl: "ftp://x.example.com/" }), "notifyUrl"),
      /http or https/,
    );
    assert.match(
      reasonFor(failuresFor({ ...valid, notifyUrl: "not a url" }), "notifyUrl"),
      /valid absolute URL/,
    );
    const long = `https://hooks.example.com/${"a".repeat(240)}`;
    assert.match(reasonFor(failuresFor({ ...valid, notifyUrl: long }), "notifyUrl"), /at most 255/);
  });

  it("rejects expiresIn beyond the version's maximum instead of letting Zoho cut it to an hour", () => {
    assert.match(
      reasonFor(failuresFor({ ...valid, expiresIn: "P2D" }, "v3"), "expiresIn"),
      /P1D that API v3 allows/,
    );
    assert.deepEqual(failuresFor({ ...valid, expiresIn: "P2D" }, "v4"), []);
    assert.match(reasonFor(failuresFor({ ...valid, expiresIn: "P8D" }, "v8"), "expiresIn"), /at most P7D/);
  });

  it("rejects a renewal window not shorter than expiresIn, and malformed durations", () => {
    assert.match(
      reasonFor(failuresFor({ ...valid, expiresIn: "P1D", renewBefore: "PT24H" }), "renewBefore"),
      /not shorter than expiresIn/,
    );
    assert.match(reasonFor(failuresFor({ ...valid, expiresIn: "7 days" }), "expiresIn"), /ISO-8601/);
  });

  it("rejects notification conditions before v6 and over-wide field groups", () => {
    const condition = {
      type: "field_selection",
      module: { apiName: "Deals" },
      fieldSelection: { groupOperator: "or", group: [{ field: { apiName: "Stage" } }] },
    };
    const bare = { ...condition, fieldSelection: { field: { apiName: "Stage" } } };
    assert.match(
      reasonFor(
        failuresFor({ ...valid, notificationCondition: [bare] }),
        "notificationCondition[0].fieldSelection",
      ),
      /must be a group/,
    );
    assert.match(
      reasonFor(failuresFor({ ...valid, notificationCondition: [condition] }, "v5"), "notificationCondition"),
      /v6/,
    );
    assert.deepEqual(failuresFor({ ...valid, notificationCondition: [condition] }, "v6"), []);
    const wide = {
      ...condition,
      fieldSelection: {
        groupOperator: "or",
        group: [{ field: { apiName: "A" } }, { field: { apiName: "B" } }, { field: { apiName: "C" } }],
      },
    };
    assert.match(
      reasonFor(
        failuresFor({ ...valid, notificationCondition: [wide] }),
        "notificationCondition[0].fieldSelection.group",
      ),
      /at most 2/,
    );
  });

  it("rejects channel ids that are not decimal strings below 2^63", () => {
    assert.match(reasonFor(failuresFor({ ...valid, channelId: 12 }), "channelId"), /written as a string/);
    assert.match(
      reasonFor(failuresFor({ ...valid, channelId: "9223372036854775808" }), "channelId"),
      /below 2\^63/,
    );
  });

  it("lets unknown values through untouched during a preview", () => {
    const result = checkInputs(
      { ...valid, events: UNKNOWN, notifyUrl: UNKNOWN, token: UNKNOWN, expiresIn: UNKNOWN },
      "v8",
    );
    assert.deepEqual(result.failures, []);
    assert.equal(result.inputs.events, UNKNOWN);
    assert.equal(result.inputs.expiresIn, UNKNOWN);
    assert.equal(result.inputs.renewBefore, undefined);
  });

  it("treats an optional input that resolved to null (an Output of undefined) as left out", () => {
    const result = checkInputs({ ...valid, token: null, renewBefore: null }, "v8");
    assert.deepEqual(result.failures, []);
    assert.equal("token" in result.inputs, false);
    assert.equal(result.inputs.renewBefore, "P3DT12H");
  });

  it("reports every problem at once", () => {
    const failures = failuresFor({ channelId: "x", events: [], notifyUrl: "", token: "t".repeat(60) });
    assert.deepEqual(failures.map((f) => f.property).sort(), ["channelId", "events", "notifyUrl", "token"]);
  });
});
