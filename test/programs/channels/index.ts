// Declares one WatchChannel per entry of the `channels` config object, so a test can change the
// declared channels with `pulumi config set` between runs. Tokens come from the secret `tokens` object.
import * as pulumi from "@pulumi/pulumi";
import { WatchChannel, type WatchChannelArgs } from "pulumi-zoho-watch";

const config = new pulumi.Config();
const channels = config.requireObject<Record<string, Omit<WatchChannelArgs, "token">>>("channels");
const tokens = config.getSecretObject<Record<string, string>>("tokens");

export const declared = Object.fromEntries(
  Object.entries(channels).map(([name, args]) => {
    const channel = new WatchChannel(name, {
      ...args,
      token: tokens?.apply((all) => all[name]),
    });
    return [name, { channelId: channel.channelId, channelExpiry: channel.channelExpiry }];
  }),
);
