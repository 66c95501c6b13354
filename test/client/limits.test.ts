/**
 * Zoho's published limits on the client side (issue 12 §1): writes split at 50 items, DELETE
 * split at 512 characters of channel_ids, both rate-limit codes, NOT_SUBSCRIBED with empty
 * details, and GET answers that must not be read as "the channel is gone".
 */
import assert from "node:assert/strict";
import {
  isAlreadyGone,
  LIMITS,
  requireSuccess,
  ZohoNotFoundError,
  ZohoRateLimitError,
  ZohoUnexpectedAnswerError,
  ZohoValidationError,
  type EnableItem,
} from "../../provider/client";
import { channelIdsOf, successEntry, useScriptedZoho } from "./scripted-zoho";
import { clientAt, clientFor, NOTIFY_URL, useEmulator } from "./support";

function item(channelId: string): EnableItem {
  return { channelId, events: ["Leads.create"], notifyUrl: NOTIFY_URL, token: `tok-${channelId}` };
}

/** `count` distinct 19-digit channel ids, the longest Zoho issues. */
function longIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(1105420521999070000n + BigInt(i)));
}

describe("Zoho's published limits against the emulator", function () {
  const emulator = useEmulator();

  it("sends a write of more than 50 items as requests of at most 50, outcomes in item order", async () => {
    const client = clientFor(emulator());
    const ids = Array.from({ length: 120 }, (_, i) => String(7000 + i));
    await client.list(); // the token first, so stats count only the writes
    await emulator().resetStats();
    const outcomes = requireSuccess(await client.enable(ids.map(item)));
    assert.deepEqual(
      outcomes.map((o) => o.channelId),
      ids,
    );
    assert.equal((await emulator().stats()).enable, Math.ceil(120 / LIMITS.maxItemsPerWrite));
    assert.equal((await emulator().channels()).length, 120);
  });

  it("keeps each item's own outcome across requests: one unknown channel fails alone", async () => {
    const client = clientFor(emulator());
    const ids = Array.from({ length: 60 }, (_, i) => String(8000 + i));
    requireSuccess(await client.enable(ids.map(item)));
    const patched = [...ids];
    patched[55] = "999999"; // never enabled: Zoho answers NOT_SUBSCRIBED for this item only
    const outcomes = await client.patch(
      patched.map((channelId) => ({ channelId, events: ["Leads.edit"], token: `tok-${channelId}` })),
    );
    assert.equal(outcomes.length, 60);
    outcomes.forEach((outcome, i) => {
      assert.equal(outcome.channelId, patched[i]);
      if (i === 55) assert.ok(!outcome.ok && outcome.error instanceof ZohoNotFoundError);
      else assert.ok(outcome.ok, `item ${i}`);
    });
  });

  it("disables more channels than one channel_ids parameter holds with several DELETEs", async () => {
    const client = clientFor(emulator());
    const ids = longIds(60);
    requireSuccess(await client.enable(ids.map(item)));
    await emulator().resetStats();
    const outcomes = requireSuccess(await client.disable(ids));
    assert.deepEqual(
      outcomes.map((o) => o.channelId),
      ids,
    );
    // 25 ids of 19 digits and 24 commas are 499 characters; a 26th would pass 512.
    assert.equal((await emulator().stats()).disable, 3);
    assert.deepEqual(
      (await emulator().channels()).filter((c) => c.live),
      [],
    );
  });
});

describe("Zoho's published limits, exact answers from a scripted server", function () {
  const zoho = useScriptedZoho();

  it("never sends a channel_ids parameter longer than 512 characters, commas written as commas", async () => {
    zoho().answer((request) => ({
      status: 200,
      body: {
        watch: (request.url.searchParams.get("channel_ids") ?? "").split(",").map((id) => ({
          code: "SUCCESS",
          status: "success",
          message: "Successfully un-subscribed from actions-watch",
          details: { channel_id: id, resource_name: "Leads" },
        })),
      },
    }));
    const ids = longIds(80);
    requireSuccess(await clientAt(zoho().url).disable(ids));
    const sent = zoho().requests.map((r) => /(?:^|&)channel_ids=([^&]*)/.exec(r.rawQuery)?.[1] ?? "");
    for (const parameter of sent) {
      assert.ok(parameter.length <= LIMITS.maxChannelIdsParamLength, `${parameter.length} characters`);
      assert.match(parameter, /^\d+(,\d+)*$/);
    }
    assert.deepEqual(sent.join(",").split(","), ids);
  });

  it("fails only the items of a request that failed as a whole, and throws when all failed", async () => {
    zoho().answer((request, index) =>
      index === 1
        ? {
            status: 400,
            body: { code: "INVALID_DATA", details: {}, message: "invalid data", status: "error" },
          }
        : { status: 201, body: { watch: channelIdsOf(request).map((id) => successEntry(id)) } },
    );
    const ids = Array.from({ length: 110 }, (_, i) => String(100 + i));
    const outcomes = await clientAt(zoho().url).enable(ids.map(item));
    assert.deepEqual(
      zoho().requests.map((r) => channelIdsOf(r).length),
      [50, 50, 10],
    );
    assert.deepEqual(
      outcomes.map((o) => o.channelId),
      ids,
    );
    outcomes.forEach((outcome, i) => {
      const inFailedRequest = i >= 50 && i < 100;
      assert.equal(outcome.ok, !inFailedRequest, `item ${i}`);
      if (!outcome.ok) assert.ok(outcome.error instanceof ZohoValidationError);
    });

    zoho().answer(() => ({
      status: 400,
      body: { code: "INVALID_DATA", details: {}, message: "invalid data", status: "error" },
    }));
    await assert.rejects(clientAt(zoho().url).enable(ids.map(item)), ZohoValidationError);
  });

  for (const code of ["RATE_LIMIT_EXCEEDED", "TOO_MANY_REQUESTS"]) {
    it(`retries a 429 ${code} and reports it as ZOHO_RATE_LIMITED when it persists`, async () => {
      const limited = {
        status: 429,
        body: {
          code,
          details: {},
          message: "too many requests. please try again after some time",
          status: "error",
        },
      };
      zoho().answer((_request, index) => (index === 0 ? limited : { status: 204 }));
      assert.deepEqual(await clientAt(zoho().url).list(), []);
      assert.equal(zoho().requests.length, 2);

      zoho().answer(() => limited);
      await assert.rejects(
        clientAt(zoho().url, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }).list(),
        (error: unknown) => {
          assert.ok(error instanceof ZohoRateLimitError);
          assert.equal(error.zohoCode, code);
          assert.equal(error.status, 429);
          assert.equal(error.attempts, 2);
          return true;
        },
      );
    });
  }

  it("reads NOT_SUBSCRIBED with empty details as 'not subscribed', in an entry or as the whole answer", async () => {
    const notSubscribed = {
      code: "NOT_SUBSCRIBED",
      details: {},
      message: "the given channel is not subscribed",
      status: "error",
    };
    const client = clientAt(zoho().url);
    const patch = { channelId: "42", events: ["Leads.edit"], token: "tok" };

    zoho().answer(() => ({ status: 400, body: { watch: [notSubscribed] } }));
    const [entry] = await client.patch(patch);
    assert.ok(entry && !entry.ok && entry.error instanceof ZohoNotFoundError);
    assert.equal(entry.channelId, "42");

    zoho().answer(() => ({ status: 400, body: notSubscribed }));
    const [whole] = await client.patch(patch);
    assert.ok(whole && !whole.ok && whole.error instanceof ZohoNotFoundError);
    assert.equal(whole.error.channelId, "42");

    const [disabled] = await client.disable("42");
    assert.ok(disabled && !disabled.ok && isAlreadyGone(disabled.error));
  });

  it("reads only HTTP 204 or an empty list as 'no channel'", async () => {
    const client = clientAt(zoho().url);
    for (const answer of [{ status: 204 }, { status: 200, body: { watch: [] } }, { status: 200, body: [] }]) {
      zoho().answer(() => answer);
      assert.deepEqual(await client.list(), [], JSON.stringify(answer));
      assert.equal(await client.get("42"), undefined, JSON.stringify(answer));
    }
  });

  it("refuses to read an empty 200 or a malformed GET answer as 'gone' (that orphans channels)", async () => {
    const client = clientAt(zoho().url);
    for (const answer of [
      { status: 200 },
      { status: 200, body: "   " },
      { status: 200, body: {} },
      { status: 200, body: { watch: [{ channel_id: "42" }] } },
      { status: 200, body: "<html>maintenance</html>" },
    ]) {
      zoho().answer(() => answer);
      await assert.rejects(client.get("42"), ZohoUnexpectedAnswerError, JSON.stringify(answer));
    }
  });
});
