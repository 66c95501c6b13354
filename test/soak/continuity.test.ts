// The short continuity run (perf/soak/scenario.ts SHORT): two simulated days of scheduled
// `pulumi up` runs with record changes, a missed run, a lost response, an expired access token and
// an outage, through the real CLI against the emulator. It asserts the goals, never timings.
import assert from "node:assert/strict";
import { runSoak, type SoakReport } from "../../perf/soak/continuity";
import { formatReport } from "../../perf/soak/report";
import { SHORT } from "../../perf/soak/scenario";

describe("continuity: channels stay subscribed through two simulated days of CI runs and faults", function () {
  this.timeout(300_000);
  let report: SoakReport;

  before(async () => {
    report = await runSoak(SHORT);
  });

  const goal = (text: string) => {
    const found = report.goals.find((g) => g.goal.startsWith(text));
    assert.ok(found, `goal "${text}" is reported`);
    return found;
  };

  it("runs the schedule: one run missed, the outage run failed, every fault met a request", () => {
    assert.deepEqual(
      report.runs.filter((r) => r.status === "missed").map((r) => r.slot),
      SHORT.missedSlots,
    );
    assert.deepEqual(
      report.runs.filter((r) => r.status === "failed").map((r) => r.fault?.kind),
      ["outage"],
      formatReport(report),
    );
    for (const run of report.runs.filter((r) => r.fault)) {
      assert.ok(run.fault?.fired, `slot ${run.slot}: the ${run.fault?.kind} fault met a request`);
    }
  });

  it("keeps every channel subscribed 100% of the simulated time", () => {
    const { met, detail } = goal("every channel subscribed");
    assert.ok(met, detail);
    assert.ok(report.channels.length > 0);
    assert.ok(report.channels.every((c) => c.subscribedFraction === 1 && c.gaps.length === 0));
  });

  it("delivers every expected notification, with the declared token", () => {
    const { met, detail } = goal("no notification lost");
    assert.ok(met, detail);
    assert.ok(report.notifications.expected > 0, "the run expected some notifications");
    assert.equal(report.notifications.delivered, report.notifications.expected);
  });

  it("recovers from the failed run on the next run", () => {
    const { met, detail } = goal("every failed run recovered");
    assert.ok(met, detail);
    assert.equal(report.recoveries.length, 1);
  });

  it("ends with Pulumi state and the live channels in agreement", () => {
    const { met, detail } = goal("no drift");
    assert.ok(met, detail);
    assert.deepEqual(report.drift, []);
  });

  it("makes one token request per run, two where the access token expired mid-run", () => {
    for (const run of report.runs.filter((r) => r.status !== "missed")) {
      assert.equal(run.tokenRequests, run.fault?.kind === "expired-token" ? 2 : 1, `slot ${run.slot}`);
    }
  });
});
