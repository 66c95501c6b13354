// The migration test's program after the move (docs/migration.md): the same channels, same names,
// through the plugin's SDK, each aliased to its dynamic type so that Pulumi moves it instead of
// creating one and deleting the other. The channel named by the `explicit` config moves at the same
// time onto an explicit provider for the same org, its settings those of the stack's config.
import * as pulumi from "@pulumi/pulumi";
import * as zoho from "pulumi-zoho-watch/plugin";

interface Declared {
  events: string[];
  notifyUrl: string;
  channelId?: string;
}

const config = new pulumi.Config();
const channels = config.requireObject<Record<string, Declared>>("channels");
const tokens = config.requireSecretObject<Record<string, string>>("tokens");
const explicit = config.get("explicit");

const settings = new pulumi.Config("zoho-watch");
const org = new zoho.Provider("org", {
  accountsUrl: settings.require("accountsUrl"),
  apiDomain: settings.require("apiDomain"),
  apiVersion: settings.require("apiVersion"),
  clientId: settings.require("clientId"),
  clientSecret: settings.requireSecret("clientSecret"),
  refreshToken: settings.requireSecret("refreshToken"),
});

export const channelIds = Object.fromEntries(
  Object.entries(channels).map(([name, args]) => {
    const channel = new zoho.WatchChannel(
      name,
      { ...args, token: tokens.apply((all) => all[name]!) },
      {
        aliases: [{ type: "pulumi-nodejs:dynamic/zoho:WatchChannel" }],
        ...(name === explicit ? { provider: org } : {}),
      },
    );
    return [name, channel.channelId];
  }),
);
