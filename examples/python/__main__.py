"""Zoho CRM watch channels from a Pulumi Python program, through the zoho-watch provider plugin.

The same two channels as examples/yaml/Pulumi.yaml. Setup (docs/sdks.md):

    npm install pulumi-zoho-watch          # the plugin ships in the npm package: dist/plugin
    npx zoho-watch plugin install          # or the plugins.providers path in Pulumi.yaml
    python -m venv venv && venv/bin/pip install -r requirements.txt
    pulumi stack init dev
    pulumi config set zoho-watch:dataCentre EU
    pulumi config set zoho-watch:clientId 1000.XXXX
    pulumi config set --secret zoho-watch:clientSecret ...
    pulumi config set --secret zoho-watch:refreshToken ...
    pulumi config set --secret hookToken ...
    pulumi up

Run `pulumi up` on a schedule shorter than renewBefore (half of expiresIn by default): each run
renews the channels inside their renewal window, shown in the preview as `~ channelExpiry`.
"""

import pulumi
import pulumi_zoho_watch as zoho_watch

hook_token = pulumi.Config().require_secret("hookToken")

deals = zoho_watch.WatchChannel(
    "deals",
    events=["Deals.all"],
    notify_url="https://hooks.example.com/zoho/deals",
    token=hook_token,
)
contacts = zoho_watch.WatchChannel(
    "contacts",
    events=["Contacts.create", "Contacts.edit"],
    notify_url="https://hooks.example.com/zoho/contacts",
    token=hook_token,
    expires_in="P2D",
)

pulumi.export("dealsChannel", deals.channel_id)
pulumi.export("dealsExpiry", deals.channel_expiry)
pulumi.export("contactsExpiry", contacts.channel_expiry)
