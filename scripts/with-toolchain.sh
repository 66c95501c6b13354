#!/usr/bin/env bash
# Runs a command with this project's toolchain: a Node >= 22, node_modules/.bin, and with --pulumi
# the Pulumi CLI and its YAML language host (each built once from its Go modules when none is
# installed) in an isolated setup. It is also the repository's whole dev setup (there is no npm
# install script): the first run fetches Node when the system one is older, and links
# node_modules/pulumi-zoho-watch to the repository.
#
#   bash scripts/with-toolchain.sh [--pulumi] COMMAND [ARGS...]
#
# Isolation (only where the caller has not set these variables itself, so a user's own choice wins):
#   PULUMI_HOME=<repo>/.pulumi-home       plugins, credentials and workspace files stay in the repo
#   PULUMI_BACKEND_URL=file://<repo>/.state/backend   a local backend, never a Pulumi Cloud login
#   PULUMI_CONFIG_PASSPHRASE=zoho-watch-local-dev     encrypts secrets of the local stacks
# and always: no update check, no automatic plugin downloads.
# To use your own login: set PULUMI_BACKEND_URL (e.g. https://api.pulumi.com) and PULUMI_HOME=~/.pulumi.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_pulumi=false
if [ "${1:-}" = "--pulumi" ]; then
  want_pulumi=true
  shift
fi

node_dir="$(bash "$root/scripts/ensure-node.sh")"
export PATH="$node_dir:$root/node_modules/.bin:$PATH"

# Programs under examples/ and the dynamic-provider host resolve `require("pulumi-zoho-watch")` as a
# user's program does, through node_modules: link the package to the repository itself. This lives
# here, not in an npm install script, because install scripts would ship to users' projects; every
# npm script runs through this file, and `npm install` may prune the link, so it is checked each time.
if [ -d "$root/node_modules" ] && [ ! -L "$root/node_modules/pulumi-zoho-watch" ]; then
  ln -sfn .. "$root/node_modules/pulumi-zoho-watch"
fi

export PULUMI_HOME="${PULUMI_HOME:-$root/.pulumi-home}"
if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  mkdir -p "$root/.state/backend"
  export PULUMI_BACKEND_URL="file://$root/.state/backend"
fi
if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE="zoho-watch-local-dev"
fi
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
# Programs are type-checked by `npm run typecheck`; the engine only needs to transpile them.
export PULUMI_NODEJS_TRANSPILE_ONLY="${PULUMI_NODEJS_TRANSPILE_ONLY:-true}"

if [ "$want_pulumi" = true ]; then
  pulumi_dir="$(bash "$root/scripts/ensure-pulumi.sh")"
  # The YAML language host too: the CLI finds a language host on PATH, and the tests run YAML
  # programs (`runtime: yaml`) as well as Node ones. Built once, like the CLI, when none is installed.
  yaml_host_dir="$(bash "$root/scripts/ensure-yaml-host.sh")"
  export PATH="$pulumi_dir:$yaml_host_dir:$PATH"
  export ZOHO_WATCH_PULUMI_BIN_DIR="$pulumi_dir"
fi

exec "$@"
