/**
 * `unique-channel-ids`: each WatchChannel in a stack has its own channel id.
 *
 * Zoho keeps one channel per id. Two resources with one id overwrite each other's subscription on
 * every update, and deleting or renewing one unsubscribes the other. Ids left out are derived from
 * the resource name and so differ; a clash comes from an explicit id, copied or typed twice. The
 * rule reads the ids the resources will have (derived ones included), so it needs the whole stack.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isWatchChannel, readChannel } from "../channel";

export const uniqueChannelIds: StackValidationPolicy = {
  name: "unique-channel-ids",
  description: "No two WatchChannels in a stack may share a channelId.",
  severity: "critical",
  validateStack: (args, reportViolation) => {
    for (const { channelId, resource, others } of channelIdClashes(args.resources)) {
      const names = others.map((other) => `"${other.name}"`).join(", ");
      reportViolation(
        `channelId ${channelId} is also the channelId of ${names}: ` +
          "Zoho keeps one channel per id, so these resources would overwrite each other's subscription " +
          "and deleting one would unsubscribe the other. Give each its own channelId, or leave channelId " +
          "out to derive a distinct one from the resource name.",
        resource.urn,
      );
    }
  },
};

/** Every WatchChannel whose known channel id another WatchChannel of the stack also has. */
export function channelIdClashes(
  resources: readonly PolicyResource[],
): { channelId: string; resource: PolicyResource; others: PolicyResource[] }[] {
  const byId = new Map<string, PolicyResource[]>();
  for (const resource of resources) {
    if (!isWatchChannel(resource.type)) continue;
    const { channelId } = readChannel(resource.props);
    if (typeof channelId !== "string") continue; // unknown until the update, or absent
    byId.set(channelId, [...(byId.get(channelId) ?? []), resource]);
  }
  return [...byId]
    .filter(([, group]) => group.length > 1)
    .flatMap(([channelId, group]) =>
      group.map((resource) => ({ channelId, resource, others: group.filter((other) => other !== resource) })),
    );
}
