/**
 * The zoho-watch policy pack: guardrails for WatchChannels, enforced by
 * `pulumi preview --policy-pack policy` and `pulumi up --policy-pack policy`.
 *
 * The engine runs this pack's directory with @pulumi/pulumi's run-policy-pack, which `require`s it:
 * policy/package.json's "main" points at this file compiled into dist/policy/index.js, so the pack
 * runs the same compiled code as the provider it checks. One module per rule, under rules/.
 */
import { PolicyPack } from "@pulumi/policy";
import { allowedModules } from "./rules/allowed-modules";
import { allowedNotifyHosts } from "./rules/allowed-notify-hosts";
import { notifyUrlHttps } from "./rules/notify-url-https";
import { renewalOutlastsSchedule } from "./rules/renewal-outlasts-schedule";
import { channelNotProtected, channelReplacedAfterCreate } from "./rules/renewal-safe-options";
import { uniqueChannelIds } from "./rules/unique-channel-ids";
import { verificationTokenRequired } from "./rules/verification-token";

new PolicyPack("zoho-watch", {
  description: "Guardrails for Zoho CRM watch channels declared with pulumi-zoho-watch.",
  enforcementLevel: "mandatory",
  policies: [
    notifyUrlHttps,
    verificationTokenRequired,
    uniqueChannelIds,
    renewalOutlastsSchedule,
    channelNotProtected,
    channelReplacedAfterCreate,
    allowedModules,
    allowedNotifyHosts,
  ],
});
