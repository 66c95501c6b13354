import assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import { ZohoClient, item, useEmulator, codeOf } from "./helpers";

/** Zoho's v8 OpenAPI example of a 429, word for word (it has no `details`). */
const RATE_LIMIT_EXCEEDED_BODY = {
  code: "RATE_LIMIT_EXCEEDED",
  message: "Too many requests. Please try again later.",
  status: "error",
};

describe("emulator: injected faults and the concurrency limit", () => {
  const ctx = useEmulator();

  it("status: answers the status instead of processing, for `times` matching requests", async () => {
    const fault = await ctx.emulator.injectFault({
      kind: "status",
      status: 503,
      match: { operation: "enable" },
      times: 1,
    });
    assert.equal(fault.remaining, 1);
    await ctx.zoho.token();
    const failed = await ctx.zoho.enable("v8", item("1"));
    assert.equal(failed.status, 503);
    assert.match(String(failed.headers["content-type"]), /text\/html/);
    assert.deepEqual(await ctx.emulator.channels(), [], "nothing was created");
    assert.equal((await ctx.zoho.enable("v8", item("1"))).status, 201, "the fault was used up");
    assert.deepEqual(await ctx.emulator.faults(), []);
  });

  it("status 429: TOO_MANY_REQUESTS body with Retry-After, counted in stats", async () => {
    await ctx.zoho.token();
    await ctx.emulator.injectFault({
      kind: "status",
      status: 429,
      retryAfterSeconds: 7,
      match: { method: "get" },
    });
    const reply = await ctx.zoho.list("v8");
    assert.equal(reply.status, 429);
    assert.equal(reply.headers["retry-after"], "7");
    assert.deepEqual(reply.body, {
      code: "TOO_MANY_REQUESTS",
      details: {},
      message: "too many requests. please try again after some time",
      status: "error",
    });
    assert.equal((await ctx.zoho.list("v8")).status, 429, "without times it stays until cleared");
    await ctx.emulator.clearFaults();
    assert.equal((await ctx.zoho.list("v8")).status, 204);
    assert.equal((await ctx.emulator.stats()).rejected429, 2);
  });

  it("status 429 with code RATE_LIMIT_EXCEEDED: the v8 OpenAPI body", async () => {
    await ctx.zoho.token();
    await ctx.emulator.injectFault({ kind: "status", status: 429, code: "RATE_LIMIT_EXCEEDED", times: 1 });
    const reply = await ctx.zoho.list("v8");
    assert.equal(reply.status, 429);
    assert.deepEqual(reply.body, RATE_LIMIT_EXCEEDED_BODY);
    assert.equal((await ctx.emulator.stats()).rejected429, 1);
  });

  it("refuses a fault code on a status other than 429", async () => {
    await assert.rejects(
      ctx.emulator.injectFault({ kind: "status", status: 500, code: "RATE_LIMIT_EXCEEDED" }),
      /code only applies to status 429/,
    );
  });

  it("rateLimitCode RATE_LIMIT_EXCEEDED: the concurrency limit and code-less 429 faults answer it", async () => {
    const emulator = await startEmulator({
      tokenRateLimit: false,
      concurrencyLimit: 1,
      rateLimitCode: "RATE_LIMIT_EXCEEDED",
    });
    try {
      const zoho = new ZohoClient(emulator);
      await zoho.token();
      await emulator.injectFault({ kind: "status", status: 429, times: 1 });
      assert.deepEqual((await zoho.list("v8")).body, RATE_LIMIT_EXCEEDED_BODY);
      // The first list waits in flight while the second arrives: the second is over the limit.
      await emulator.injectFault({ kind: "latency", ms: 500, match: { operation: "list" }, times: 1 });
      const replies = await Promise.all([zoho.list("v8"), zoho.list("v8")]);
      const rejected = replies.find((reply) => reply.status === 429);
      assert.deepEqual(rejected?.body, RATE_LIMIT_EXCEEDED_BODY);
    } finally {
      await emulator.close();
    }
  });

  it("status 500: INTERNAL_ERROR body", async () => {
    await ctx.emulator.injectFault({ kind: "status", status: 500, match: { path: "/actions/watch" } });
    const reply = await ctx.zoho.list("v8");
    assert.equal(reply.status, 500);
    assert.equal(codeOf(reply.body), "INTERNAL_ERROR");
  });

  it("latency: delays the answer, so a later request is answered first", async () => {
    await ctx.zoho.token();
    await ctx.emulator.injectFault({ kind: "latency", ms: 5_000, times: 1 });
    const answered: string[] = [];
    const slow = ctx.zoho.list("v8").then((reply) => answered.push(`slow ${reply.status}`));
    // The slow request has reached the emulator (and taken the fault) before the fast one is sent.
    while ((await ctx.emulator.stats()).list < 1) await new Promise((resolve) => setImmediate(resolve));
    await ctx.zoho.list("v8").then((reply) => answered.push(`fast ${reply.status}`));
    await slow;
    assert.deepEqual(answered, ["fast 204", "slow 204"]);
  });

  it("drop-connection: the socket dies before anything happens", async () => {
    await ctx.zoho.token();
    await ctx.emulator.injectFault({ kind: "drop-connection", match: { operation: "enable" }, times: 1 });
    await assert.rejects(ctx.zoho.enable("v8", item("1")));
    assert.deepEqual(await ctx.emulator.channels(), []);
  });

  it("drop-response: the change is applied, then the socket dies without an answer (lost response)", async () => {
    await ctx.zoho.token();
    await ctx.emulator.injectFault({ kind: "drop-response", match: { operation: "enable" }, times: 1 });
    await assert.rejects(ctx.zoho.enable("v8", item("1")));
    const channels = await ctx.emulator.channels();
    assert.deepEqual(
      channels.map((channel) => channel.channelId),
      ["1"],
    );
  });

  it("matches the OAuth endpoint as operation token, and never touches control calls", async () => {
    await ctx.emulator.injectFault({ kind: "status", status: 500, match: { operation: "token" } });
    await ctx.emulator.injectFault({ kind: "drop-connection", match: { path: "/" } });
    assert.equal((await ctx.zoho.requestToken()).status, 500);
    assert.equal((await ctx.emulator.faults()).length, 2);
    assert.ok(await ctx.emulator.now(), "control calls still work");
  });

  it("refuses an invalid fault", async () => {
    await assert.rejects(
      ctx.emulator.injectFault({ kind: "status", status: 418 } as unknown as Parameters<
        typeof ctx.emulator.injectFault
      >[0]),
    );
  });

  it("answers 429 TOO_MANY_REQUESTS beyond the concurrency limit, 5 by default", async () => {
    await ctx.zoho.token();
    await ctx.emulator.injectFault({ kind: "latency", ms: 500, match: { operation: "list" } });
    const six = await Promise.all(Array.from({ length: 6 }, () => ctx.zoho.list("v8")));
    assert.deepEqual(six.map((reply) => reply.status).sort(), [204, 204, 204, 204, 204, 429]);

    await ctx.emulator.setConcurrencyLimit(2);
    const four = await Promise.all(Array.from({ length: 4 }, () => ctx.zoho.list("v8")));
    assert.deepEqual(four.map((reply) => reply.status).sort(), [204, 204, 429, 429]);
    const rejected = four.find((reply) => reply.status === 429);
    assert.equal(codeOf(rejected?.body), "TOO_MANY_REQUESTS");

    await ctx.emulator.setConcurrencyLimit(0);
    const unlimited = await Promise.all(Array.from({ length: 8 }, () => ctx.zoho.list("v8")));
    assert.ok(unlimited.every((reply) => reply.status === 204));
    assert.equal((await ctx.emulator.stats()).rejected429, 3);
  });

  it("does not count control calls or the token endpoint against the concurrency limit", async () => {
    await ctx.emulator.setConcurrencyLimit(1);
    await ctx.emulator.injectFault({ kind: "latency", ms: 200, match: { operation: "token" } });
    const replies = await Promise.all([
      ctx.zoho.requestToken(),
      ctx.zoho.requestToken(),
      ctx.emulator.channels(),
    ]);
    assert.equal(replies[0].status, 200);
    assert.equal(replies[1].status, 200);
  });
});
