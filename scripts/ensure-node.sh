#!/usr/bin/env bash
# Prints the directory of a Node.js >= 22.19 binary, installing one when the system Node is older.
#
# Current @pulumi/pulumi and undici need Node >= 22 while many machines (ours included) ship Node 20.
# Rather than asking users to install Node by hand, we take Node's official Linux/macOS build from the
# npm registry (packages node-<platform>-<arch>, the same ones the `node` npm package uses) into
# .toolchain/node. A system Node that is new enough always wins.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The package's own minimum (package.json engines, provider/node-version.ts): undici 8 needs 22.19.
want_version="22.19.0"
pinned_version="24.22.3"

system_version="$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)"
if [ "$(printf '%s\n%s\n' "$want_version" "$system_version" | sort -V | head -n1)" = "$want_version" ]; then
  dirname "$(command -v node)"
  exit 0
fi

prefix="$root/.toolchain/node"
platform="$(node -p 'process.platform' 2>/dev/null || uname -s | tr '[:upper:]' '[:lower:]')"
arch="$(node -p 'process.arch' 2>/dev/null || echo x64)"
pkg="node-$platform-$arch"
bin_dir="$prefix/node_modules/$pkg/bin"

if [ ! -x "$bin_dir/node" ]; then
  echo "ensure-node: system Node is v$system_version (need $want_version), installing Node $pinned_version ($pkg) into .toolchain/node" >&2
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "$pkg@$pinned_version" >&2
fi
"$bin_dir/node" --version >/dev/null
echo "$bin_dir"
