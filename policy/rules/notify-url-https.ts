/**
 * `notify-url-https`: notifications travel over https, except to this machine.
 *
 * Zoho POSTs every notification, the verification token included, to the notify URL. Over plain
 * http anyone on the path can read the token and forge notifications. The provider accepts http
 * because the local emulator and local receivers use it, so the policy allows it for loopback only.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateChannel, type Read } from "../channel";
import { hostOf, isLoopback, parseNotifyUrl, printableUrl } from "../urls";

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
  if (!url || url.protocol !== "http:" || isLoopback(url.hostname)) return undefined;
  return (
    `notifyUrl ${printableUrl(url)} is plain http to ${hostOf(url)}: Zoho would send every notification, ` +
    `verification token included, unencrypted. Serve the receiver over https and use ` +
    `https://${url.host}${url.pathname} (plain http is only for loopback hosts such as localhost and 127.0.0.1).`
  );
}
