#!/usr/bin/env bash
# `npm run test:unit`: build, then the fast tier only (no Pulumi CLI): the model, Zoho's facts, the
# client and the emulator over real HTTP on 127.0.0.1, the contract with Zoho's OpenAPI description.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/build.sh
source scripts/test-tiers.sh
bash scripts/with-toolchain.sh mocha "${UNIT_TESTS[@]}"
