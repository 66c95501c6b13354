/**
 * `allowed-modules`: an optional allow-list of the Zoho CRM modules channels may subscribe to, for
 * organizations that keep some modules' changes (e.g. `Leads` with personal data) from leaving Zoho.
 * Without `allowedModules` in the policy config the policy does not apply.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { UNKNOWN, validateChannel, type ChannelView } from "../channel";

/** This policy's config. */
export interface AllowedModulesConfig {
  /** Module API names channels may subscribe to, e.g. `["Deals", "Contacts"]`. */
  allowedModules?: string[];
}

export const allowedModules: ResourceValidationPolicy = {
  name: "allowed-modules",
  description:
    "A WatchChannel may subscribe only to the modules listed in the policy config (allowedModules).",
  severity: "medium",
  configSchema: {
    properties: {
      allowedModules: {
        type: "array",
        items: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_]*$" },
        uniqueItems: true,
        description:
          'Module API names channels may subscribe to, e.g. ["Deals", "Contacts"]. Unset: any module.',
      },
    },
  },
  validateResource: validateChannel((channel, args, reportViolation) => {
    const { allowedModules: allowed } = args.getConfig<AllowedModulesConfig>();
    if (allowed === undefined) {
      return args.notApplicable("allowedModules is not configured");
    }
    const message = unlistedModuleViolation(channel, allowed);
    if (message) reportViolation(message);
  }),
};

/** The violation for events on modules outside the allow-list, if there are any. */
export function unlistedModuleViolation(
  channel: Pick<ChannelView, "events">,
  allowed: readonly string[],
): string | undefined {
  if (channel.events === undefined || channel.events === UNKNOWN) return undefined;
  const offending: string[] = [];
  const modules = new Set<string>();
  channel.events.forEach((event, i) => {
    if (typeof event !== "string") return;
    const dot = event.lastIndexOf(".");
    if (dot <= 0) return; // not "<Module>.<operation>": the provider's check rejects it
    const module = event.slice(0, dot);
    if (!allowed.includes(module)) {
      offending.push(`events[${i}] "${event}"`);
      modules.add(module);
    }
  });
  if (offending.length === 0) return undefined;
  const list = [...modules].join(", ");
  const allowedList = allowed.length === 0 ? "none" : allowed.join(", ");
  return (
    `${offending.join(", ")} subscribe${offending.length === 1 ? "s" : ""} to ${list}, not in the allowed ` +
    `modules (${allowedList}). Remove ${offending.length === 1 ? "the event" : "these events"}, or have ` +
    `${list} added to allowed-modules.allowedModules in the policy config.`
  );
}
