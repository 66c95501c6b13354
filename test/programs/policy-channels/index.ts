// Declares one WatchChannel per entry of the `channels` config object, for the policy pack's tests.
// A channel with `after: "<name>"` takes its notifyUrl and token through that channel's
// `channelExpiry`, which a preview cannot know before the channel exists: they stay unknown.
import * as pulumi from "@pulumi/pulumi";
import { WatchChannel, type WatchChannelArgs } from "pulumi-zoho-watch";

type ChannelSpec = WatchChannelArgs & { after?: string };

const config = new pulumi.Config();
const channels = config.requireObject<Record<string, ChannelSpec>>("channels");

const declared = new Map<string, WatchChannel>();
for (const [name, { after, ...args }] of Object.entries(channels)) {
  const gate = after === undefined ? undefined : declared.get(after)?.channelExpiry;
  if (after !== undefined && gate === undefined) {
    throw new Error(`channels.${name}.after: "${after}" names no channel declared before it`);
  }
  const gated = <T>(value: pulumi.Input<T>) => (gate ? pulumi.all([gate, value]).apply(([, v]) => v) : value);
  declared.set(
    name,
    new WatchChannel(name, {
      ...args,
      notifyUrl: gated(args.notifyUrl),
      token: args.token === undefined ? undefined : gated(args.token),
    }),
  );
}

export const channelIds = Object.fromEntries(
  [...declared].map(([name, channel]) => [name, channel.channelId]),
);
