// verifyNotification: what a receiver accepts, what it refuses and why, and that Zoho's ids survive.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { mock } from "node:test";
import {
  createNotificationVerifier,
  DEFAULT_MAX_BODY_BYTES,
  verifyNotification,
  type ExpectedChannel,
  type VerificationResult,
} from "../../provider/receiver/verify-notification";

const CHANNEL = "1105420521999070702"; // above 2^53, like real Zoho ids
const TOKEN = "tok-5f1c2a9e-b7d3-4c11";
const WRONG = "forged-token-0d9e";
const EXPECTED: ExpectedChannel = { channelId: CHANNEL, token: TOKEN };
const BIG_RECORD = "5725767000003000064"; // above 2^53 too

/** A notification as Zoho sends it (Zoho's documented sample, with our channel and token). */
function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server_time: 1718117126473,
    query_params: { key1: "val1" },
    module: "Leads",
    resource_uri: "https://www.zohoapis.com/crm/v2/Leads",
    ids: [BIG_RECORD],
    affected_fields: [],
    operation: "insert",
    channel_id: CHANNEL,
    token: TOKEN,
    ...overrides,
  };
}

const text = (overrides?: Record<string, unknown>) => JSON.stringify(body(overrides));

function rejected(result: VerificationResult): { code: string; reason: string } {
  assert.equal(result.ok, false, "refused");
  if (result.ok) throw new Error("unreachable");
  return result;
}

function accepted(result: VerificationResult) {
  if (!result.ok) assert.fail(`expected acceptance, got ${result.code}: ${result.reason}`);
  return result.notification;
}

describe("verifyNotification", () => {
  describe("accepts a genuine notification", () => {
    it("returns it typed and camelCase", () => {
      const n = accepted(verifyNotification(text(), EXPECTED));
      assert.deepEqual(n, {
        serverTime: 1718117126473,
        serverDate: new Date(1718117126473),
        queryParams: { key1: "val1" },
        module: "Leads",
        resourceUri: "https://www.zohoapis.com/crm/v2/Leads",
        ids: [BIG_RECORD],
        affectedFields: [],
        operation: "insert",
        channelId: CHANNEL,
        token: TOKEN,
      });
      assert.equal("affectedValues" in n, false, "no affectedValues unless Zoho sent affected_values");
    });

    it("reads a string, a Buffer and an already parsed object alike", () => {
      const fromText = accepted(verifyNotification(text(), EXPECTED));
      assert.deepEqual(accepted(verifyNotification(Buffer.from(text(), "utf8"), EXPECTED)), fromText);
      assert.deepEqual(accepted(verifyNotification(body(), EXPECTED)), fromText);
    });

    it("reads every operation, update and delete included", () => {
      for (const operation of ["insert", "update", "delete"] as const) {
        assert.equal(accepted(verifyNotification(text({ operation }), EXPECTED)).operation, operation);
      }
    });

    it("accepts any of several expected channels, and several tokens for one channel (a token change rolling out)", () => {
      const expected = [
        { channelId: "1000000068001", token: "other-channel-token" },
        { channelId: CHANNEL, token: "old-token-before-rotation" },
        { channelId: CHANNEL, token: TOKEN },
      ];
      assert.equal(accepted(verifyNotification(text(), expected)).channelId, CHANNEL);
      const other = text({ channel_id: "1000000068001", token: "other-channel-token" });
      assert.equal(accepted(verifyNotification(other, expected)).channelId, "1000000068001");
      const old = text({ token: "old-token-before-rotation" });
      assert.equal(accepted(verifyNotification(old, expected)).token, "old-token-before-rotation");
    });

    it("accepts a bigint channel id in the expectation", () => {
      assert.ok(verifyNotification(text(), { channelId: BigInt(CHANNEL), token: TOKEN }).ok);
    });
  });

  describe("ids beyond 2^53", () => {
    it("keeps ids sent as JSON strings exact", () => {
      const n = accepted(verifyNotification(text({ ids: [BIG_RECORD, "5725767000003000065"] }), EXPECTED));
      assert.deepEqual(n.ids, [BIG_RECORD, "5725767000003000065"]);
      assert.equal(typeof n.channelId, "string");
    });

    it("keeps ids sent as JSON numbers exact, as decimal strings (channel_id, ids, record_id)", () => {
      // Written by hand: JSON.stringify cannot produce these numbers, and JSON.parse would round them.
      const raw =
        `{"server_time":1718117126473,"query_params":{},"module":"Deals",` +
        `"resource_uri":"https://www.zohoapis.com/crm/v2/Deals","ids":[${BIG_RECORD},5725767000003000065],` +
        `"affected_fields":[{"${BIG_RECORD}":["Stage"]}],` +
        `"affected_values":[{"record_id":${BIG_RECORD},"values":{"Stage":"Won","Amount":1500.5,"ids":[1,2]}}],` +
        `"operation":"update","channel_id":${CHANNEL},"token":"${TOKEN}"}`;
      assert.notEqual(
        String((JSON.parse(`[${BIG_RECORD}]`) as number[])[0]),
        BIG_RECORD,
        "plain JSON.parse rounds it",
      );
      const n = accepted(verifyNotification(raw, EXPECTED));
      assert.equal(n.channelId, CHANNEL);
      assert.deepEqual(n.ids, [BIG_RECORD, "5725767000003000065"]);
      assert.deepEqual(n.affectedValues, [
        { recordId: BIG_RECORD, values: { Stage: "Won", Amount: 1500.5, ids: [1, 2] } },
      ]);
      assert.equal(n.serverTime, 1718117126473, "other numbers stay numbers, record values included");
    });

    it("refuses an already parsed object whose id was rounded by JavaScript, and says to pass the raw body", () => {
      const rounded = body({ ids: [Number(BIG_RECORD)] });
      const { code, reason } = rejected(verifyNotification(rounded, EXPECTED));
      assert.equal(code, "MALFORMED_BODY");
      assert.match(reason, /ids\[0\].*2\^53.*raw body/);
    });

    it("turns small numeric ids of a parsed object into decimal strings", () => {
      const n = accepted(verifyNotification(body({ ids: [42] }), EXPECTED));
      assert.deepEqual(n.ids, ["42"]);
    });
  });

  describe("affected fields and values", () => {
    it("lists the changed fields and the new values per record", () => {
      const other = "5725767000003000065";
      const n = accepted(
        verifyNotification(
          text({
            operation: "update",
            ids: [BIG_RECORD, other],
            affected_fields: [{ [BIG_RECORD]: ["Mobile", "Email"] }, { [other]: [] }],
            affected_values: [
              { record_id: BIG_RECORD, values: { Mobile: "123", Email: "a@b.example", Score: 7 } },
            ],
          }),
          EXPECTED,
        ),
      );
      assert.deepEqual(n.affectedFields, [
        { recordId: BIG_RECORD, fields: ["Mobile", "Email"] },
        { recordId: other, fields: [] },
      ]);
      assert.deepEqual(n.affectedValues, [
        { recordId: BIG_RECORD, values: { Mobile: "123", Email: "a@b.example", Score: 7 } },
      ]);
    });

    it("treats missing affected_fields and query_params as empty", () => {
      const raw = body();
      delete raw.affected_fields;
      delete raw.query_params;
      const n = accepted(verifyNotification(raw, EXPECTED));
      assert.deepEqual(n.affectedFields, []);
      assert.deepEqual(n.queryParams, {});
    });
  });

  describe("refuses", () => {
    const cases: { name: string; body: unknown; code: string; reason: RegExp }[] = [
      {
        name: "a body that is not JSON",
        body: "server_time=1&token=x",
        code: "MALFORMED_BODY",
        reason: /not JSON/,
      },
      { name: "an empty body", body: Buffer.alloc(0), code: "MALFORMED_BODY", reason: /empty/ },
      { name: "a JSON array", body: "[]", code: "MALFORMED_BODY", reason: /not a Zoho notification/ },
      {
        name: "a subscription verb as operation",
        body: text({ operation: "create" }),
        code: "MALFORMED_BODY",
        reason: /operation/,
      },
      {
        name: "a notification without channel_id",
        body: text({ channel_id: undefined }),
        code: "MALFORMED_BODY",
        reason: /channel_id/,
      },
      {
        name: "an id that is not a decimal",
        body: text({ ids: ["12ab"] }),
        code: "MALFORMED_BODY",
        reason: /ids\[0\]: an id must be a decimal string/,
      },
      {
        name: "a token of the wrong type",
        body: text({ token: 12345 }),
        code: "MALFORMED_BODY",
        reason: /token/,
      },
      {
        name: "a channel it does not expect",
        body: text({ channel_id: "1000000068001" }),
        code: "UNKNOWN_CHANNEL",
        reason: /channel 1000000068001 is not one this receiver expects/,
      },
      {
        name: "a null token",
        body: text({ token: null }),
        code: "MISSING_TOKEN",
        reason: /carries no token/,
      },
      {
        name: "a missing token",
        body: text({ token: undefined }),
        code: "MISSING_TOKEN",
        reason: /no token/,
      },
      { name: "an empty token", body: text({ token: "" }), code: "MISSING_TOKEN", reason: /no token/ },
      {
        name: "a wrong token",
        body: text({ token: WRONG }),
        code: "TOKEN_MISMATCH",
        reason: /does not match/,
      },
      {
        name: "a token that is a prefix of the right one",
        body: text({ token: TOKEN.slice(0, 5) }),
        code: "TOKEN_MISMATCH",
        reason: /does not match/,
      },
      {
        name: "a token longer than the right one",
        body: text({ token: `${TOKEN}x` }),
        code: "TOKEN_MISMATCH",
        reason: /does not match/,
      },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.code}`, () => {
        const { code, reason } = rejected(verifyNotification(c.body, EXPECTED));
        assert.equal(code, c.code);
        assert.match(reason, c.reason);
      });
    }

    it("never puts the expected or the received token in a reason", () => {
      for (const c of cases) {
        const { reason } = rejected(verifyNotification(c.body, EXPECTED));
        for (const secret of [TOKEN, WRONG, TOKEN.slice(0, 5), "12345"]) {
          assert.ok(!reason.includes(secret), `${c.name}: the reason "${reason}" shows a token`);
        }
      }
    });

    it("a token of another expected channel (tokens are bound to their channel)", () => {
      const expected = [EXPECTED, { channelId: "1000000068001", token: "other-channel-token" }];
      const { code } = rejected(verifyNotification(text({ token: "other-channel-token" }), expected));
      assert.equal(code, "TOKEN_MISMATCH");
    });
  });

  describe("compares tokens in constant time", () => {
    afterEach(() => mock.restoreAll());

    it("through crypto.timingSafeEqual on equal-length inputs, against every candidate, whatever the lengths", () => {
      const spy = mock.method(crypto, "timingSafeEqual");
      const expected = [EXPECTED, { channelId: CHANNEL, token: "a-much-longer-second-token-for-rotation" }];
      for (const token of ["x", TOKEN, `${TOKEN}${"y".repeat(40)}`]) {
        spy.mock.resetCalls();
        verifyNotification(text({ token }), expected);
        assert.equal(
          spy.mock.callCount(),
          2,
          `compared with both candidates (token of ${token.length} chars)`,
        );
        for (const call of spy.mock.calls) {
          const [a, b] = call.arguments as [Buffer, Buffer];
          assert.equal(a.length, b.length);
        }
      }
    });
  });

  describe("token rotation: several tokens for one channel", () => {
    const OLD = "tok-old-before-rotation";

    it("accepts each listed token, and refuses one that is not listed", () => {
      const expected = { channelId: CHANNEL, token: [OLD, TOKEN] };
      assert.equal(accepted(verifyNotification(text({ token: OLD }), expected)).token, OLD);
      assert.equal(accepted(verifyNotification(text(), expected)).token, TOKEN);
      assert.equal(rejected(verifyNotification(text({ token: WRONG }), expected)).code, "TOKEN_MISMATCH");
    });

    it("refuses the old token once the receiver lists only the new one", () => {
      const during = createNotificationVerifier({ channelId: CHANNEL, token: [OLD, TOKEN] });
      const after = createNotificationVerifier({ channelId: CHANNEL, token: TOKEN });
      assert.ok(during(text({ token: OLD })).ok);
      assert.equal(rejected(after(text({ token: OLD }))).code, "TOKEN_MISMATCH");
      assert.ok(after(text()).ok);
    });

    it("keeps tokens bound to their channel when several channels list several tokens", () => {
      const expected = [
        { channelId: CHANNEL, token: [OLD, TOKEN] },
        { channelId: "1000000068001", token: ["other-old", "other-new"] },
      ];
      assert.equal(
        rejected(verifyNotification(text({ token: "other-new" }), expected)).code,
        "TOKEN_MISMATCH",
      );
      const other = text({ channel_id: "1000000068001", token: "other-old" });
      assert.equal(accepted(verifyNotification(other, expected)).channelId, "1000000068001");
    });

    it("refuses an empty list or an empty token in it up front, naming the position", () => {
      assert.throws(() => createNotificationVerifier({ channelId: CHANNEL, token: [] }), {
        name: "TypeError",
        message: /expected\[0\]\.token lists no token/,
      });
      assert.throws(() => createNotificationVerifier({ channelId: CHANNEL, token: [TOKEN, ""] }), {
        name: "TypeError",
        message: /expected\[0\]\.token\[1\] must be a non-empty string/,
      });
    });
  });

  describe("a size cap before parsing", () => {
    const padded = (bytes: number) => {
      const base = text({ padding: "" });
      return text({ padding: "x".repeat(bytes - base.length) });
    };

    it(`refuses a raw body over ${DEFAULT_MAX_BODY_BYTES} bytes by default with BODY_TOO_LARGE, and accepts one at the cap`, () => {
      assert.equal(DEFAULT_MAX_BODY_BYTES, 256 * 1024);
      const atCap = padded(DEFAULT_MAX_BODY_BYTES);
      assert.equal(Buffer.byteLength(atCap), DEFAULT_MAX_BODY_BYTES);
      assert.ok(verifyNotification(atCap, EXPECTED).ok);
      const over = padded(DEFAULT_MAX_BODY_BYTES + 1);
      for (const raw of [over, Buffer.from(over)]) {
        const { code, reason } = rejected(verifyNotification(raw, EXPECTED));
        assert.equal(code, "BODY_TOO_LARGE");
        assert.match(reason, /larger than 262144 bytes \(maxBodyBytes\)/);
      }
    });

    it("never parses an oversized body: JSON.parse is not called", () => {
      const spy = mock.method(JSON, "parse");
      try {
        const huge = `{"token":"${TOKEN}","padding":"${"x".repeat(21 * 1024 * 1024)}"}`;
        assert.equal(rejected(verifyNotification(huge, EXPECTED)).code, "BODY_TOO_LARGE");
        assert.equal(rejected(verifyNotification(Buffer.from(huge), EXPECTED)).code, "BODY_TOO_LARGE");
        assert.equal(spy.mock.callCount(), 0);
      } finally {
        mock.restoreAll();
      }
    });

    it("counts UTF-8 bytes, not characters", () => {
      // 100 characters of 3 bytes each: 300 bytes on the wire.
      const raw = text({ padding: "€".repeat(100) });
      const bytes = Buffer.byteLength(raw);
      assert.ok(verifyNotification(raw, EXPECTED, { maxBodyBytes: bytes }).ok);
      assert.equal(
        rejected(verifyNotification(raw, EXPECTED, { maxBodyBytes: bytes - 1 })).code,
        "BODY_TOO_LARGE",
      );
      assert.ok(raw.length <= bytes - 1, "the character count alone would have let it through");
    });

    it("is configurable, Infinity turns it off, and an unusable value fails up front", () => {
      const raw = padded(DEFAULT_MAX_BODY_BYTES + 1);
      assert.ok(verifyNotification(raw, EXPECTED, { maxBodyBytes: 1024 * 1024 }).ok);
      assert.ok(verifyNotification(raw, EXPECTED, { maxBodyBytes: Infinity }).ok);
      assert.equal(
        rejected(verifyNotification(text(), EXPECTED, { maxBodyBytes: 100 })).code,
        "BODY_TOO_LARGE",
      );
      for (const maxBodyBytes of [0, -1, Number.NaN]) {
        assert.throws(() => createNotificationVerifier(EXPECTED, { maxBodyBytes }), {
          name: "TypeError",
          message: /options\.maxBodyBytes must be a positive number/,
        });
      }
    });

    it("does not measure an object parsed elsewhere", () => {
      assert.ok(verifyNotification(body({ padding: "x".repeat(300 * 1024) }), EXPECTED).ok);
    });
  });

  describe("a maximum age against server_time (replay window)", () => {
    const SENT = 1718117126473;
    const at = (offsetMs: number) => () => SENT + offsetMs;

    it("is off by default: an old notification is accepted", () => {
      assert.ok(verifyNotification(text(), EXPECTED).ok, "server_time is from 2024");
    });

    it("accepts a notification up to maxAge old, refuses an older one with TOO_OLD and says when it was sent", () => {
      const options = { maxAge: "PT5M", now: at(5 * 60_000) };
      assert.ok(verifyNotification(text(), EXPECTED, options).ok, "exactly 5 minutes old");
      const { code, reason } = rejected(
        verifyNotification(text(), EXPECTED, { ...options, now: at(5 * 60_000 + 1_000) }),
      );
      assert.equal(code, "TOO_OLD");
      assert.match(
        reason,
        /sent at 2024-06-11T14:45:26\.473Z, 5 minutes, 1 second ago, more than the maximum age of 5 minutes/,
      );
    });

    it("takes milliseconds as well as ISO-8601 durations", () => {
      assert.ok(verifyNotification(text(), EXPECTED, { maxAge: 30_000, now: at(30_000) }).ok);
      assert.equal(
        rejected(verifyNotification(text(), EXPECTED, { maxAge: 30_000, now: at(30_001) })).code,
        "TOO_OLD",
      );
    });

    it("refuses a notification dated clearly ahead of the receiver's clock with FROM_THE_FUTURE, tolerating the skew", () => {
      const options = { maxAge: "PT5M", now: at(-60_000) };
      assert.ok(verifyNotification(text(), EXPECTED, options).ok, "one minute ahead: the default skew");
      const ahead = rejected(verifyNotification(text(), EXPECTED, { ...options, now: at(-61_000) }));
      assert.equal(ahead.code, "FROM_THE_FUTURE");
      assert.match(
        ahead.reason,
        /1 minute, 1 second ahead of this receiver's clock.*check the receiver's clock/,
      );
      assert.ok(
        verifyNotification(text(), EXPECTED, { ...options, now: at(-600_000), clockSkew: "PT10M" }).ok,
      );
    });

    it("reports a forged token as TOKEN_MISMATCH, whatever its date", () => {
      const options = { maxAge: "PT5M", now: at(3_600_000) };
      assert.equal(
        rejected(verifyNotification(text({ token: WRONG }), EXPECTED, options)).code,
        "TOKEN_MISMATCH",
      );
    });

    it("reads the clock on every call, so one verifier keeps judging by the current time", () => {
      let clock = SENT;
      const verify = createNotificationVerifier(EXPECTED, { maxAge: "PT1M", now: () => clock });
      assert.ok(verify(text()).ok);
      clock += 61_000;
      assert.equal(rejected(verify(text())).code, "TOO_OLD");
    });

    it("refuses unusable durations up front, naming the option", () => {
      assert.throws(() => createNotificationVerifier(EXPECTED, { maxAge: "5 minutes" }), {
        name: "TypeError",
        message: /options\.maxAge "5 minutes" is not an ISO-8601 duration/,
      });
      assert.throws(() => createNotificationVerifier(EXPECTED, { maxAge: -1 }), {
        name: "TypeError",
        message: /options\.maxAge must be a non-negative number/,
      });
      assert.throws(() => createNotificationVerifier(EXPECTED, { clockSkew: "PT1M" }), {
        name: "TypeError",
        message: /clockSkew only applies with options\.maxAge/,
      });
    });
  });

  describe("expectations", () => {
    it("refuses unusable ones up front with a TypeError that names the entry and never shows the token", () => {
      assert.throws(() => createNotificationVerifier([]), { name: "TypeError", message: /at least one/ });
      assert.throws(() => createNotificationVerifier([EXPECTED, { channelId: CHANNEL, token: "" }]), {
        name: "TypeError",
        message: /expected\[1\]\.token must be a non-empty string/,
      });
      assert.throws(
        () => createNotificationVerifier({ channelId: "12ab", token: TOKEN }),
        (error: Error) => {
          assert.equal(error.name, "TypeError");
          assert.match(error.message, /expected\[0\]\.channelId/);
          assert.ok(!error.message.includes(TOKEN));
          return true;
        },
      );
      assert.throws(() => verifyNotification(text(), { channelId: Number(CHANNEL), token: TOKEN }), {
        name: "TypeError",
        message: /2\^53/,
      });
    });

    it("a verifier made once verifies many bodies", () => {
      const verify = createNotificationVerifier(EXPECTED);
      assert.ok(verify(text()).ok);
      assert.equal(rejected(verify(text({ token: WRONG }))).code, "TOKEN_MISMATCH");
      assert.ok(verify(body({ operation: "delete" })).ok);
    });
  });
});
