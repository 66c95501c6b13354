// The renewal policy: its checks in order, each with its own reason, and the window that applies.
import assert from "node:assert/strict";
import { DateTime, Duration } from "luxon";
import { UNKNOWN } from "../../provider/channel/inputs";
import { RENEWAL_POLICY, renewalDue, renewalWindow } from "../../provider/channel/renewal";

const expiry = "2026-11-08T05:30:00+05:30"; // 2026-11-08T00:00:00Z
const window = Duration.fromISO("P2D");
const at = (iso: string) => DateTime.fromISO(iso, { zone: "utc" });

describe("the renewal policy", function () {
  it("asks its checks in order: unreadable expiry, expired, inside the window", function () {
    assert.deepEqual(
      RENEWAL_POLICY.map((check) => check.name),
      ["expiry-unreadable", "expired", "inside-renewal-window"],
    );
  });

  it("answers nothing outside the window", function () {
    assert.equal(renewalDue(expiry, window, at("2026-11-05T23:59:00Z")), undefined);
  });

  it("renews inside the window, saying when the channel expires", function () {
    const due = renewalDue(expiry, window, at("2026-11-06T00:00:00Z"));
    assert.equal(due?.check, "inside-renewal-window");
    assert.match(
      due?.reason ?? "",
      /expires at 2026-11-08T05:30:00\+05:30, in 2 days, inside the renewal window of P2D$/,
    );
    // Only the units that are not zero, and words for what is under a minute.
    const later = renewalDue(expiry, window, at("2026-11-06T23:00:00Z"))?.reason;
    assert.match(later ?? "", /, in 1 day, 1 hour, inside/);
    const last = renewalDue(expiry, window, at("2026-11-07T23:59:45Z"))?.reason;
    assert.match(last ?? "", /, in less than a minute, inside/);
  });

  it("renews an expired channel, and one whose stored expiry cannot be read, before the window", function () {
    assert.equal(renewalDue(expiry, window, at("2026-11-08T00:00:00Z"))?.check, "expired");
    assert.deepEqual(renewalDue("soon", window, at("2026-11-01T00:00:00Z")), {
      check: "expiry-unreadable",
      reason: 'the stored channelExpiry "soon" is unreadable',
    });
  });

  it("judges nothing without a readable window", function () {
    assert.equal(renewalDue(expiry, undefined, at("2026-12-01T00:00:00Z")), undefined);
  });

  it("takes the declared window when known, else the stored one", function () {
    assert.equal(renewalWindow("P2D", "P3D")?.toISO(), "P3D");
    assert.equal(renewalWindow("P2D", UNKNOWN)?.toISO(), "P2D");
    assert.equal(renewalWindow("P2D", undefined)?.toISO(), "P2D");
    assert.equal(renewalWindow("P2D", "nonsense"), undefined);
  });
});
