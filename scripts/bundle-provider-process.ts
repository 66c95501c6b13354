/**
 * The build's second step, after tsc: replaces `dist/provider/pulumi/dynamic/provider-process.js` (tsc's
 * output) with one file that holds the provider's implementation and the parts of zod it uses.
 *
 * Why: every `pulumi preview` and `pulumi up` starts a provider process, and its first call loads
 * this module before it can answer. Compiled file by file, that load took about 60 ms, 40 of them
 * zod: required as CommonJS, zod loads all of itself, including 65 locale files. Bundled from the
 * TypeScript sources, where zod is imported as an ES module (`import * as z from "zod"`), esbuild
 * keeps only the schema kinds the provider uses: the load takes about 30 ms (measured; see
 * BENCHMARKS.md, "Start-up").
 *
 * Left outside the bundle, and required from `node_modules` as before:
 *  - `@pulumi/pulumi`: the program's own SDK, which must be the one instance in the process;
 *  - `undici`: CommonJS (nothing to leave out), and loaded only when the first request is sent;
 *  - `luxon`: a few milliseconds, and one copy for the whole process.
 *
 * Replacing tsc's file in place, rather than writing a second one, keeps every build correct: run
 * tsc alone and it writes the unbundled module back, which behaves the same and only loads slower.
 *
 *   node dist/scripts/bundle-provider-process.js     (scripts/build.sh runs it)
 */
import { buildSync, type Metafile } from "esbuild";
import path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const entry = path.join(root, "provider", "pulumi", "dynamic", "provider-process.ts");
const outfile = path.join(root, "dist", "provider", "pulumi", "dynamic", "provider-process.js");

/** Packages the provider process requires at run time instead of carrying them. */
const EXTERNAL_PACKAGES = ["@pulumi/pulumi", "undici", "luxon"] as const;

/** Bytes of the bundle per source package ("pulumi-zoho-watch" for this repository's files). */
function bytesByPackage(metafile: Metafile): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = inPackage?.[1] ?? "pulumi-zoho-watch";
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return sizes;
}

function main(): void {
  const result = buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    external: [...EXTERNAL_PACKAGES],
    // Error classes are named in messages and matched by name: keep the names esbuild would
    // otherwise shorten where two modules declare the same one.
    keepNames: true,
    sourcemap: false,
    metafile: true,
    logLevel: "warning",
  });
  const sizes = [...bytesByPackage(result.metafile)].map(
    ([name, bytes]) => `${name} ${Math.round(bytes / 1024)} KiB`,
  );
  console.log(`bundled ${path.relative(root, outfile)}: ${sizes.join(", ")}`);
}

if (require.main === module) main();
