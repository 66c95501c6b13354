// The stack before the migration: one dynamic WatchChannel per entry of the `channels` config
// object. test/programs/migration-plugin is the same program after it (the test copies it over).
import * as pulumi from "@pulumi/pulumi";
import { WatchChannel } from "pulumi-zoho-watch";

interface Declared {
  events: string[];
  notifyUrl: string;
  channelId?: string;
}

const config = new pulumi.Config();
const channels = config.requireObject<Record<string, Declared>>("channels");
const tokens = config.requireSecretObject<Record<string, string>>("tokens");

export const channelIds = Object.fromEntries(
  Object.entries(channels).map(([name, args]) => {
    const channel = new WatchChannel(name, { ...args, token: tokens.apply((all) => all[name]) });
    return [name, channel.channelId];
  }),
);
