/**
 * Failures on the way: 429 with Retry-After, 5xx, dropped connections and lost responses, the
 * bounds that end retrying, the operation deadline and the concurrency limiter.
 */
import assert from "node:assert/strict";
import { ZohoApiError, ZohoRateLimitError, ZohoTimeoutError, requireSuccess } from "../../provider/client";
import { clientFor, FAST_RETRY, NOTIFY_URL, TEST_TIMEOUTS, useEmulator, virtualTimer } from "./support";

describe("retries and limits against the emulator", function () {
  const emulator = useEmulator();

  it("honours Retry-After on 429 before retrying", async () => {
    const timer = virtualTimer();
    const client = clientFor(emulator(), { timer });
    await client.list(); // token first, so only the API call meets the fault
    await emulator().resetStats();
    await emulator().injectFault({
      match: { operation: "list" },
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
    await client.list();
    assert.deepEqual(timer.waits, [1_000], "one wait, as long as Retry-After said");
    assert.equal((await emulator().stats()).list, 2);
  });

  it("stops at once when Retry-After asks for longer than retry.maxRetryAfterMs", async () => {
    const timer = virtualTimer();
    const client = clientFor(emulator(), { timer });
    await emulator().injectFault({
      match: { operation: "list" },
      kind: "status",
      status: 429,
      retryAfterSeconds: 120,
    });
    await assert.rejects(client.list(), (error: unknown) => {
      assert.ok(error instanceof ZohoRateLimitError);
      assert.equal(error.retryAfterMs, 120_000);
      assert.equal(error.attempts, 1);
      assert.match(error.message, /Retry-After/);
      return true;
    });
    assert.deepEqual(timer.waits, [], "nothing was waited for");
  });

  describe("a burst of 429/503 with Retry-After is retried within the operation deadline, not a count", () => {
    it("succeeds after more Retry-After answers than retry.maxAttempts while the waits fit the deadline", async () => {
      const timer = virtualTimer();
      const client = clientFor(emulator(), {
        timer,
        retry: { ...FAST_RETRY, maxAttempts: 4 },
        timeouts: { ...TEST_TIMEOUTS, operationMs: 60_000 },
      });
      await client.list();
      await emulator().resetStats();
      await emulator().injectFault({
        match: { operation: "list" },
        kind: "status",
        status: 429,
        retryAfterSeconds: 5,
        times: 6,
      });
      assert.deepEqual(await client.list(), []);
      assert.equal((await emulator().stats()).list, 7, "six 429s, then the answer");
      assert.deepEqual(timer.waits, [5_000, 5_000, 5_000, 5_000, 5_000, 5_000]);
    });

    it("retries an idempotent write's 503 with Retry-After the same way", async () => {
      const timer = virtualTimer();
      const client = clientFor(emulator(), { timer, retry: { ...FAST_RETRY, maxAttempts: 2 } });
      await emulator().injectFault({
        match: { operation: "enable" },
        kind: "status",
        status: 503,
        retryAfterSeconds: 2,
        times: 3,
      });
      requireSuccess(await client.enable({ channelId: "5", events: ["Leads.all"], notifyUrl: NOTIFY_URL }));
      assert.equal((await emulator().stats()).enable, 4);
      assert.deepEqual(timer.waits, [2_000, 2_000, 2_000]);
    });

    it("fails once the next wait would end past the deadline, without taking it, naming the setting", async () => {
      const timer = virtualTimer();
      const client = clientFor(emulator(), {
        timer,
        retry: { ...FAST_RETRY, maxAttempts: 2 },
        timeouts: { ...TEST_TIMEOUTS, operationMs: 30_000 },
      });
      await client.list();
      await emulator().resetStats();
      await emulator().injectFault({
        match: { operation: "list" },
        kind: "status",
        status: 429,
        retryAfterSeconds: 4,
      });
      await assert.rejects(client.list(), (error: unknown) => {
        assert.ok(error instanceof ZohoRateLimitError);
        assert.equal(error.attempts, 8);
        assert.match(error.message, /Zoho kept rate-limiting until the operation deadline/);
        assert.match(error.message, /Raise timeouts\.operationMs/);
        return true;
      });
      // 7 waits of 4 s end at 28 s; an 8th would end at 32 s, past the 30 s deadline.
      assert.deepEqual(timer.waits, Array<number>(7).fill(4_000));
      assert.equal((await emulator().stats()).list, 8);
    });

    it("keeps answers without Retry-After bounded by retry.maxAttempts", async () => {
      const timer = virtualTimer();
      const client = clientFor(emulator(), { timer, retry: { ...FAST_RETRY, maxAttempts: 3 } });
      await client.list();
      await emulator().resetStats();
      await emulator().injectFault({ match: { operation: "list" }, kind: "status", status: 429 });
      await assert.rejects(client.list(), (error: unknown) => {
        assert.ok(error instanceof ZohoRateLimitError);
        assert.equal(error.attempts, 3);
        assert.match(error.message, /retry\.maxAttempts = 3/);
        return true;
      });
      assert.equal(timer.waits.length, 2);
    });

    it("counts Retry-After: 0 against retry.maxAttempts (it says when: now, no reason to wait longer)", async () => {
      const timer = virtualTimer();
      const client = clientFor(emulator(), { timer, retry: { ...FAST_RETRY, maxAttempts: 3 } });
      await client.list();
      await emulator().resetStats();
      await emulator().injectFault({
        match: { operation: "list" },
        kind: "status",
        status: 429,
        retryAfterSeconds: 0,
      });
      await assert.rejects(client.list(), /retry\.maxAttempts = 3/);
      assert.equal((await emulator().stats()).list, 3);
      assert.deepEqual(timer.waits, [0, 0]);
    });

    it("retries nothing with retry.maxAttempts = 1, Retry-After or not", async () => {
      const timer = virtualTimer();
      const client = clientFor(emulator(), { timer, retry: { ...FAST_RETRY, maxAttempts: 1 } });
      await client.list();
      await emulator().resetStats();
      await emulator().injectFault({
        match: { operation: "list" },
        kind: "status",
        status: 429,
        retryAfterSeconds: 1,
      });
      await assert.rejects(client.list(), ZohoRateLimitError);
      assert.equal((await emulator().stats()).list, 1);
      assert.deepEqual(timer.waits, []);
    });
  });

  it("recovers from 500, 502 and 503 answers by retrying", async () => {
    const client = clientFor(emulator());
    for (const status of [500, 502, 503] as const) {
      await emulator().injectFault({ match: { operation: "enable" }, kind: "status", status, times: 1 });
    }
    const [outcome] = requireSuccess(
      await client.enable({ channelId: "1", events: ["Leads.all"], notifyUrl: NOTIFY_URL }),
    );
    assert.equal(outcome?.channelId, "1");
    assert.equal((await emulator().stats()).enable, 4);
  });

  it("recovers from dropped connections, token endpoint included", async () => {
    const client = clientFor(emulator());
    await emulator().injectFault({ kind: "drop-connection", times: 2 });
    assert.deepEqual(await client.list(), []);
    const stats = await emulator().stats();
    assert.equal(stats.total, 4, "two dropped, then one token request and one list");
  });

  it("retries enable after a lost response without creating a second channel (enable is an upsert)", async () => {
    const client = clientFor(emulator());
    await emulator().injectFault({ match: { operation: "enable" }, kind: "drop-response", times: 1 });
    requireSuccess(
      await client.enable({ channelId: "7", events: ["Leads.all"], notifyUrl: NOTIFY_URL, token: "t7" }),
    );
    const channels = await emulator().channels();
    assert.equal(channels.length, 1);
    assert.equal(channels[0]?.token, "t7");
    assert.equal((await emulator().stats()).enable, 2);
  });

  it("treats a disable whose response was lost as done: the retry reports the channel already gone", async () => {
    const client = clientFor(emulator());
    requireSuccess(await client.enable({ channelId: "8", events: ["Leads.all"], notifyUrl: NOTIFY_URL }));
    await emulator().injectFault({ match: { operation: "disable" }, kind: "drop-response", times: 1 });
    const [outcome] = await client.disable("8");
    assert.ok(outcome && !outcome.ok && outcome.error.code === "ZOHO_NOT_FOUND");
    assert.equal((await emulator().channels()).filter((c) => c.live).length, 0);
  });

  it("gives up after retry.maxAttempts with an error that says so", async () => {
    const client = clientFor(emulator(), { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    await client.list();
    await emulator().injectFault({ match: { operation: "list" }, kind: "status", status: 503 });
    await assert.rejects(client.list(), (error: unknown) => {
      assert.ok(error instanceof ZohoApiError);
      assert.equal(error.status, 503);
      assert.equal(error.attempts, 3);
      assert.match(error.message, /gave up after 3 attempts/);
      return true;
    });
  });

  it("ends an operation at its deadline with ZOHO_TIMEOUT, not when an answer that never comes arrives", async () => {
    const client = clientFor(emulator(), { timeouts: { operationMs: 300 } });
    await client.list();
    // Far longer than the test may run: only giving up at the deadline lets the call end at all.
    await emulator().injectFault({ match: { operation: "list" }, kind: "latency", ms: 120_000 });
    await assert.rejects(client.list(), (error: unknown) => {
      assert.ok(error instanceof ZohoTimeoutError);
      assert.equal(error.timeout, "operation");
      return true;
    });
  });

  it("retries a headers timeout (a lost response) for an idempotent read", async () => {
    // undici enforces headers/body timeouts with about one second of granularity.
    const client = clientFor(emulator(), { timeouts: { headersMs: 300 } });
    await client.list();
    // The slow attempt never answers within the test's life: the call succeeds only by abandoning it.
    await emulator().injectFault({ match: { operation: "list" }, kind: "latency", ms: 120_000, times: 1 });
    assert.deepEqual(await client.list(), []);
    assert.equal((await emulator().stats()).list, 3, "the first call, the abandoned attempt and its retry");
  });

  it("keeps concurrent calls under Zoho's concurrency limit instead of collecting 429s", async () => {
    await emulator().setConcurrencyLimit(2);
    await emulator().injectFault({ match: { operation: "list" }, kind: "latency", ms: 30 });
    const limited = clientFor(emulator(), { concurrency: 2, retry: { maxAttempts: 1 } });
    await Promise.all(Array.from({ length: 10 }, () => limited.list()));
    assert.equal((await emulator().stats()).rejected429, 0);

    // Control: without the limiter's protection the same burst meets 429s.
    const unlimited = clientFor(emulator(), { concurrency: 10, retry: { maxAttempts: 1 } });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => unlimited.list()));
    assert.ok(results.some((r) => r.status === "rejected" && r.reason instanceof ZohoRateLimitError));
  });
});
