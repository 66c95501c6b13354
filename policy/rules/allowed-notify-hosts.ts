/**
 * `allowed-notify-hosts`: an optional allow-list of the hosts Zoho may send notifications to, so
 * CRM changes reach only receivers the organization runs. Without `allowedNotifyHosts` in the
 * policy config the policy does not apply.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateChannel, type ChannelView } from "../channel";
import { hostMatches, hostOf, parseNotifyUrl, printableUrl } from "../urls";

/** This policy's config. */
export interface AllowedNotifyHostsConfig {
  /** Host names, or `*.example.com` for any subdomain of example.com. Ports are not compared. */
  allowedNotifyHosts?: string[];
}

export const allowedNotifyHosts: ResourceValidationPolicy = {
  name: "allowed-notify-hosts",
  description:
    "A WatchChannel's notifyUrl must point to a host listed in the policy config (allowedNotifyHosts).",
  severity: "medium",
  configSchema: {
    properties: {
      allowedNotifyHosts: {
        type: "array",
        items: { type: "string", pattern: "^(\\*\\.)?[^*\\s/]+$" },
        uniqueItems: true,
        description:
          'Hosts notify URLs may point to: names or IP addresses, or "*.example.com" for any subdomain of example.com. Unset: any host.',
      },
    },
  },
  validateResource: validateChannel((channel, args, reportViolation) => {
    const { allowedNotifyHosts: allowed } = args.getConfig<AllowedNotifyHostsConfig>();
    if (allowed === undefined) {
      return args.notApplicable("allowedNotifyHosts is not configured");
    }
    const message = unlistedHostViolation(channel, allowed);
    if (message) reportViolation(message);
  }),
};

/** The violation for a notify URL whose host is not on the allow-list, if it is not. */
export function unlistedHostViolation(
  channel: Pick<ChannelView, "notifyUrl">,
  allowed: readonly string[],
): string | undefined {
  const url = parseNotifyUrl(channel.notifyUrl);
  if (!url) return undefined;
  const host = hostOf(url);
  if (allowed.some((pattern) => hostMatches(host, pattern))) return undefined;
  const allowedList = allowed.length === 0 ? "none" : allowed.join(", ");
  return (
    `notifyUrl ${printableUrl(url)} points to ${host}, not one of the allowed notify hosts (${allowedList}). ` +
    `Send notifications to an allowed host, or have "${host}" added to ` +
    `allowed-notify-hosts.allowedNotifyHosts in the policy config.`
  );
}
