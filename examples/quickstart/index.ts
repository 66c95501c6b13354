// Quickstart: one channel that tells your endpoint about every change to Deals.
//
// Its two settings, per stack. The `quickstart:` namespace is written out, so these commands work
// as they are in any project, whatever the project is called:
//   pulumi config set quickstart:notifyUrl https://hooks.example.com/zoho
//   pulumi config set --secret quickstart:notifyToken "$(openssl rand -hex 16)"
// Then where Zoho is: the emulator that comes with the package, or your org:
//   pulumi config set zoho-watch:dataCentre EU        # where your org lives (default US)
//   pulumi config set zoho-watch:clientId 1000.XXXX
//   pulumi config set --secret zoho-watch:clientSecret ...
//   pulumi config set --secret zoho-watch:refreshToken ...
//   pulumi up
//
// Run `pulumi up` on a schedule: each run renews the channel once it is inside its renewal window
// (by default the last 3.5 of its 7 days). See node_modules/pulumi-zoho-watch/docs/renewal.md.
import * as pulumi from "@pulumi/pulumi";
import { WatchChannel } from "pulumi-zoho-watch";

const config = new pulumi.Config("quickstart");

const deals = new WatchChannel("deals", {
  events: ["Deals.all"],
  notifyUrl: config.require("notifyUrl"),
  // Echoed in every notification: the receiver compares it to tell Zoho from anyone else.
  token: config.requireSecret("notifyToken"),
});

export const channelId = deals.channelId;
export const channelExpiry = deals.channelExpiry;
export const notifyToken = deals.token;
