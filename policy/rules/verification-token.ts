/**
 * `verification-token-required`: every channel carries a verification token.
 *
 * Zoho echoes the channel's token in each notification; it is the only way a receiver can tell
 * Zoho's POSTs from anyone else's. The resource makes the token optional because Zoho does.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { UNKNOWN, validateChannel, type Read } from "../channel";

export const verificationTokenRequired: ResourceValidationPolicy = {
  name: "verification-token-required",
  description:
    "A WatchChannel must set a verification token so its receiver can reject forged notifications.",
  severity: "high",
  validateResource: validateChannel(({ token }, _args, reportViolation) => {
    const message = missingTokenViolation(token);
    if (message) reportViolation(message);
  }),
};

/** The violation for a channel without a token, if it has none. */
export function missingTokenViolation(token: Read<string>): string | undefined {
  if (token === UNKNOWN || (token !== undefined && token !== "")) return undefined;
  return (
    "token is not set: without it the receiver cannot tell Zoho's notifications from forged ones. " +
    "Set `token` (1-50 characters) from a secret, e.g. `pulumi config set --secret zohoToken <random>` " +
    'and `token: config.requireSecret("zohoToken")`.'
  );
}
