/**
 * `channel-not-protected` and `channel-replaced-after-create`: resource options that break renewals.
 *
 * In the dynamic door a renewal is a replacement of the resource with the same channel id. `protect`
 * makes the engine refuse every replacement, so the channel lapses; `deleteBeforeReplace` disables
 * the channel before subscribing it again, losing the notifications in between. The plugin renews
 * with an update, so `protect` is fine there; `deleteBeforeReplace` is refused for both doors: the
 * plugin replaces a channel that moves to another connection, and delete-first would leave it
 * unsubscribed in between. `WatchChannel` refuses both when they
 * are passed to it, but they also reach a resource from a parent component or a transform, which
 * only the effective options that a policy sees can show.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isDynamicWatchChannel, isWatchChannel } from "../channel";

export const channelNotProtected: ResourceValidationPolicy = {
  name: "channel-not-protected",
  description:
    "A dynamic WatchChannel must not be protected: every renewal replaces it, and Pulumi refuses to replace a protected resource.",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (isDynamicWatchChannel(args.type) && args.opts.protect) {
      reportViolation(protectViolation());
    }
  },
};

export const channelReplacedAfterCreate: ResourceValidationPolicy = {
  name: "channel-replaced-after-create",
  description:
    "A WatchChannel must not use deleteBeforeReplace: a renewal would disable the channel before subscribing it again.",
  severity: "high",
  validateResource: (args, reportViolation) => {
    if (isWatchChannel(args.type) && args.opts.deleteBeforeReplace) {
      reportViolation(deleteBeforeReplaceViolation());
    }
  },
};

/** The violation for a protected channel. */
export function protectViolation(): string {
  return (
    "protect is set (on the channel, a parent, or by a transform): every renewal is a replacement, which Pulumi " +
    "refuses for a protected resource, so the channel would lapse. To keep the channel subscribed when it " +
    "leaves the program or the stack is destroyed, use retainOnDelete: true instead."
  );
}

/** The violation for a channel replaced delete-first. */
export function deleteBeforeReplaceViolation(): string {
  return (
    "deleteBeforeReplace is set: each renewal would disable the channel before subscribing it again, losing " +
    "the notifications in between. Remove it: renewals subscribe the replacement first and never unsubscribe the channel."
  );
}
