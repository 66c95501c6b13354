/**
 * Pure pieces of the request pipeline: backoff, Retry-After, the per-operation retry table,
 * redaction and the concurrency limiter.
 */
import assert from "node:assert/strict";
import { OPERATIONS, REDACTED, redactUrl, Redactor } from "../../provider/client";
import { ConcurrencyLimiter } from "../../provider/client/limiter";
import { backoffDelay, DEFAULT_RETRY, isRetryableStatus, parseRetryAfter } from "../../provider/client/retry";

describe("retry policy", () => {
  it("draws full-jitter backoff in [0, min(cap, base*2^(n-1))]", () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(
      backoffDelay(1, options, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(1, options, () => 0.999999),
      99,
    );
    assert.equal(
      backoffDelay(3, options, () => 0.5),
      200,
    );
    assert.equal(
      backoffDelay(10, options, () => 0.999999),
      999,
    );
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    assert.equal(parseRetryAfter("2"), 2000);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter("soon"), undefined);
    const now = Date.parse("2030-01-01T00:00:00Z");
    assert.equal(parseRetryAfter("Tue, 01 Jan 2030 00:00:05 GMT", now), 5000);
  });

  it("retries 429 and transient 5xx only", () => {
    assert.deepEqual(
      [400, 401, 404, 429, 500, 501, 502, 503, 504].filter(isRetryableStatus),
      [429, 500, 502, 503, 504],
    );
  });

  it("documents a retry decision with reasoning for every operation", () => {
    for (const [name, spec] of Object.entries(OPERATIONS)) {
      assert.ok(spec.reasoning.length > 5, name);
    }
    assert.equal(OPERATIONS.patch.method, "PATCH");
    assert.equal(OPERATIONS.disable.method, "DELETE");
  });
});

describe("redaction", () => {
  it("masks userinfo and query values of a URL but keeps its shape", () => {
    assert.equal(
      redactUrl("https://user:pa55@hooks.example.test/zoho?key=s3cret&x=1"),
      `https://REDACTED@hooks.example.test/zoho?key=${REDACTED}&x=${REDACTED}`,
    );
  });

  it("masks registered secrets, Zoho-shaped tokens and auth headers in text and nested data", () => {
    const redactor = new Redactor().add("my-client-secret");
    const child = redactor.child().add("channel-token-xyz");
    const text = child.text(
      "secret my-client-secret token channel-token-xyz header Zoho-oauthtoken abc.def 1000.0123456789abcdef0123.0123456789abcdef0123",
    );
    assert.doesNotMatch(text, /my-client-secret|channel-token-xyz|abc\.def|0123456789abcdef0123/);
    assert.deepEqual(child.value({ token: "t", nested: [{ notify_url: "https://a:b@h.test/?k=v" }] }), {
      token: REDACTED,
      nested: [{ notify_url: `https://REDACTED@h.test/?k=${REDACTED}` }],
    });
    // The parent does not learn the child's secrets.
    assert.match(redactor.text("channel-token-xyz"), /channel-token-xyz/);
  });
});

describe("concurrency limiter", () => {
  it("never lets more than the limit run and serves waiters in order", async () => {
    const limiter = new ConcurrencyLimiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const release = await limiter.acquire();
        order.push(i);
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running -= 1;
        release();
      }),
    );
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(limiter.inFlight, 0);
  });

  it("drops a waiter whose signal aborts", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await assert.rejects(waiting, /stop/);
    assert.equal(limiter.waiting, 0);
    release();
    assert.equal(limiter.inFlight, 0);
  });
});
