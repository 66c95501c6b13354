/**
 * `renewal-outlasts-schedule`: channels are renewed by a scheduled `pulumi up`, so each channel's
 * renewal window must be longer than the gap between two scheduled runs.
 *
 * A channel is renewed only by a run that finds it inside its renewal window (`renewBefore` before
 * it expires). If the window is not longer than the schedule's interval, the channel can enter it
 * just after one run and expire before the next: notifications stop until someone notices.
 */
import type { PolicyProviderResource, ResourceValidationPolicy } from "@pulumi/policy";
import type { Duration } from "luxon";
import { defaultRenewBefore, parseDuration, safeExpiresIn } from "../../provider/channel/expiry";
import { readSettings, type ApiVersion } from "../../provider/engine/settings";
import { readProperty, UNKNOWN, validateChannel, type ChannelView } from "../channel";

/**
 * The interval assumed when the policy config sets none: a daily schedule, the usual cadence of a
 * renewal job. It passes the provider's default window for API v4+ (half of 7 days) and flags the
 * 12-hour default of v2–v3, which a daily run would indeed let lapse.
 */
export const DEFAULT_SCHEDULE_INTERVAL = "P1D";

/** ISO-8601 durations, for the config schema (RE2 syntax: the engine validates with Go). */
const DURATION_PATTERN = "^P(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$";

/** This policy's config. */
export interface RenewalConfig {
  /** The longest gap between two scheduled `pulumi up` runs, ISO-8601. */
  scheduleInterval?: string;
}

export const renewalOutlastsSchedule: ResourceValidationPolicy = {
  name: "renewal-outlasts-schedule",
  description:
    "A WatchChannel's renewBefore must be longer than the interval between scheduled `pulumi up` runs, so it is renewed before it lapses.",
  severity: "high",
  configSchema: {
    properties: {
      scheduleInterval: {
        type: "string",
        pattern: DURATION_PATTERN,
        default: DEFAULT_SCHEDULE_INTERVAL,
        description:
          'The longest gap between two scheduled `pulumi up` runs, as an ISO-8601 duration (e.g. "PT6H"; "P3D" for weekdays only).',
      },
    },
  },
  validateResource: validateChannel((channel, args, reportViolation) => {
    const interval = scheduleInterval(args.getConfig<RenewalConfig>());
    const message = renewalViolation(channel, interval, () => apiVersionOf(args.provider));
    if (message) reportViolation(message);
  }),
};

/** A duration as the user wrote it (or as the provider's defaults give it), and its length. */
export interface Span {
  text: string;
  duration: Duration;
  millis: number;
}

/** The configured interval; throws for one the schema let through but luxon cannot read. */
export function scheduleInterval(config: RenewalConfig): Span {
  const text = config.scheduleInterval ?? DEFAULT_SCHEDULE_INTERVAL;
  const span = parseSpan(text);
  if (!span) {
    throw new Error(
      `policy config renewal-outlasts-schedule.scheduleInterval is ${JSON.stringify(text)}: use a positive ISO-8601 duration such as "PT6H" or "P1D"`,
    );
  }
  return span;
}

/**
 * The violation for a channel whose renewal window (or whole lifetime) is not longer than the
 * interval, if it has one. Missing values get the provider's own defaults (its `check` normally
 * fills both in before a policy sees them): `expiresIn` the API version's maximum, `renewBefore`
 * half of `expiresIn`. Values unknown during a preview, or unreadable ones (which `check`
 * rejects), are skipped.
 */
export function renewalViolation(
  channel: Pick<ChannelView, "expiresIn" | "renewBefore">,
  interval: Span,
  apiVersion: () => ApiVersion | undefined,
): string | undefined {
  if (channel.renewBefore === UNKNOWN || channel.expiresIn === UNKNOWN) return undefined;

  let expiresIn: Span | undefined;
  if (channel.expiresIn === undefined) {
    const version = apiVersion();
    if (!version) return undefined;
    expiresIn = spanOf(safeExpiresIn(version));
  } else {
    expiresIn = parseSpan(channel.expiresIn);
    if (!expiresIn) return undefined;
  }
  const renewBefore =
    channel.renewBefore === undefined
      ? spanOf(defaultRenewBefore(expiresIn.duration))
      : parseSpan(channel.renewBefore);
  if (!renewBefore) return undefined;

  const schedule = `the ${interval.text} between scheduled \`pulumi up\` runs (renewal-outlasts-schedule.scheduleInterval)`;
  if (expiresIn.millis <= interval.millis) {
    return (
      `expiresIn ${expiresIn.text}${defaultExpiryNote(expiresIn, apiVersion)} is not longer than ${schedule}: ` +
      `the channel would expire between two runs whatever renewBefore is. Run \`pulumi up\` more often and ` +
      `lower scheduleInterval, or use a longer expiresIn (at most 7 days from API v4, 1 day before) with a ` +
      `renewBefore longer than ${interval.text}.`
    );
  }
  if (renewBefore.millis > interval.millis) return undefined;
  // The provider's check has usually filled in the default by now: say where the value came from.
  const isDefault = renewBefore.millis === defaultRenewBefore(expiresIn.duration).toMillis();
  const note = isDefault
    ? ` (half of expiresIn ${expiresIn.text}: the default when renewBefore is not set)`
    : "";
  return (
    `renewBefore ${renewBefore.text}${note} is not longer than ${schedule}: the channel can enter its renewal ` +
    `window just after one run and expire before the next renews it. Set renewBefore longer than ` +
    `${interval.text} (and shorter than expiresIn ${expiresIn.text}), or run \`pulumi up\` more often and ` +
    `lower scheduleInterval to match.`
  );
}

/** Says so when expiresIn is the default: the API version's maximum less the clock-skew margin. */
function defaultExpiryNote(expiresIn: Span, apiVersion: () => ApiVersion | undefined): string {
  const version = apiVersion();
  if (!version || safeExpiresIn(version).toMillis() !== expiresIn.millis) return "";
  return ` (the longest that API ${version} safely allows: the default when expiresIn is not set)`;
}

function parseSpan(text: string): Span | undefined {
  const duration = parseDuration(text);
  return duration && { text, duration, millis: duration.toMillis() };
}

function spanOf(duration: Duration): Span {
  return { text: duration.toISO() ?? String(duration.toMillis()), duration, millis: duration.toMillis() };
}

/**
 * The API version the provider will use, from its config (the dynamic provider receives the stack's
 * whole config) or the environment, as the provider reads it; undefined when that config is invalid,
 * which the provider itself rejects.
 */
function apiVersionOf(provider: PolicyProviderResource | undefined): ApiVersion | undefined {
  const get = (key: string): string | undefined => {
    const value = provider ? readProperty(provider.props, key) : undefined;
    return typeof value === "string" ? value : undefined;
  };
  try {
    return readSettings({ get }, process.env).apiVersion;
  } catch {
    return undefined;
  }
}
