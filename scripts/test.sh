#!/usr/bin/env bash
# `npm test`: build, typecheck, lint, format check, then every mocha suite in two tiers (unit tests
# against the emulator, then end-to-end tests through the real Pulumi CLI; scripts/test-tiers.sh).
# Extra arguments replace the tiers and go to mocha, e.g.
#   npm test -- 'dist/test/client/**/*.test.js'
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
step() { printf '\n== %s\n' "$*"; }

# Resolve the toolchain first: on a fresh machine this is where the Pulumi CLI gets built.
step "toolchain"
bash scripts/with-toolchain.sh --pulumi sh -c 'echo "node $(node --version), pulumi $(pulumi version)"'

step "build (scripts/build.sh: tsc, then zod trimmed and the plugin bundled)"
bash scripts/build.sh
step "typecheck (tsc --noEmit, examples included)"
bash scripts/with-toolchain.sh tsc -p tsconfig.json --noEmit
step "lint (eslint)"
bash scripts/with-toolchain.sh eslint .
step "format (prettier --check)"
bash scripts/with-toolchain.sh prettier --check . --log-level warn
if [ "$#" -gt 0 ]; then
  step "tests (mocha $*)"
  bash scripts/with-toolchain.sh --pulumi mocha "$@"
  exit 0
fi
# The fast tier first (no Pulumi CLI), then everything that drives the real CLI: scripts/test-tiers.sh.
source scripts/test-tiers.sh
step "unit tests (${#UNIT_TESTS[@]} files: model, facts, client, emulator, contract)"
bash scripts/with-toolchain.sh mocha "${UNIT_TESTS[@]}"
# Files in parallel, one worker process each: every file stands alone (its own emulator, stacks,
# scratch projects, ports the system picks), and a real-CLI test leaves a core idle about half the
# time while it waits on the engine's processes. On 2 cores this tier went from about 10 minutes to
# 7. ZOHO_WATCH_TEST_JOBS=1 runs the files one after another, in one process.
jobs="${ZOHO_WATCH_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}"
[ "$jobs" -le 4 ] || jobs=4
step "real-CLI tests (${#CLI_TESTS[@]} files, $jobs at a time: the Pulumi CLI, the installed package, examples)"
if [ "$jobs" -gt 1 ]; then
  bash scripts/with-toolchain.sh --pulumi mocha --parallel --jobs "$jobs" "${CLI_TESTS[@]}"
else
  bash scripts/with-toolchain.sh --pulumi mocha "${CLI_TESTS[@]}"
fi
