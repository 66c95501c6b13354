#!/usr/bin/env bash
# `npm run gen-sdk`: generates the Node, Python and Go SDKs under sdk/ from the provider plugin's
# Pulumi package schema (provider/pulumi/plugin/schema.json), with the code generators of the Pulumi
# version pinned in toolchain/gen-sdk/go.mod (the same as the CLI's in toolchain/go.mod; a module of
# its own, because the generators need a package the CLI does not, and a change to toolchain/go.mod
# would make every machine build the CLI again). The SDKs are committed; the test
# test/toolchain/sdk-fresh.test.ts fails when they differ from a fresh generation.
#
#   bash scripts/gen-sdk.sh [--out DIR] [--schema FILE]
#
# --out DIR writes DIR/nodejs, DIR/python and DIR/go instead of sdk/ (the test uses a scratch
# directory); each language's directory is replaced as a whole. The output has no timestamps: the
# same schema and pin give the same bytes.
#
# The generator is a small Go program, built once into the cache that scripts/ensure-pulumi.sh uses
# for the CLI, ${ZOHO_WATCH_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-~/.cache}/pulumi-zoho-watch}, keyed on
# toolchain/gen-sdk's go.mod, go.sum and source: a few seconds the first time on a warm Go build cache,
# well under a second after that. Go is found as ensure-pulumi.sh finds it (ZOHO_WATCH_GO, PATH,
# /usr/local/go/bin/go, /usr/lib/go/bin/go); besides building the generator, it completes the Go
# SDK's go.mod and go.sum (`go mod tidy`, below), a second or two on a warm module cache.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/sdk"
schema="$root/provider/pulumi/plugin/schema.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2" && shift 2 ;;
    --schema) schema="$2" && shift 2 ;;
    *) echo "gen-sdk: unknown argument: $1 (usage: gen-sdk.sh [--out DIR] [--schema FILE])" >&2 && exit 2 ;;
  esac
done

log() { echo "gen-sdk: $*" >&2; }

module="$root/toolchain/gen-sdk"
pinned="$(grep -o "github.com/pulumi/pulumi/pkg/v3 v[0-9][0-9.]*" "$module/go.mod" | head -n1 | cut -d" " -f2)"
[ -n "$pinned" ] || { log "cannot read the pinned Pulumi version from toolchain/gen-sdk/go.mod"; exit 1; }
key="$(cat "$module/go.mod" "$module/go.sum" "$module"/*.go | sha256sum | cut -c1-12)"
cache="${ZOHO_WATCH_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-zoho-watch}"
bin="$cache/gen-sdk-$pinned-$key/gen-sdk"

# shellcheck source=scripts/find-go.sh
source "$root/scripts/find-go.sh"

if [ ! -x "$bin" ]; then
  go_bin="$(find_go)" || {
    log "no Go toolchain to build the SDK generator (toolchain/gen-sdk); install Go (https://go.dev/dl/) or set ZOHO_WATCH_GO"
    exit 1
  }
  log "building the SDK generator with the codegen of Pulumi $pinned into $(dirname "$bin")"
  tmp="$bin.partial.$$"
  mkdir -p "$(dirname "$bin")"
  trap 'rm -f "$tmp"' EXIT
  (cd "$module" && "$go_bin" build -trimpath -o "$tmp" .)
  mv "$tmp" "$bin"
  trap - EXIT
fi

"$bin" -schema "$schema" -out "$out"

# Post-processing, deterministic like the generation itself:
#
# Go: the generator writes a go.mod that requires the sdk/v3 its own templates name (older than our
# pin) and no go.sum, so `go build` in sdk/go fails until someone runs `go mod tidy`. Here the SDK
# requires the github.com/pulumi/pulumi/sdk/v3 pinned in toolchain/gen-sdk/go.mod and `go mod tidy`
# completes its requirements and writes its go.sum. The go.sum starts as toolchain/gen-sdk's, so the
# hashes this repository already trusts are reused rather than looked up; tidy keeps only the lines
# the SDK's module graph needs. Modules come from the module cache, or GOPROXY as the machine has it.
#
# Python: pyproject.toml names README.md beside it, but the generator writes the README into the
# package directory; a copy beside pyproject.toml gives the wheel and sdist their long description.
if [ -d "$out/go" ]; then
  sdk_pinned="$(grep -o "github.com/pulumi/pulumi/sdk/v3 v[0-9][0-9.]*" "$module/go.mod" | head -n1 | cut -d" " -f2)"
  [ -n "$sdk_pinned" ] || { log "cannot read the pinned sdk/v3 version from toolchain/gen-sdk/go.mod"; exit 1; }
  go_bin="$(find_go)" || { log "no Go toolchain for go mod tidy in the Go SDK; install Go (https://go.dev/dl/) or set ZOHO_WATCH_GO"; exit 1; }
  cp "$module/go.sum" "$out/go/go.sum"
  (
    cd "$out/go"
    "$go_bin" mod edit -require="github.com/pulumi/pulumi/sdk/v3@$sdk_pinned"
    "$go_bin" mod tidy
  ) || { log "go mod tidy failed in $out/go"; exit 1; }
  log "go: requires github.com/pulumi/pulumi/sdk/v3 $sdk_pinned, go.sum written by go mod tidy"
fi
if [ -f "$out/python/pulumi_zoho_watch/README.md" ]; then
  cp "$out/python/pulumi_zoho_watch/README.md" "$out/python/README.md"
fi
