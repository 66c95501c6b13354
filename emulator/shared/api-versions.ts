/**
 * The API versions the emulator serves under `/crm/{version}/actions/watch`, and the rules that differ
 * between them. Everything version-dependent lives here so a reader can compare versions in one place.
 */

/** Every version Zoho serves the watch API under, oldest first. */
export const API_VERSIONS = ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"] as const;

/** One of {@link API_VERSIONS}. */
export type ApiVersion = (typeof API_VERSIONS)[number];

/** What a version does differently. */
export interface VersionRules {
  /** Longest channel lifetime accepted; a later `channel_expiry` silently falls back to one hour. */
  readonly maxExpiryMs: number;
  /** HTTP status of a batch in which every entry failed (a mixed batch is always 207). */
  readonly allErrorStatus: 202 | 400;
  /** `notify_on_related_action` when a create or replace does not give it. */
  readonly notifyOnRelatedActionDefault: boolean;
  /** Whether `return_affected_field_values` is understood (v3+); older versions ignore the key. */
  readonly supportsAffectedFieldValues: boolean;
  /** Whether `notification_condition` is understood (v6+); older versions ignore the key. */
  readonly supportsNotificationCondition: boolean;
  /** The version `resource_uri` names in this version's answers (writes and GET rows). */
  readonly resourceUriVersion: ApiVersion;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function isApiVersion(value: string): value is ApiVersion {
  return (API_VERSIONS as readonly string[]).includes(value);
}

export function rulesFor(version: ApiVersion): VersionRules {
  const rank = API_VERSIONS.indexOf(version);
  const v3 = API_VERSIONS.indexOf("v3");
  return {
    // Zoho's Kaizen #170 FAQ: one day up to v3, seven days from v4.
    maxExpiryMs: rank <= v3 ? DAY_MS : 7 * DAY_MS,
    // The v2 page says 202 for errors, later examples say 400 (see the reference's "Emulator choice").
    allErrorStatus: rank <= API_VERSIONS.indexOf("v2.1") ? 202 : 400,
    // The v2 docs say false, later pages say true.
    notifyOnRelatedActionDefault: rank >= v3,
    supportsAffectedFieldValues: rank >= v3,
    supportsNotificationCondition: rank >= API_VERSIONS.indexOf("v6"),
    // v7 samples and captures say /crm/v2/ whatever version was called; only the v8 samples say /crm/v8/.
    resourceUriVersion: version === "v8" ? "v8" : "v2",
  };
}
