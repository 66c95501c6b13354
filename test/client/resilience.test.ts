/**
 * Failures on the way: 429 with Retry-After, 5xx, dropped connections and lost responses, the
 * bounds that end retrying, the operation deadline and the concurrency limiter.
 */
import assert from "node:assert/strict";
import { ZohoApiError, ZohoRateLimitError, ZohoTimeoutError, requireSuccess } from "../../provider/zoho";
import { clientFor, NOTIFY_URL, useEmulator } from "./support";

describe("retries and limits against the emulator", function () {
  const emulator = useEmulator();

  it("honours Retry-After on 429 before retrying", async () => {
    const client = clientFor(emulator());
    await client.list(); // token first, so only the API call meets the fault
    await emulator().resetStats();
    await emulator().injectFault({
      match: { operation: "list" },
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
    const started = Date.now();
    await client.list();
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 950, `waited ${elapsed} ms, Retry-After said 1 s`);
    assert.equal((await emulator().stats()).list, 2);
  });

  it("stops at once when Retry-After asks for longer than retry.maxRetryAfterMs", async () => {
    const client = clientFor(emulator());
    await emulator().injectFault({
      match: { operation: "list" },
      kind: "status",
      status: 429,
      retryAfterSeconds: 120,
    });
    const started = Date.now();
    await assert.rejects(client.list(), (error: unknown) => {
      assert.ok(error instanceof ZohoRateLimitError);
      assert.equal(error.retryAfterMs, 120_000);
      assert.equal(error.attempts, 1);
      assert.match(error.message, /Retry-After/);
      return true;
    });
    assert.ok(Date.now() - started < 2_000);
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

  it("ends an operation at its deadline with ZOHO_TIMEOUT", async () => {
    const client = clientFor(emulator(), { timeouts: { operationMs: 300 } });
    await client.list();
    await emulator().injectFault({ match: { operation: "list" }, kind: "latency", ms: 1_500 });
    const started = Date.now();
    await assert.rejects(client.list(), (error: unknown) => {
      assert.ok(error instanceof ZohoTimeoutError);
      assert.equal(error.timeout, "operation");
      return true;
    });
    assert.ok(Date.now() - started < 1_200);
  });

  it("retries a headers timeout (a lost response) for an idempotent read", async () => {
    // undici enforces headers/body timeouts with about one second of granularity.
    const client = clientFor(emulator(), { timeouts: { headersMs: 300 } });
    await client.list();
    await emulator().injectFault({ match: { operation: "list" }, kind: "latency", ms: 2_000, times: 1 });
    const started = Date.now();
    assert.deepEqual(await client.list(), []);
    assert.ok(Date.now() - started < 1_900, "the slow attempt was abandoned, not waited out");
    assert.equal((await emulator().stats()).list, 3);
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
