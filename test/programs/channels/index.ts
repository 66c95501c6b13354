// Declares one WatchChannel per entry of the `channels` config object, so a test can change the
// declared channels with `pulumi config set` between runs. Tokens come from the secret `tokens` object;
// an entry's `options` are the resource options (protect, deleteBeforeReplace, retainOnDelete).
import * as pulumi from "@pulumi/pulumi";
import { WatchChannel, type WatchChannelArgs } from "pulumi-zoho-watch";

type Declared = Omit<WatchChannelArgs, "token"> & { options?: pulumi.CustomResourceOptions };

const config = new pulumi.Config();
const channels = config.requireObject<Record<string, Declared>>("channels");
const tokens = config.getSecretObject<Record<string, string>>("tokens");

export const declared = Object.fromEntries(
  Object.entries(channels).map(([name, { options, ...args }]) => {
    const channel = new WatchChannel(
      name,
      {
        ...args,
        token: tokens?.apply((all) => all[name]),
      },
      options,
    );
    // Outputs a program reads, whether or not the declaration set them (defaults come back filled).
    return [
      name,
      {
        channelId: channel.channelId,
        channelExpiry: channel.channelExpiry,
        expiresIn: channel.expiresIn,
        renewBefore: channel.renewBefore,
        apiVersion: channel.apiVersion,
        // Always the value sent (the version's default when left out); "unset" would be a regression.
        notifyOnRelatedAction: channel.notifyOnRelatedAction.apply((value) => value ?? "unset"),
      },
    ];
  }),
);
