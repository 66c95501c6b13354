// The migration test's way back (docs/migration.md): the channels of test/programs/migration-plugin
// declared with the dynamic WatchChannel again, each aliased to the plugin's type.
import * as pulumi from "@pulumi/pulumi";
import { WatchChannel, type WatchChannelArgs } from "pulumi-zoho-watch";

const config = new pulumi.Config();
const channels = config.requireObject<Record<string, Omit<WatchChannelArgs, "token">>>("channels");
const tokens = config.requireSecretObject<Record<string, string>>("tokens");

export const channelIds = Object.fromEntries(
  Object.entries(channels).map(([name, args]) => {
    const channel = new WatchChannel(
      name,
      { ...args, token: tokens.apply((all) => all[name]) },
      { aliases: [{ type: "zoho-watch:index:WatchChannel" }] },
    );
    return [name, channel.channelId];
  }),
);
