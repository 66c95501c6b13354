// Package channels declares the same two Zoho CRM watch channels as examples/yaml/Pulumi.yaml,
// through the zoho-watch provider plugin's Go SDK.
package channels

import (
	"github.com/pulumi-zoho-watch/pulumi-zoho-watch/sdk/go/zohowatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Program is the Pulumi program: main.go runs it with pulumi.Run, the tests as an Automation API
// inline program.
func Program(ctx *pulumi.Context) error {
	hookToken := config.RequireSecret(ctx, "hookToken")

	deals, err := zohowatch.NewWatchChannel(ctx, "deals", &zohowatch.WatchChannelArgs{
		Events:    pulumi.StringArray{pulumi.String("Deals.all")},
		NotifyUrl: pulumi.String("https://hooks.example.com/zoho/deals"),
		Token:     hookToken,
	})
	if err != nil {
		return err
	}
	contacts, err := zohowatch.NewWatchChannel(ctx, "contacts", &zohowatch.WatchChannelArgs{
		Events:    pulumi.StringArray{pulumi.String("Contacts.create"), pulumi.String("Contacts.edit")},
		NotifyUrl: pulumi.String("https://hooks.example.com/zoho/contacts"),
		Token:     hookToken,
		ExpiresIn: pulumi.String("P2D"),
	})
	if err != nil {
		return err
	}

	ctx.Export("dealsChannel", deals.ChannelId)
	ctx.Export("dealsExpiry", deals.ChannelExpiry)
	ctx.Export("contactsExpiry", contacts.ChannelExpiry)
	return nil
}
