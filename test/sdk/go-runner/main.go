// Command go-runner runs examples/go's own program, channels.Program, through the real Pulumi CLI
// with the Automation API.
//
// There is no Go language host here (pulumi-language-go is not served by the Go module proxy), so
// `pulumi up` cannot start `runtime: go` programs. The Automation API's inline-program mode needs
// none: this process serves the program to the CLI itself, and the program is the same function
// the example's main.go hands to pulumi.Run.
//
//	go-runner up|preview|destroy
//
// Settings come from the environment (test/sdk/go-example.test.ts sets them):
//
//	ZOHO_WATCH_EXAMPLE_PROJECT  the project name (its Pulumi.yaml's)
//	ZOHO_WATCH_EXAMPLE_STACK    the stack name
//	ZOHO_WATCH_EXAMPLE_WORK_DIR the workspace directory
//	ZOHO_WATCH_EXAMPLE_CONFIG   JSON {key: {"value": ..., "secret": bool}}
//
// The CLI's progress goes to stderr; the result, one JSON object, to stdout.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi-zoho-watch/pulumi-zoho-watch/examples/go/channels"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

type result struct {
	Changes any            `json:"changes"`
	Outputs map[string]any `json:"outputs,omitempty"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "go-runner:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) != 2 {
		return fmt.Errorf("usage: go-runner up|preview|destroy")
	}
	action := os.Args[1]
	ctx := context.Background()
	project := os.Getenv("ZOHO_WATCH_EXAMPLE_PROJECT")
	workDir := os.Getenv("ZOHO_WATCH_EXAMPLE_WORK_DIR")

	stack, err := auto.UpsertStackInlineSource(ctx, os.Getenv("ZOHO_WATCH_EXAMPLE_STACK"), project, channels.Program,
		auto.WorkDir(workDir),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(project),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Main:    workDir,
		}),
	)
	if err != nil {
		return err
	}
	var config map[string]struct {
		Value  string `json:"value"`
		Secret bool   `json:"secret"`
	}
	if raw := os.Getenv("ZOHO_WATCH_EXAMPLE_CONFIG"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &config); err != nil {
			return fmt.Errorf("ZOHO_WATCH_EXAMPLE_CONFIG: %w", err)
		}
	}
	values := auto.ConfigMap{}
	for key, v := range config {
		values[key] = auto.ConfigValue{Value: v.Value, Secret: v.Secret}
	}
	if err := stack.SetAllConfig(ctx, values); err != nil {
		return err
	}

	var out result
	switch action {
	case "up":
		up, err := stack.Up(ctx, optup.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		out.Changes = up.Summary.ResourceChanges
		out.Outputs = map[string]any{}
		for name, output := range up.Outputs {
			if output.Secret {
				out.Outputs[name] = "[secret]"
			} else {
				out.Outputs[name] = output.Value
			}
		}
	case "preview":
		preview, err := stack.Preview(ctx, optpreview.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		out.Changes = preview.ChangeSummary
	case "destroy":
		destroy, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		out.Changes = destroy.Summary.ResourceChanges
	default:
		return fmt.Errorf("unknown action %q: up, preview or destroy", action)
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
