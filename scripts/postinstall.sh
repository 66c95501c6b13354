#!/usr/bin/env bash
# Runs after `npm install` in this repository (never for users who install the package from npm:
# scripts/ is not published, and package.json skips this file when it is absent).
#  - makes sure a Node >= 22 is available for every npm script;
#  - links node_modules/pulumi-zoho-watch to the repository, so that programs under examples/ and
#    the dynamic provider host resolve `require("pulumi-zoho-watch")` exactly as a user's program does.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/ensure-node.sh" >/dev/null
ln -sfn .. "$root/node_modules/pulumi-zoho-watch"
