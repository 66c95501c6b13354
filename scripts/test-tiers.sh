#!/usr/bin/env bash
# The two test tiers, as mocha file lists (compiled tests under dist/test), for scripts/test.sh and
# `npm run test:unit`:
#   unit  the model, Zoho's facts, the client and the emulator over real HTTP on 127.0.0.1, the
#         contract against Zoho's OpenAPI description: no Pulumi CLI, well under a minute;
#   cli   everything that drives the real Pulumi CLI (e2e, examples, the installed package, ...), the
#         SDKs built with Go and Python (test/sdk), and what needs Go like the CLI's build does (the
#         SDKs' freshness against `npm run gen-sdk`).
# A test file belongs to the cli tier when it lives where the real-CLI suites live (e2e, examples,
# consumer, smoke, soak, live, sdk) or, elsewhere, when it starts the real CLI itself (a PulumiStack,
# an installed project) or the SDK generator (gen-sdk.sh); every other file is unit. Sourced, it
# defines UNIT_TESTS and CLI_TESTS.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UNIT_TESTS=()
CLI_TESTS=()
while IFS= read -r file; do
  source_file="$root/${file/#dist\//}"
  source_file="${source_file%.js}.ts"
  if [[ "$file" =~ ^dist/test/(e2e|examples|consumer|smoke|soak|live|sdk)/ ]] ||
    grep -qE 'PulumiStack|InstalledProject|installConsumerProject|perf/soak|describeLiveContract|npm run demo|gen-sdk\.sh' "$source_file" 2>/dev/null; then
    CLI_TESTS+=("$file")
  else
    UNIT_TESTS+=("$file")
  fi
done < <(cd "$root" && find dist/test -name '*.test.js' | sort)
