/**
 * Never guessing about expiries (issue 11 §2): Zoho silently cuts an expiry beyond the version's
 * maximum to one hour, so the client refuses one before sending (by its own clock) and checks
 * the expiry Zoho answers against the one it asked for.
 */
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import {
  formatExpiry,
  requireSuccess,
  ZohoExpiryMismatchError,
  ZohoValidationError,
  type EnableItem,
  type WatchOutcome,
} from "../../provider/client";
import { channelIdsOf, successEntry, useScriptedZoho } from "./scripted-zoho";
import { clientAt, clientFor, NOTIFY_URL, useEmulator } from "./support";

function item(channelId: string, channelExpiry: DateTime): EnableItem {
  return { channelId, events: ["Leads.create"], notifyUrl: NOTIFY_URL, token: "tok", channelExpiry };
}

function mismatchOf(outcome: WatchOutcome | undefined): ZohoExpiryMismatchError {
  assert.ok(outcome && !outcome.ok, "expected the item to fail");
  assert.ok(outcome.error instanceof ZohoExpiryMismatchError, `got ${outcome.error.name}`);
  return outcome.error;
}

describe("expiries against the emulator", function () {
  const emulator = useEmulator();

  for (const [version, max, beyond] of [
    ["v8", "P7D", { days: 7, minutes: 10 }],
    ["v3", "P1D", { days: 1, minutes: 10 }],
  ] as const) {
    it(`refuses a channelExpiry beyond ${max} on ${version} before sending anything`, async () => {
      const client = clientFor(emulator(), { apiVersion: version });
      await emulator().resetStats();
      await assert.rejects(client.enable(item("1", DateTime.utc().plus(beyond))), (error: unknown) => {
        assert.ok(error instanceof ZohoValidationError);
        assert.equal(error.issues.length, 1);
        assert.match(
          error.issues[0] ?? "",
          new RegExp(`^channelExpiry: .*beyond the ${max} that API ${version} allows`),
        );
        assert.match(error.message, /silently cut the channel to 1 hour/);
        return true;
      });
      assert.equal((await emulator().stats()).total, 0, "nothing sent, not even a token request");
    });
  }

  it("accepts exactly the maximum measured from the client's clock, and Zoho keeps it", async () => {
    const now = DateTime.fromISO(await emulator().now(), { setZone: true });
    const client = clientFor(emulator(), { clock: () => now });
    const expiry = now.plus({ days: 7 });
    const [enabled] = requireSuccess(await client.enable(item("2", expiry)));
    assert.equal(enabled?.resources[0]?.channelExpiry?.toMillis(), expiry.startOf("second").toMillis());
  });

  it("fails the item with ZOHO_EXPIRY_MISMATCH when a clock ahead of Zoho's gets the one-hour cut", async () => {
    const ahead = (): DateTime => DateTime.utc().plus({ hours: 2 });
    const client = clientFor(emulator(), { clock: ahead });
    // Within P7D by the client's clock, about P7DT2H by Zoho's: Zoho answers one hour instead.
    const requested = ahead().plus({ days: 7 }).minus({ minutes: 1 });
    const error = mismatchOf((await client.enable(item("3", requested)))[0]);
    assert.equal(error.code, "ZOHO_EXPIRY_MISMATCH");
    assert.equal(error.channelId, "3");
    assert.equal(error.direction, "earlier");
    assert.equal(DateTime.fromISO(error.requestedExpiry).toMillis(), requested.startOf("second").toMillis());
    const emulatorNow = Date.parse(await emulator().now());
    const answered = DateTime.fromISO(error.answeredExpiry).toMillis();
    assert.ok(
      Math.abs(answered - (emulatorNow + 3_600_000)) < 120_000,
      "answered about one hour from Zoho's now",
    );
    assert.match(error.message, /channel 3/);
    assert.match(error.message, /clock runs ahead of Zoho's/);
    assert.match(error.message, /beyond the maximum/);
    // The write was applied: the channel exists with the short expiry, which the error says.
    const [channel] = await emulator().channels();
    assert.equal(Date.parse(channel?.expiresAt ?? ""), answered);
  });

  it("checks renewals too: PATCH and PUT answers are compared with the requested expiry", async () => {
    const honest = clientFor(emulator());
    requireSuccess(await honest.enable(item("4", DateTime.utc().plus({ days: 1 }))));
    const ahead = clientFor(emulator(), { clock: () => DateTime.utc().plus({ hours: 2 }) });
    const renewal = DateTime.utc().plus({ hours: 2, days: 7 }).minus({ minutes: 1 });
    mismatchOf(
      (
        await ahead.patch({ channelId: "4", events: ["Leads.create"], token: "tok", channelExpiry: renewal })
      )[0],
    );
    mismatchOf((await ahead.update(item("4", renewal)))[0]);
  });
});

describe("expiries in exact answers from a scripted server", function () {
  const zoho = useScriptedZoho();
  const requested = DateTime.utc().plus({ days: 3 }).startOf("second");

  /** Answers every write item with success and `expiry(requested)` as its channel_expiry. */
  function answerExpiry(expiry: (requested: DateTime) => string | undefined): void {
    zoho().answer((request) => ({
      status: 201,
      body: { watch: channelIdsOf(request).map((id) => successEntry(id, expiry(requested))) },
    }));
  }

  it("keeps a success whose answer omits the expiry", async () => {
    answerExpiry(() => undefined);
    requireSuccess(await clientAt(zoho().url).enable(item("5", requested)));
  });

  it("keeps a success whose answer is the same instant in the org's offset", async () => {
    answerExpiry((at) => formatExpiry(at.setZone("UTC-11")));
    requireSuccess(await clientAt(zoho().url).enable(item("6", requested)));
  });

  it("accepts a difference within the tolerance and refuses one beyond it", async () => {
    answerExpiry((at) => formatExpiry(at.plus({ minutes: 2 })));
    requireSuccess(await clientAt(zoho().url).enable(item("7", requested)));
    const strict = clientAt(zoho().url, { expiryToleranceMs: 60_000 });
    assert.equal(mismatchOf((await strict.enable(item("7", requested)))[0]).direction, "later");
  });

  it("refuses an answer an hour later than requested, as one capture showed", async () => {
    answerExpiry((at) => formatExpiry(at.plus({ hours: 1 })));
    const error = mismatchOf((await clientAt(zoho().url).enable(item("8", requested)))[0]);
    assert.equal(error.direction, "later");
    assert.match(error.message, /1 hour later than the requested/);
  });
});
