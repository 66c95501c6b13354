/**
 * `zoho-watch status`: which live channels are at risk, and, given the stack's state, which managed
 * channels are missing or no longer what the stack declared.
 *
 * Pure: it judges the channels it is given at the time it is given, so every rule is testable
 * without a clock or a server. main.ts fetches the channels and prints the report.
 */
import { Duration, type DateTime } from "luxon";
import { renewalDue, renewalWindow } from "../provider/channel/renewal";
import { eventsByModule, sameEvents } from "./events";
import { notifyHost, type LiveChannel } from "./live";
import type { ChannelReport, Finding, StatusReport } from "./report";
import type { ManagedChannel } from "./state";

/** What {@link judgeStatus} needs. */
export interface StatusInput {
  live: readonly LiveChannel[];
  /** The stack's channels, or undefined without --state (then every live channel is judged). */
  managed: readonly ManagedChannel[] | undefined;
  now: DateTime;
  warnWithin: Duration;
  warnWithinText: string;
}

/** Judges every channel; the report's `healthy` decides the exit code. */
export function judgeStatus(input: StatusInput): StatusReport {
  const { live, managed, now, warnWithin, warnWithinText } = input;
  const withState = managed !== undefined;
  const managedById = new Map((managed ?? []).map((channel) => [channel.channelId, channel]));
  const channels: ChannelReport[] = [];

  for (const channel of live) {
    const declared = managedById.get(channel.channelId);
    // Without a state every channel is ours to judge; with one, only the stack's channels can fail it.
    const severity = !withState || declared ? "risk" : "note";
    const findings: Finding[] = [];
    if (withState && !declared) {
      findings.push({
        code: "unmanaged",
        severity: "note",
        message: "not managed by this stack; `zoho-watch adopt` prints a declaration to take it over",
      });
    }
    const left = channel.channelExpiry.diff(now);
    if (left.toMillis() <= warnWithin.toMillis()) {
      findings.push({
        code: "lapsing",
        severity,
        message:
          left.toMillis() <= 0
            ? `lapsed at ${utc(channel.channelExpiry)}`
            : `lapses in ${humanDuration(left)} (at ${utc(channel.channelExpiry)}), within the ${warnWithinText} window`,
      });
    }
    // A channel declared without a token is meant to have none; any other null token is the trap.
    if (channel.token === null && (!declared || declared.token !== undefined)) {
      findings.push({
        code: "null-token",
        severity,
        message: declared
          ? "Zoho holds no token although the stack declares one (a PATCH without `token` clears it): receivers that verify tokens refuse every notification; `pulumi up --refresh` restores it"
          : "Zoho holds no token (a PATCH without `token` clears it): receivers that verify tokens refuse every notification",
      });
    }
    if (declared) {
      // The question the next `pulumi up` asks of the state, answered by the same policy.
      const due = renewalOnNextUp(declared, now);
      if (due) findings.push({ code: "renewal-due", severity: "note", message: due });
      const differs = differences(channel, declared);
      if (differs.length > 0) {
        findings.push({
          code: "differs",
          severity: "risk",
          message: `${differs.join(", ")} ${differs.length === 1 ? "differs" : "differ"} from the stack's state (changed outside Pulumi); \`pulumi up --refresh\` puts the declared ones back`,
          fields: differs,
        });
      }
    }
    channels.push({
      channelId: channel.channelId,
      live: true,
      managed: withState ? declared !== undefined : null,
      resource: declared ? { name: declared.name, urn: declared.urn } : null,
      eventsByModule: eventsByModule(channel.events),
      expiry: { org: iso(channel.channelExpiry), utc: utc(channel.channelExpiry) },
      timeLeft: {
        iso: isoDuration(left),
        seconds: Math.floor(left.as("seconds")),
      },
      tokenSet: channel.token !== null,
      notifyHost: notifyHost(channel.notifyUrl),
      notificationCondition: channel.notificationCondition,
      findings,
    });
  }

  const liveIds = new Set(live.map((channel) => channel.channelId));
  for (const declared of managed ?? []) {
    if (liveIds.has(declared.channelId)) continue;
    const expiredAt = declared.channelExpiry ? ` (the state's expiry: ${declared.channelExpiry})` : "";
    channels.push({
      channelId: declared.channelId,
      live: false,
      managed: true,
      resource: { name: declared.name, urn: declared.urn },
      eventsByModule: declared.events?.known ? eventsByModule(declared.events.value) : {},
      expiry: null,
      timeLeft: null,
      tokenSet: null,
      notifyHost: declared.notifyUrl?.known ? notifyHost(declared.notifyUrl.value) : null,
      notificationCondition: null,
      findings: [
        {
          code: "missing",
          severity: "risk",
          message: `the stack manages it but Zoho does not list it: it lapsed or was disabled${expiredAt}; no notification arrives until \`pulumi up --refresh\` recreates it`,
        },
      ],
    });
  }

  const risks = channels.flatMap((channel) =>
    channel.findings
      .filter((finding) => finding.severity === "risk")
      .map((finding) => `${label(channel)}: ${finding.code}: ${finding.message}`),
  );
  return {
    schemaVersion: 1,
    checkedAt: utc(now),
    warnWithin: warnWithinText,
    withState,
    healthy: risks.length === 0,
    risks,
    channels,
  };
}

/**
 * Whether the stack's next `pulumi up` renews the channel, and why: the provider's renewal policy
 * (provider/channel/renewal.ts) asked of the expiry and window the state holds, as its diff asks.
 */
function renewalOnNextUp(declared: ManagedChannel, now: DateTime): string | undefined {
  if (declared.channelExpiry === undefined || declared.renewBefore === undefined) return undefined;
  const due = renewalDue(declared.channelExpiry, renewalWindow(declared.renewBefore, undefined), now);
  return due && `the next \`pulumi up\` renews it: ${due.reason}`;
}

/** What differs between the live channel and the state, among what the state lets us compare. */
function differences(channel: LiveChannel, declared: ManagedChannel): ("notifyUrl" | "events" | "token")[] {
  const fields: ("notifyUrl" | "events" | "token")[] = [];
  // Encrypted values (an export without --show-secrets) cannot be compared: they are skipped.
  if (declared.notifyUrl?.known && declared.notifyUrl.value !== channel.notifyUrl) fields.push("notifyUrl");
  if (declared.events?.known && !sameEvents(declared.events.value, channel.events)) fields.push("events");
  if (declared.token?.known && channel.token !== null && declared.token.value !== channel.token) {
    fields.push("token");
  }
  return fields;
}

/** The text output: one block per channel, then the verdict. */
export function renderStatus(report: StatusReport): string {
  const lines: string[] = [];
  const live = report.channels.filter((channel) => channel.live).length;
  const managed = report.channels.filter((channel) => channel.managed).length;
  lines.push(
    `zoho-watch status at ${report.checkedAt}: ${live} live channel${live === 1 ? "" : "s"}` +
      (report.withState ? `, ${managed} managed by the stack` : "") +
      `; warning within ${report.warnWithin}`,
  );
  for (const channel of report.channels) {
    const risky = channel.findings.some((finding) => finding.severity === "risk");
    lines.push("");
    lines.push(`${risky ? "AT RISK" : "ok     "}  channel ${label(channel)}`);
    const modules = Object.entries(channel.eventsByModule);
    lines.push(
      `  events     ${modules.length === 0 ? "(unknown)" : modules.map(([module, ops]) => `${module}: ${ops.join(", ")}`).join("; ")}`,
    );
    if (channel.expiry && channel.timeLeft) {
      lines.push(
        `  expires    ${channel.expiry.org} (${channel.expiry.utc}), ${channel.timeLeft.seconds > 0 ? `in ${humanDuration(Duration.fromObject({ seconds: channel.timeLeft.seconds }))}` : "lapsed"}`,
      );
    } else {
      lines.push("  expires    (not live)");
    }
    lines.push(
      `  token      ${channel.tokenSet === null ? "(not live)" : channel.tokenSet ? "set" : "null"}`,
    );
    lines.push(`  notify     ${channel.notifyHost ?? "(unknown)"}`);
    lines.push(`  condition  ${describeConditions(channel.notificationCondition)}`);
    if (channel.managed !== null) {
      lines.push(`  managed    ${channel.resource ? `yes: ${channel.resource.name}` : "no"}`);
    }
    for (const finding of channel.findings) {
      lines.push(`  ${finding.severity === "risk" ? "!" : "-"} ${finding.code}: ${finding.message}`);
    }
  }
  lines.push("");
  if (report.healthy) {
    lines.push(`healthy: nothing at risk within ${report.warnWithin}`);
  } else {
    lines.push(`AT RISK (${report.risks.length}):`);
    for (const risk of report.risks) lines.push(`  ${risk}`);
  }
  return `${lines.join("\n")}\n`;
}

function label(channel: Pick<ChannelReport, "channelId" | "resource">): string {
  return channel.resource ? `${channel.channelId} (${channel.resource.name})` : channel.channelId;
}

/** `Deals: Amount or Stage`, one per condition; `none` without. */
function describeConditions(conditions: readonly unknown[] | null): string {
  if (!conditions || conditions.length === 0) return "none";
  return conditions
    .map((condition) => {
      const { module, fieldSelection } = condition as {
        module?: { apiName?: string };
        fieldSelection?: unknown;
      };
      return `${module?.apiName ?? "?"}: ${describeSelection(fieldSelection, true)}`;
    })
    .join("; ");
}

function describeSelection(node: unknown, top: boolean): string {
  const value = node as { field?: { apiName?: string }; groupOperator?: string; group?: unknown[] };
  if (value?.field) return value.field.apiName ?? "?";
  if (Array.isArray(value?.group)) {
    const text = value.group
      .map((child) => describeSelection(child, false))
      .join(` ${value.groupOperator ?? "and"} `);
    return top ? text : `(${text})`;
  }
  return "?";
}

function iso(time: DateTime): string {
  return time.startOf("second").toISO({ suppressMilliseconds: true }) ?? "(invalid)";
}

function utc(time: DateTime): string {
  return iso(time.toUTC());
}

/** `6d 23h 59m`; minutes are the smallest unit a person acts on (`0m` under a minute). */
export function humanDuration(duration: Duration): string {
  const totalMinutes = Math.max(0, Math.floor(duration.as("minutes")));
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  return [days > 0 ? `${days}d` : "", days > 0 || hours > 0 ? `${hours}h` : "", `${minutes}m`]
    .filter(Boolean)
    .join(" ");
}

function isoDuration(duration: Duration): string {
  const seconds = Math.floor(duration.as("seconds"));
  const sign = seconds < 0 ? "-" : "";
  return (
    sign +
    (Duration.fromObject({ seconds: Math.abs(seconds) })
      .shiftTo("days", "hours", "minutes", "seconds")
      .toISO() ?? "PT0S")
  );
}
