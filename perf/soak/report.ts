/** The continuity run's report as text, for the terminal and CI logs. */
import type { SoakReport } from "./continuity";

const pct = (fraction: number): string => `${(fraction * 100).toFixed(fraction === 1 ? 0 : 3)}%`;

export function formatReport(report: SoakReport): string {
  const lines: string[] = [];
  lines.push(
    `Continuity run "${report.scenario}": ${report.simulated.days} simulated days (${report.simulated.from} → ${report.simulated.to}) in ${Math.round(report.realMs / 1000)} s`,
    "",
    "Runs:",
  );
  for (const run of report.runs) {
    const fault = run.fault ? `  fault: ${run.fault.kind}${run.fault.fired ? "" : " (met no request)"}` : "";
    lines.push(
      `  slot ${String(run.slot).padStart(2)} ${run.stack.padEnd(8)} ${run.at.slice(0, 16)}  ${run.status.padEnd(6)} ${String(run.apiCalls).padStart(3)} API calls, ${run.tokenRequests} token, ${(run.wallMs / 1000).toFixed(1)} s${fault}`,
    );
  }
  const failed = report.runs.filter((r) => r.status === "failed");
  lines.push(
    "",
    `Runs failed: ${failed.length} of ${report.runs.filter((r) => r.status !== "missed").length}; missed: ${report.runs.filter((r) => r.status === "missed").length}`,
  );
  for (const recovery of report.recoveries) {
    lines.push(
      `  ${recovery.failed} → ${recovery.next ?? "(no later run)"}: ${recovery.recovered ? "recovered" : "NOT recovered"}`,
    );
  }
  lines.push("", "Subscribed time per channel:");
  for (const channel of report.channels) {
    const gaps =
      channel.gaps.length > 0 ? `  gaps: ${channel.gaps.map((g) => `${g.from} → ${g.to}`).join(", ")}` : "";
    lines.push(
      `  ${`${channel.stack}/${channel.name}`.padEnd(22)} ${channel.channelId}  ${pct(channel.subscribedFraction)}${gaps}`,
    );
  }
  const n = report.notifications;
  lines.push(
    "",
    `Notifications: ${n.changes} record changes, ${n.expected} expected, ${n.delivered} delivered, ${n.lost} lost (${n.lostWhileSubscribed} while subscribed), ${n.wrongToken} with a wrong token`,
    "",
    `Drift at the end: ${report.drift.length === 0 ? "none" : ""}`,
    ...report.drift.map((d) => `  ${d}`),
    "",
    "Goals:",
    ...report.goals.map((g) => `  ${g.met ? "✔" : "✘"} ${g.goal}: ${g.detail}`),
    "",
    report.ok ? "All goals met." : "A goal was missed.",
  );
  return lines.join("\n");
}
