// WatchChannels declared from stack config, for the benchmark and the continuity run.
//
// Config: `door` ("dynamic", the default, or "plugin": the provider plugin's WatchChannel from
// `pulumi-zoho-watch/plugin`; the benchmark adds the plugin folder to the copy's Pulumi.yaml);
// `groups` (JSON, plain): [{name, count, idBase, events, expiresIn?, renewBefore?}], one
// channel per index i < count, named `<name>-<i>`, with channel id idBase + i, notify URL
// `<receiverUrl>/<name>/<i>`, and token `<token>-<i>` (`token` is a secret). The drivers in perf/
// compute the same names, ids, URLs and tokens (perf/support/channels.ts); keep the two in step.
import * as pulumi from "@pulumi/pulumi";
import { WatchChannel as DynamicWatchChannel } from "pulumi-zoho-watch";

interface Group {
  name: string;
  count: number;
  idBase: string;
  events: string[];
  expiresIn?: string;
  renewBefore?: string;
}

const config = new pulumi.Config();
// Required, not imported: the repository's type check would otherwise compile the generated SDK's
// sources under its own stricter options. Both classes take the same arguments.
const WatchChannel: typeof DynamicWatchChannel =
  config.get("door") === "plugin"
    ? (require("pulumi-zoho-watch/plugin") as { WatchChannel: typeof DynamicWatchChannel }).WatchChannel
    : DynamicWatchChannel;
const groups = config.requireObject<Group[]>("groups");
const receiverUrl = config.require("receiverUrl");
const token = config.requireSecret("token");

let declared = 0;
for (const group of groups) {
  for (let i = 0; i < group.count; i += 1) {
    new WatchChannel(`${group.name}-${i}`, {
      channelId: (BigInt(group.idBase) + BigInt(i)).toString(),
      events: group.events,
      notifyUrl: `${receiverUrl}/${group.name}/${i}`,
      token: pulumi.interpolate`${token}-${i}`,
      ...(group.expiresIn !== undefined && { expiresIn: group.expiresIn }),
      ...(group.renewBefore !== undefined && { renewBefore: group.renewBefore }),
    });
    declared += 1;
  }
}

export const channels = declared;
