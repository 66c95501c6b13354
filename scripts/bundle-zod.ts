/**
 * The build's second step, after tsc: replaces `dist/provider/zod.js` (tsc's output, which requires
 * all of "zod") with one file holding only the names `provider/zod.ts` re-exports.
 *
 * Why: zod required as CommonJS loads all of itself, 95 files, 65 of them locales. Every
 * `pulumi preview` and `pulumi up` starts a provider process whose first call loads the provider's
 * implementation, zod among it, before it can answer; a receiver loads it too. Bundled from zod's
 * ES modules, esbuild keeps only the schema kinds named there. Only zod is bundled: each of this
 * package's own modules ships once, as tsc compiled it.
 *
 * Replacing tsc's file in place, rather than writing a second one, keeps every build correct: run
 * tsc alone and it writes the re-export of the whole of zod back, which behaves the same and only
 * loads slower.
 *
 *   node dist/scripts/bundle-zod.js     (scripts/build.sh runs it)
 */
import { buildSync } from "esbuild";
import path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const entry = path.join(root, "provider", "zod.ts");
const outfile = path.join(root, "dist", "provider", "zod.js");

function main(): void {
  const result = buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    // Minified: a dependency's code, read by nobody here, and a third of the size to load and ship.
    // Zod's classes are named in messages (ZodError): keep the names minifying would shorten.
    minify: true,
    keepNames: true,
    sourcemap: false,
    metafile: true,
    logLevel: "warning",
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`bundled ${path.relative(root, outfile)}: ${Math.round(bytes / 1024)} KiB of zod`);
}

if (require.main === module) main();
