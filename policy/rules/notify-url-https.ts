/**
 * `notify-url-https`: notifications travel over https, except to this machine.
 *
 * Zoho POSTs every notification, the verification token included, to the notify URL. Over plain
 * http anyone on the path can read the token and forge notifications. The provider refuses it too,
 * unless a resource sets `allowPlainHttp: true`; this policy refuses it whatever the resource says,
 * for organisations that allow no exception. Loopback hosts (local receivers) are always fine.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateChannel, type Read } from "../channel";
import { plainHttpReason } from "../../provider/channel/notify-url";
import { parseNotifyUrl } from "../urls";

export const notifyUrlHttps: ResourceValidationPolicy = {
  name: "notify-url-https",
  description: "A WatchChannel's notifyUrl must use https unless it points to a loopback host.",
  severity: "high",
  validateResource: validateChannel(({ notifyUrl }, _args, reportViolation) => {
    const message = plainHttpViolation(notifyUrl);
    if (message) reportViolation(message);
  }),
};

/** The violation for a plain-http notify URL to a host other than this machine, if it is one. */
export function plainHttpViolation(notifyUrl: Read<string>): string | undefined {
  const url = parseNotifyUrl(notifyUrl);
  const reason = url && plainHttpReason(url);
  return reason && `notifyUrl ${reason}.`;
}
