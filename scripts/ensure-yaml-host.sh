#!/usr/bin/env bash
# Prints a directory holding the Pulumi YAML language host, `pulumi-language-yaml`, building it when
# needed. The Pulumi CLI runs a `runtime: yaml` program through that host, found on PATH.
#
# 1. A `pulumi-language-yaml` on PATH is used as it is (a normal Pulumi install ships it next to
#    `pulumi`).
# 2. Otherwise it is built from its Go module at the version pinned in toolchain/yaml-host/go.mod into
#    the same cache as the CLI (scripts/ensure-pulumi.sh):
#    ${ZOHO_WATCH_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-~/.cache}/pulumi-zoho-watch}. It is a module of
#    its own, with its own cache key, so pinning it never rebuilds the CLI. The first build takes a
#    few minutes (progress is printed); later runs find it in well under a second.
# 3. Without one on PATH and without Go it stops and says how to install Pulumi (which ships it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module_dir="$root/toolchain/yaml-host"

log() { echo "ensure-yaml-host: $*" >&2; }

# ZOHO_WATCH_BUILD_PULUMI=always (build even when Pulumi is installed) applies to the host as well.
if [ "${ZOHO_WATCH_BUILD_PULUMI:-}" != "always" ] && command -v pulumi-language-yaml >/dev/null 2>&1; then
  dirname "$(command -v pulumi-language-yaml)"
  exit 0
fi

pinned="$(grep -o "github.com/pulumi/pulumi-yaml v[0-9][0-9.]*" "$module_dir/go.mod" | head -n1 | cut -d" " -f2)"
[ -n "$pinned" ] || { log "cannot read the pinned pulumi-yaml version from toolchain/yaml-host/go.mod"; exit 1; }
# go.mod and go.sum fix every module that goes into the binary; tools.go only names the package.
key="$(cat "$module_dir/go.mod" "$module_dir/go.sum" | sha256sum | cut -c1-12)"
cache="${ZOHO_WATCH_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-zoho-watch}"
bin="$cache/pulumi-language-yaml-$pinned-$key/bin"

if [ -n "${ZOHO_WATCH_PRINT_CACHE_DIR:-}" ]; then
  # For the toolchain tests: where the build for this version would live.
  echo "$bin"
  exit 0
fi

if [ -x "$bin/pulumi-language-yaml" ]; then
  echo "$bin"
  exit 0
fi

# shellcheck source=scripts/find-go.sh
source "$root/scripts/find-go.sh"
go_bin="$(find_go || true)"
if [ -z "$go_bin" ]; then
  cat >&2 <<MSG
ensure-yaml-host: no Pulumi YAML language host (pulumi-language-yaml) on PATH, and no Go toolchain to build one.
  Install Pulumi (https://www.pulumi.com/docs/install/, e.g. 'curl -fsSL https://get.pulumi.com | sh'
  or 'brew install pulumi'), which ships it next to 'pulumi', and run the command again.
MSG
  exit 1
fi

log "building the Pulumi YAML language host $pinned from its Go module into $bin"
log "(first time only: 1.5 to 2.5 minutes on 2 idle cores, more on a busy machine; later runs reuse the cache)"
tmp="$bin.partial.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
(
  cd "$module_dir"
  log "downloading modules..."
  "$go_bin" mod download || { log "downloading the modules failed: is the Go module proxy ($("$go_bin" env GOPROXY)) reachable?"; exit 1; }
  log "compiling (one line per 100 packages)..."
  # The compiler's output goes to a log, so a failure can show its end instead of vanishing in awk.
  status=0
  "$go_bin" build -v -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$pinned" \
    -o "$tmp/pulumi-language-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml 2>&1 |
    tee "$tmp/build.log" |
    awk '{ n++ } n % 100 == 0 { printf "ensure-yaml-host:   %d packages compiled\n", n > "/dev/stderr" }' || status=$?
  if [ "$status" -ne 0 ] || [ ! -x "$tmp/pulumi-language-yaml" ]; then
    tail -n 20 "$tmp/build.log" >&2
    log "go build of the YAML language host failed; run it again with: cd toolchain/yaml-host && go build github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
    exit 1
  fi
  rm "$tmp/build.log"
)
rm -rf "$bin" && mkdir -p "$(dirname "$bin")" && mv "$tmp" "$bin"
trap - EXIT
log "built in $((SECONDS - start)) s"
echo "$bin"
