// Several channels over several modules, as a sales team's integration would declare them; one only
// fires when particular Lead fields change.
//
//   pulumi config set multi-module:receiverUrl https://hooks.example.com/zoho
//   pulumi config set --secret multi-module:notifyToken "$(openssl rand -hex 16)"
//   pulumi config set zoho-watch:clientId 1000.XXXX
//   pulumi config set --secret zoho-watch:clientSecret ...
//   pulumi config set --secret zoho-watch:refreshToken ...
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import { WatchChannel } from "pulumi-zoho-watch";

// Named explicitly so the same program runs from this folder and from a copy of it.
const config = new pulumi.Config("multi-module");
const receiverUrl = config.require("receiverUrl").replace(/\/+$/, "");
// One token for the stack's channels: the receiver checks it together with each channel id.
const token = config.requireSecret("notifyToken");

// Every change to a deal.
const deals = new WatchChannel("deals", {
  events: ["Deals.all"],
  notifyUrl: `${receiverUrl}/deals`,
  token,
});

// One channel may span modules: new and edited contacts, and new accounts.
const customers = new WatchChannel("customers", {
  events: ["Contacts.create", "Contacts.edit", "Accounts.create"],
  notifyUrl: `${receiverUrl}/customers`,
  token,
});

// Lead routing: only edits that reassign a lead or change its status or rating (API v6+), with the
// new values in the notification. Zoho allows at most 2 entries directly in a field selection and
// 10 fields in all, so a third field goes into a nested group.
const leadRouting = new WatchChannel("lead-routing", {
  events: ["Leads.edit"],
  notifyUrl: `${receiverUrl}/lead-routing`,
  token,
  returnAffectedFieldValues: true,
  notificationCondition: [
    {
      type: "field_selection",
      module: { apiName: "Leads" },
      fieldSelection: {
        groupOperator: "or",
        group: [
          { field: { apiName: "Owner" } },
          {
            groupOperator: "or",
            group: [{ field: { apiName: "Lead_Status" } }, { field: { apiName: "Rating" } }],
          },
        ],
      },
    },
  ],
});

const channels = { deals, customers, leadRouting };

/** Channel ids by name: not secret. */
export const channelIds = Object.fromEntries(
  Object.entries(channels).map(([name, channel]) => [name, channel.channelId]),
);

/**
 * What a receiver needs to verify notifications (examples/receiver reads it as EXPECTED_CHANNELS):
 * a secret, since it holds the tokens. `pulumi stack output --show-secrets --json expectedChannels`
 */
export const expectedChannels = pulumi.secret(
  pulumi
    .all(Object.values(channels).map((channel) => pulumi.all([channel.channelId, channel.token])))
    .apply((pairs) => pairs.map(([channelId, token]) => ({ channelId, token }))),
);
