#!/usr/bin/env bash
# `npm test`: build, typecheck, lint, format check, then every mocha suite (unit tests against the
# emulator, and end-to-end tests through the real Pulumi CLI). Extra arguments go to mocha, e.g.
#   npm test -- 'dist/test/client/**/*.test.js'
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
step() { printf '\n== %s\n' "$*"; }

# Resolve the toolchain first: on a fresh machine this is where the Pulumi CLI gets built.
step "toolchain"
bash scripts/with-toolchain.sh --pulumi sh -c 'echo "node $(node --version), pulumi $(pulumi version)"'

step "build (scripts/build.sh: tsc, then the provider bundle)"
bash scripts/build.sh
step "typecheck (tsc --noEmit, examples included)"
bash scripts/with-toolchain.sh tsc -p tsconfig.json --noEmit
step "lint (eslint)"
bash scripts/with-toolchain.sh eslint .
step "format (prettier --check)"
bash scripts/with-toolchain.sh prettier --check . --log-level warn
step "tests (mocha)"
if [ "$#" -eq 0 ]; then
  set -- 'dist/test/**/*.test.js'
fi
bash scripts/with-toolchain.sh --pulumi mocha "$@"
