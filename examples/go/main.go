// Zoho CRM watch channels from a Pulumi Go program, through the zoho-watch provider plugin.
//
// The program itself is channels.Program (channels/channels.go), so that other Go code can run
// the same program: the repository's tests run it through the Automation API. Setup (docs/sdks.md):
//
//	npm install pulumi-zoho-watch          # the plugin ships in the npm package: dist/plugin
//	npx zoho-watch plugin install          # or the plugins.providers path in Pulumi.yaml
//	(point go.mod's replace at a clone's sdk/go: the Go SDK is not published)
//	pulumi stack init dev
//	pulumi config set zoho-watch:dataCentre EU
//	pulumi config set zoho-watch:clientId 1000.XXXX
//	pulumi config set --secret zoho-watch:clientSecret ...
//	pulumi config set --secret zoho-watch:refreshToken ...
//	pulumi config set --secret hookToken ...
//	pulumi up
//
// Run `pulumi up` on a schedule shorter than renewBefore (half of expiresIn by default): each run
// renews the channels inside their renewal window, shown in the preview as `~ channelExpiry`.
package main

import (
	"github.com/pulumi-zoho-watch/pulumi-zoho-watch/examples/go/channels"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(channels.Program)
}
