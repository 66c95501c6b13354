//go:build tools

// Package yamlhost pins the Pulumi YAML language host (`pulumi-language-yaml`) that
// scripts/ensure-yaml-host.sh builds when none is on PATH. It is a module of its own, not part of
// toolchain/go.mod, so that pinning or bumping it never changes the Pulumi CLI's cache key (and never
// forces that much longer rebuild); pulumi-yaml's own dependency versions also stay its own.
package yamlhost

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
