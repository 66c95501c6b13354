#!/usr/bin/env bash
# Prints a directory holding a usable `pulumi` CLI, a `pulumi-language-nodejs` host and the
# `pulumi-resource-pulumi-nodejs` dynamic-provider plugin, building them when needed.
#
# 1. A `pulumi` on PATH at or above MIN_VERSION is used as it is (a normal Pulumi install ships the
#    Node language host and the dynamic-provider plugin next to it).
# 2. Otherwise the CLI is built from its Go module at the version pinned in toolchain/go.mod, with
#    our own small language host (toolchain/langhost), into a cache shared by every clone:
#    ${ZOHO_WATCH_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-~/.cache}/pulumi-zoho-watch}. The first build
#    takes a while (progress is printed); later runs find it in well under a second.
# 3. Without a usable `pulumi` and without Go it stops and says how to install Pulumi.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Dynamic providers' `read` may return inputs from engine 3.216 on; refresh relies on it.
MIN_VERSION="3.216.0"

log() { echo "ensure-pulumi: $*" >&2; }

version_at_least() { # $1 >= $2, both x.y.z
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

if [ "${ZOHO_WATCH_BUILD_PULUMI:-}" != "always" ] && command -v pulumi >/dev/null 2>&1; then
  path_version="$(pulumi version 2>/dev/null | sed 's/^v//' || true)"
  if [ -n "$path_version" ] && version_at_least "${path_version%%-*}" "$MIN_VERSION"; then
    dirname "$(command -v pulumi)"
    exit 0
  fi
  log "ignoring pulumi ${path_version:-of unknown version} on PATH: need >= $MIN_VERSION"
fi

pinned="$(grep -o "github.com/pulumi/pulumi/pkg/v3 v[0-9][0-9.]*" "$root/toolchain/go.mod" | head -n1 | cut -d" " -f2)"
[ -n "$pinned" ] || { log "cannot read the pinned Pulumi version from toolchain/go.mod"; exit 1; }
# The cache key covers everything that goes into the binaries, so an edit to the host rebuilds it.
key="$(cat "$root/toolchain/go.mod" "$root/toolchain/go.sum" "$root"/toolchain/langhost/*.go "$root"/toolchain/plugins/* | sha256sum | cut -c1-12)"
cache="${ZOHO_WATCH_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-zoho-watch}"
bin="$cache/pulumi-$pinned-$key/bin"

if [ -n "${ZOHO_WATCH_PRINT_CACHE_DIR:-}" ]; then
  # For the toolchain tests: where the build for this version would live.
  echo "$bin"
  exit 0
fi

if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ]; then
  echo "$bin"
  exit 0
fi

# shellcheck source=scripts/find-go.sh
source "$root/scripts/find-go.sh"
go_bin="$(find_go || true)"
if [ -z "$go_bin" ]; then
  cat >&2 <<MSG
ensure-pulumi: no usable Pulumi CLI (>= $MIN_VERSION) on PATH, and no Go toolchain to build one.
  Install Pulumi (https://www.pulumi.com/docs/install/, e.g. 'curl -fsSL https://get.pulumi.com | sh'
  or 'brew install pulumi'), make sure 'pulumi version' works, and run the command again.
MSG
  exit 1
fi

log "building Pulumi CLI $pinned and the Node language host from Go modules into $bin"
log "(first time only: about 6 minutes on 2 idle cores, more on a busy machine; later runs reuse the cache)"
tmp="$bin.partial.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pinned"
(
  cd "$root/toolchain"
  log "downloading modules..."
  "$go_bin" mod download
  log "compiling (one line per 100 packages)..."
  "$go_bin" build -v -trimpath -ldflags "$ldflags" -o "$tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 |
    awk -v start="$start" '{ n++ } n % 100 == 0 { printf "ensure-pulumi:   %d packages compiled\n", n > "/dev/stderr" }'
  [ -x "$tmp/pulumi" ] || { log "go build of the Pulumi CLI failed; run it again with: cd toolchain && go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"; exit 1; }
  "$go_bin" build -trimpath -ldflags "-s -w -X main.version=${pinned#v}" -o "$tmp/pulumi-language-nodejs" ./langhost
)
install -m 0755 "$root/toolchain/plugins/pulumi-resource-pulumi-nodejs" "$tmp/"
install -m 0644 "$root/toolchain/plugins/dynamic-provider-shim.js" "$tmp/"
rm -rf "$bin" && mkdir -p "$(dirname "$bin")" && mv "$tmp" "$bin"
trap - EXIT
log "built in $((SECONDS - start)) s: $("$bin/pulumi" version)"
echo "$bin"
