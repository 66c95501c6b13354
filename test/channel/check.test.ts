// `check`: every bad input is a failure naming the property and what to do; unknowns pass through.
import assert from "node:assert/strict";
import { checkInputs, UNKNOWN, type CheckFailure } from "../../provider/channel/inputs";

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
    // The version's maximum less ten minutes, so a clock ahead of Zoho's never asks past the maximum.
    assert.equal(v8.inputs.expiresIn, "P6DT23H50M");
    assert.equal(v8.inputs.renewBefore, "P3DT11H55M");
    const v3 = checkInputs(valid, "v3");
    assert.equal(v3.inputs.expiresIn, "PT23H50M");
    assert.equal(v3.inputs.renewBefore, "PT11H55M");
  });

  it("fills notifyOnRelatedAction with Zoho's default for the API version, and keeps a declared value", () => {
    // Sent on every write: left out, it is the version's documented default, made explicit.
    assert.equal(checkInputs(valid, "v2").inputs.notifyOnRelatedAction, false);
    assert.equal(checkInputs(valid, "v2.1").inputs.notifyOnRelatedAction, false);
    assert.equal(checkInputs(valid, "v3").inputs.notifyOnRelatedAction, true);
    assert.equal(checkInputs(valid, "v8").inputs.notifyOnRelatedAction, true);
    assert.equal(
      checkInputs({ ...valid, notifyOnRelatedAction: false }, "v8").inputs.notifyOnRelatedAction,
      false,
    );
    assert.equal(
      checkInputs({ ...valid, notifyOnRelatedAction: true }, "v2").inputs.notifyOnRelatedAction,
      true,
    );
    assert.equal(
      checkInputs({ ...valid, notifyOnRelatedAction: null }, "v2").inputs.notifyOnRelatedAction,
      false,
    );
    assert.equal(
      checkInputs({ ...valid, notifyOnRelatedAction: UNKNOWN }, "v8").inputs.notifyOnRelatedAction,
      UNKNOWN,
      "an unknown value is let through for the preview",
    );
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
      reasonFor(failuresFor({ ...valid, notifyUrl: "not-a-url" }), "notifyUrl"),
      /is not a URL .*https:\/\/hooks\.example\.com\/zoho/,
    );
    // Said before the space it also contains: what the user needs first is that a URL goes here.
    assert.match(
      reasonFor(failuresFor({ ...valid, notifyUrl: "not a url" }), "notifyUrl"),
      /is not a URL \(it has no scheme such as https:\/\/\): use an https URL/,
    );
    assert.match(
      reasonFor(failuresFor({ ...valid, notifyUrl: "https//hooks.example.com" }), "notifyUrl"),
      /is not a URL/,
    );
    const long = `https://hooks.example.com/${"a".repeat(240)}`;
    assert.match(reasonFor(failuresFor({ ...valid, notifyUrl: long }), "notifyUrl"), /at most 255/);
  });

  it("rejects expiresIn beyond the version's maximum instead of letting Zoho cut it to an hour", () => {
    assert.match(
      reasonFor(failuresFor({ ...valid, expiresIn: "P2D" }, "v3"), "expiresIn"),
      /API v3 allows P1D/,
    );
    assert.deepEqual(failuresFor({ ...valid, expiresIn: "P2D" }, "v4"), []);
    assert.match(
      reasonFor(failuresFor({ ...valid, expiresIn: "P8D" }, "v8"), "expiresIn"),
      /API v8 allows P7D.*use at most P6DT23H50M/,
    );
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

  it("keeps a margin for clock skew below the maximum: P7D itself is refused, with the longest safe value", () => {
    const reason = reasonFor(failuresFor({ ...valid, expiresIn: "P7D" }, "v8"), "expiresIn");
    assert.match(reason, /use at most P6DT23H50M/);
    assert.match(reason, /clock running ahead of Zoho's/);
    assert.deepEqual(checkInputs({ ...valid, expiresIn: "P6DT23H50M" }, "v8").failures, []);
  });

  it("treats an optional input that resolved to null (an Output of undefined) as left out", () => {
    const result = checkInputs({ ...valid, token: null, renewBefore: null }, "v8");
    assert.deepEqual(result.failures, []);
    assert.equal("token" in result.inputs, false);
    assert.equal(result.inputs.renewBefore, "P3DT11H55M");
  });

  it("reports every problem at once", () => {
    const failures = failuresFor({ channelId: "x", events: [], notifyUrl: "", token: "t".repeat(60) });
    assert.deepEqual(failures.map((f) => f.property).sort(), ["channelId", "events", "notifyUrl", "token"]);
  });
});

// Inputs that a review found passing preview and failing (or misbehaving) only at Zoho.
describe("check: bad input that used to pass preview", () => {
  const cases: { what: string; news: Record<string, unknown>; property: string; reason: RegExp }[] = [
    {
      what: "a notify URL with a leading space",
      news: { notifyUrl: " https://h.example.com/z" },
      property: "notifyUrl",
      reason: /whitespace before or after/,
    },
    {
      what: "a notify URL with a trailing newline",
      news: { notifyUrl: "https://h.example.com/z\n" },
      property: "notifyUrl",
      reason: /whitespace before or after/,
    },
    {
      what: "a notify URL with a tab",
      news: { notifyUrl: "https://h.example.com/a\tb" },
      property: "notifyUrl",
      reason: /space, tab or control character/,
    },
    {
      what: "a notify URL with a space",
      news: { notifyUrl: "https://h.example.com/a b" },
      property: "notifyUrl",
      reason: /percent-encode/,
    },
    {
      what: "a notify URL with backslashes",
      news: { notifyUrl: "https:\\\\h.example.com\\z" },
      property: "notifyUrl",
      reason: /backslash/,
    },
    {
      what: "a notify URL that is a number",
      news: { notifyUrl: 42 },
      property: "notifyUrl",
      reason: /must be a string holding an http\(s\) URL, not 42/,
    },
    {
      what: "a token with a newline",
      news: { token: "abc\ndef" },
      property: "token",
      reason: /control character/,
    },
    {
      what: "a token with a NUL",
      news: { token: "abc\u0000" },
      property: "token",
      reason: /control character/,
    },
    {
      what: "a one-second expiry",
      news: { expiresIn: "PT1S" },
      property: "expiresIn",
      reason: /shorter than PT10M/,
    },
    {
      what: "a sub-second expiry",
      news: { expiresIn: "PT0.4S" },
      property: "expiresIn",
      reason: /shorter than PT10M/,
    },
    {
      what: "a misspelt input",
      news: { notifyURL: "https://h.example.com/z" },
      property: "notifyURL",
      reason: /did you mean notifyUrl\?/,
    },
    {
      what: "an unknown input",
      news: { colour: "blue" },
      property: "colour",
      reason: /not an input of WatchChannel; the inputs are channelId, events/,
    },
    {
      what: "adopt that is not a boolean",
      news: { adopt: "yes" },
      property: "adopt",
      reason: /true or false/,
    },
    {
      what: "a condition on a module that no event subscribes",
      news: {
        events: ["Deals.edit"],
        notificationCondition: [
          {
            type: "field_selection",
            module: { apiName: "Leads" },
            fieldSelection: { groupOperator: "or", group: [{ field: { apiName: "Email" } }] },
          },
        ],
      },
      property: "notificationCondition[0].module",
      reason: /"Leads" is not among the modules of events \(Deals\)/,
    },
  ];
  for (const { what, news, property, reason } of cases) {
    it(`refuses ${what}, naming ${property}`, () => {
      assert.match(reasonFor(failuresFor({ ...valid, ...news }), property), reason);
    });
  }

  it("never echoes a token with control characters", () => {
    const token = "secret-token\nwith-newline";
    assert.ok(!reasonFor(failuresFor({ ...valid, token }), "token").includes("secret-token"));
  });

  it("accepts the keys the resource and the engine add beside the inputs", () => {
    const news = {
      ...valid,
      __provider: "exports.handler = ...",
      channelExpiry: undefined,
      modules: undefined,
    };
    assert.deepEqual(failuresFor(news), []);
  });
});

describe("check: a limit learned after the channel was made warns instead of refusing", () => {
  const tooMany = Array.from({ length: 51 }, (_, i) => `Module_${i}__c.edit`);

  it("refuses 51 events on a new resource", () => {
    assert.match(reasonFor(failuresFor({ ...valid, events: tooMany }), "events"), /51 events.*at most 50/);
  });

  it("only warns when the stored inputs already hold those 51 events unchanged", () => {
    const result = checkInputs({ ...valid, events: tooMany }, "v8", { ...valid, events: tooMany });
    assert.deepEqual(result.failures, []);
    assert.equal(result.warnings.length, 1);
    assert.equal(result.warnings[0]?.property, "events");
    assert.match(result.warnings[0]?.reason ?? "", /at most 50/);
  });

  it("refuses them when the stored inputs held something else (a change is new input)", () => {
    const result = checkInputs({ ...valid, events: tooMany }, "v8", { ...valid, events: tooMany.slice(1) });
    assert.match(reasonFor(result.failures, "events"), /51 events/);
    assert.deepEqual(result.warnings, []);
  });

  it("never downgrades a rule that is not one of Zoho's limits, held or not", () => {
    const bad = { ...valid, events: ["Dealz.create"] };
    const result = checkInputs(bad, "v8", bad);
    assert.match(reasonFor(result.failures, "events[0]"), /did you mean/);
  });
});
