#!/usr/bin/env bash
# `npm run build`: tsc compiles everything into dist/, then the part of zod the package uses is
# bundled in place of dist/provider/zod.js (scripts/bundle-zod.ts says why), and the plugin into its
# self-contained folder (scripts/bundle-plugin.ts). Every build goes through here: npm scripts,
# `npm test` and packing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# From nothing: a file moved or deleted in the sources must not live on in dist/ (where the package
# is packed from and the tests run). tsc compiles everything each time anyway.
rm -rf dist
bash scripts/with-toolchain.sh tsc -p tsconfig.build.json
bash scripts/with-toolchain.sh node dist/scripts/bundle-zod.js
bash scripts/with-toolchain.sh node dist/scripts/bundle-plugin.js
# The plugin's TypeScript SDK (generated from its schema into sdk/nodejs by `npm run gen-sdk`),
# compiled into the package as `pulumi-zoho-watch/plugin`, beside its package.json: the SDK reads
# its version (the plugin version it asks the engine for) from there.
bash scripts/with-toolchain.sh tsc -p sdk/nodejs/tsconfig.json --outDir dist/sdk/nodejs --declarationMap false --sourceMap false
cp sdk/nodejs/package.json dist/sdk/nodejs/package.json
