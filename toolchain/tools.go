//go:build tools

// Package toolchain pins the Pulumi CLI that scripts/ensure-pulumi.sh builds when no usable `pulumi`
// is on PATH. The CLI's go.mod carries replace directives, so `go install module@version` refuses it;
// requiring it from this small module (and repeating its one non-relative replace) builds it instead.
package toolchain

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
