// Declares one WatchChannel per entry of the `channels` config object, for the policy pack's tests.
// A channel with `after: "<name>"` takes its notifyUrl and token through that channel's
// `channelExpiry`, which a preview cannot know before the channel exists: they stay unknown.
// A channel with `inherits: "protect"` or `"deleteBeforeReplace"` gets that option the way
// WatchChannel cannot refuse it: from a protected parent component, or a parent's transformation.
import * as pulumi from "@pulumi/pulumi";
import { WatchChannel, type WatchChannelArgs } from "pulumi-zoho-watch";

type ChannelSpec = WatchChannelArgs & { after?: string; inherits?: "protect" | "deleteBeforeReplace" };

/** A component that passes `option` on to the resources created under it. */
function parentWith(name: string, option: "protect" | "deleteBeforeReplace"): pulumi.ComponentResource {
  const opts: pulumi.ComponentResourceOptions =
    option === "protect"
      ? { protect: true }
      : { transformations: [({ props, opts }) => ({ props, opts: { ...opts, deleteBeforeReplace: true } })] };
  return new pulumi.ComponentResource("test:index:Group", `${name}-group`, {}, opts);
}

const config = new pulumi.Config();
const channels = config.requireObject<Record<string, ChannelSpec>>("channels");

const declared = new Map<string, WatchChannel>();
for (const [name, { after, inherits, ...args }] of Object.entries(channels)) {
  const gate = after === undefined ? undefined : declared.get(after)?.channelExpiry;
  if (after !== undefined && gate === undefined) {
    throw new Error(`channels.${name}.after: "${after}" names no channel declared before it`);
  }
  const gated = <T>(value: pulumi.Input<T>) => (gate ? pulumi.all([gate, value]).apply(([, v]) => v) : value);
  declared.set(
    name,
    new WatchChannel(
      name,
      {
        ...args,
        notifyUrl: gated(args.notifyUrl),
        token: args.token === undefined ? undefined : gated(args.token),
      },
      inherits ? { parent: parentWith(name, inherits) } : undefined,
    ),
  );
}

export const channelIds = Object.fromEntries(
  [...declared].map(([name, channel]) => [name, channel.channelId]),
);
