/**
 * The `zoho-watch status --json` document: the schema is the contract (documented in docs/monitoring.md),
 * the types are inferred from it.
 *
 * Nothing in it is secret: no token (only whether one is set), no notify URL (only its host).
 */
import * as z from "../provider/zod";

/** What can be wrong with a channel. */
export const FINDING_CODES = [
  "lapsing",
  "missing",
  "null-token",
  "differs",
  "unmanaged",
  "renewal-due",
] as const;

export const FindingSchema = z.strictObject({
  /**
   * `lapsing`: expires within the window; `missing`: in the state, not live; `null-token`: Zoho holds
   * no token (the bare-PATCH trap); `differs`: URL, events or token differ from the state;
   * `unmanaged`: live but not in the state (only with --state); `renewal-due`: the stack's next
   * `pulumi up` renews it, and why, as the provider's renewal policy judges the state (a note).
   */
  code: z.enum(FINDING_CODES),
  /** `risk` makes the exit code 1; `note` does not (e.g. anything about a channel the stack does not manage). */
  severity: z.enum(["risk", "note"]),
  /** One line for a person; names the channel's problem, never a secret. */
  message: z.string(),
  /** For `differs`: which of `notifyUrl`, `events`, `token`. */
  fields: z.array(z.enum(["notifyUrl", "events", "token"])).optional(),
});

export const ChannelReportSchema = z.strictObject({
  channelId: z.string(),
  /** False for a managed channel Zoho no longer lists. */
  live: z.boolean(),
  /** With --state: whether the stack manages it; null without --state. */
  managed: z.boolean().nullable(),
  /** The Pulumi resource name and URN when managed. */
  resource: z.strictObject({ name: z.string(), urn: z.string() }).nullable(),
  /** Operations per module, e.g. `{"Deals": ["edit", "create", "delete"]}` (live events, else the state's). */
  eventsByModule: z.record(z.string(), z.array(z.string())),
  /** Live expiry in the org's offset as Zoho wrote it, and in UTC; null when not live. */
  expiry: z.strictObject({ org: z.string(), utc: z.string() }).nullable(),
  /** Time left as an ISO-8601 duration and in whole seconds; null when not live. */
  timeLeft: z.strictObject({ iso: z.string(), seconds: z.number().int() }).nullable(),
  /** Whether Zoho holds a verification token; null when not live. */
  tokenSet: z.boolean().nullable(),
  /** Host (and port) of the notify URL; never the whole URL. Null when not known. */
  notifyHost: z.string().nullable(),
  /** Zoho's notification condition (field selection), null for none. */
  notificationCondition: z.array(z.unknown()).nullable(),
  findings: z.array(FindingSchema),
});

export const StatusReportSchema = z.strictObject({
  /** Bumped on an incompatible change. */
  schemaVersion: z.literal(1),
  /** When the check ran, UTC. */
  checkedAt: z.string(),
  /** The --warn-within window as given. */
  warnWithin: z.string(),
  /** Whether a state was given (--state). */
  withState: z.boolean(),
  /** True when no finding is a risk: the exit code is 0. */
  healthy: z.boolean(),
  /** One line per risk, as the text output ends with. */
  risks: z.array(z.string()),
  channels: z.array(ChannelReportSchema),
});

export type Finding = z.infer<typeof FindingSchema>;
export type ChannelReport = z.infer<typeof ChannelReportSchema>;
export type StatusReport = z.infer<typeof StatusReportSchema>;
