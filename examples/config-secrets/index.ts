// Nothing sensitive in the program or in plain text in the stack: the Zoho credentials, the
// verification token and the key in the notify URL all come from stack config secrets, which Pulumi
// stores encrypted in Pulumi.<stack>.yaml and in the state.
//
//   pulumi config set --secret zoho-watch:clientId 1000.XXXX      # an identifier, but why publish it
//   pulumi config set --secret zoho-watch:clientSecret ...
//   pulumi config set --secret zoho-watch:refreshToken ...
//   pulumi config set config-secrets:receiverUrl https://hooks.example.com/zoho
//   pulumi config set --secret config-secrets:receiverKey "$(openssl rand -hex 16)"
//   pulumi config set --secret config-secrets:notifyToken "$(openssl rand -hex 16)"
//   pulumi up
//
// The provider reads zoho-watch:* itself (decrypted in its own process, never written to the state);
// the program never touches the credentials.
import * as pulumi from "@pulumi/pulumi";
import { WatchChannel } from "pulumi-zoho-watch";

const config = new pulumi.Config("config-secrets");

// The receiver's address is no secret; the key that its reverse proxy or receiver checks is. Zoho
// echoes the query string to the receiver as `query_params`, so the key arrives with every
// notification. An interpolation with a secret is a secret: the URL never shows in plain text.
const notifyUrl = pulumi.interpolate`${config.require("receiverUrl")}?key=${config.requireSecret("receiverKey")}`;

const orders = new WatchChannel("orders", {
  events: ["Sales_Orders.all", "Invoices.create"],
  notifyUrl,
  token: config.requireSecret("notifyToken"),
});

// What a receiver is configured with. The channel id is an identifier, shown in plain text; the
// token proves a notification came from Zoho, so it stays a secret:
//   pulumi stack output channelId
//   pulumi stack output --show-secrets notifyToken
//   pulumi stack output --show-secrets --json expectedChannels    # EXPECTED_CHANNELS of examples/receiver
export const channelId = orders.channelId;
export const notifyToken = orders.token;
export const expectedChannels = pulumi.secret(
  pulumi.all([orders.channelId, orders.token]).apply(([id, token]) => [{ channelId: id, token }]),
);
export const channelExpiry = orders.channelExpiry;
