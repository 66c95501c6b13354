/**
 * Client options are validated at construction (issue 12 §2): a bad option fails at once with
 * its name and what it accepts, instead of surfacing later as a token storm, a timer's
 * ERR_OUT_OF_RANGE or a network error.
 */
import assert from "node:assert/strict";
import { ZohoWatchClient, type ZohoWatchClientOptions } from "../../provider/client";
import { clientFor, DEMO_CREDENTIALS, useEmulator } from "./support";

const SECRET = "a-client-secret-that-must-stay-hidden";
const REFRESH = "1000.a-refresh-token-that-must-stay-hidden";
const CREDENTIALS = { clientId: "1000.ID", clientSecret: SECRET, refreshToken: REFRESH };

/** The TypeError the constructor throws for `options`. */
function refusal(options: unknown): TypeError {
  try {
    new ZohoWatchClient(options as ZohoWatchClientOptions);
  } catch (error) {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${String(error)}`);
    assert.doesNotMatch(error.message, new RegExp(`${SECRET}|${REFRESH}`));
    return error;
  }
  assert.fail("the options were accepted");
}

describe("client options are validated at construction", function () {
  const emulator = useEmulator();

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["tokenRefreshMarginMs NaN", { tokenRefreshMarginMs: NaN }, /^ {2}tokenRefreshMarginMs: /m],
    [
      "a negative operation deadline",
      { timeouts: { operationMs: -1 } },
      /^ {2}timeouts\.operationMs: .*at least 1/m,
    ],
    [
      "a headers timeout that is not a number",
      { timeouts: { headersMs: "abc" } },
      /^ {2}timeouts\.headersMs: /m,
    ],
    [
      "a timer beyond what Node's timers hold",
      { timeouts: { bodyMs: 2 ** 31 } },
      /^ {2}timeouts\.bodyMs: .*at most/m,
    ],
    ["a fractional concurrency", { concurrency: 2.5 }, /^ {2}concurrency: .*whole number/m],
    ["zero attempts", { retry: { maxAttempts: 0 } }, /^ {2}retry\.maxAttempts: /m],
    [
      "an accounts server that is not http(s)",
      { accountsUrl: "ftp://accounts.example" },
      /^ {2}accountsUrl: .*http\(s\)/m,
    ],
    [
      "an API domain that is not a URL",
      { apiDomain: "zohoapis dot com" },
      /^ {2}apiDomain: .*not a valid URL/m,
    ],
    ["an unknown API version", { apiVersion: "v9" }, /^ {2}apiVersion: .*v2, v2\.1, v3/m],
    ["an unknown data centre", { dataCentre: "MARS" }, /^ {2}dataCentre: .*US, EU/m],
    ["a misspelt option", { timeout: { operationMs: 1000 } }, /timeout/],
    ["a negative expiry tolerance", { expiryToleranceMs: -5 }, /^ {2}expiryToleranceMs: .*negative/m],
    ["a clock that is not a function", { clock: "2026-01-01T00:00:00Z" }, /^ {2}clock: /m],
    ["a timer without sleep", { timer: { now: () => 0 } }, /^ {2}timer: .*sleep/m],
    ["a user agent with a line break", { userAgent: "x\r\nInjected: 1" }, /^ {2}userAgent: /m],
  ];
  for (const [what, options, expected] of cases) {
    it(`refuses ${what}, naming the option`, () => {
      const error = refusal({ credentials: CREDENTIALS, ...options });
      assert.match(error.message, /^invalid ZohoWatchClient options:/);
      assert.match(error.message, expected);
    });
  }

  it("names each missing credential without quoting the others", () => {
    const error = refusal({ credentials: { clientId: "1000.ID", clientSecret: " ", refreshToken: REFRESH } });
    assert.match(error.message, /credentials\.clientSecret: is required/);
    assert.doesNotMatch(error.message, /clientId|refreshToken/);
    assert.match(refusal({}).message, /credentials: is required/);
  });

  it("lists every bad option at once", () => {
    const error = refusal({
      credentials: CREDENTIALS,
      timeouts: { operationMs: -1, headersMs: "abc" },
      tokenRefreshMarginMs: NaN,
      accountsUrl: "mailto:x@example.com",
    });
    for (const name of [
      "timeouts.operationMs",
      "timeouts.headersMs",
      "tokenRefreshMarginMs",
      "accountsUrl",
    ]) {
      assert.match(error.message, new RegExp(`^ {2}${name.replace(".", "\\.")}: `, "m"));
    }
  });

  it("accepts valid options and makes no request until the first call", async () => {
    const client = clientFor(emulator(), {
      tokenRefreshMarginMs: 0,
      tokenThrottleCooldownMs: 0,
      expiryToleranceMs: 60_000,
      concurrency: 25,
      apiVersion: "v2.1",
      userAgent: "my-renewal-job/1.0",
    });
    assert.equal(client.tokenRequests, 0);
    assert.deepEqual(await client.list(), []);
    assert.equal(client.tokenRequests, 1);
  });

  it("takes credentials objects with extra keys, as config readers build them", () => {
    const client = new ZohoWatchClient({
      credentials: { ...DEMO_CREDENTIALS, scope: "ZohoCRM.notifications.ALL" } as typeof DEMO_CREDENTIALS,
    });
    void client.close();
  });
});
