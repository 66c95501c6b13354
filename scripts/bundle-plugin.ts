/**
 * The build's third step: the provider plugin as a folder the Pulumi CLI can run on its own,
 * `dist/plugin/`:
 *
 *   pulumi-resource-zoho-watch      the launcher (bash), and its .cmd for Windows
 *   server.js                       the plugin server with everything it needs, in one file
 *   schema.json                     the package schema the server answers (for SDK generators)
 *   package.json                    the plugin's name and version
 *
 * Why one self-contained file: `pulumi plugin install resource zoho-watch <version> --file <folder>`
 * copies the folder into the plugin cache, away from any `node_modules`, and the CLI runs a binary
 * plugin as it is, installing nothing. So the server carries its dependencies (gRPC, the protocol
 * stubs, undici, luxon, zod); it needs only Node.js.
 *
 *   node dist/scripts/bundle-plugin.js     (scripts/build.sh runs it)
 */
import { buildSync } from "esbuild";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const out = path.join(root, "dist", "plugin");
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };

function main(): void {
  mkdirSync(out, { recursive: true });
  const result = buildSync({
    entryPoints: [path.join(root, "provider", "pulumi", "plugin", "main.ts")],
    outfile: path.join(out, "server.js"),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    keepNames: true,
    minify: true,
    legalComments: "linked",
    define: { "process.env.ZOHO_WATCH_BUNDLED_VERSION": JSON.stringify(version) },
    metafile: true,
    logLevel: "warning",
  });
  for (const launcher of ["pulumi-resource-zoho-watch", "pulumi-resource-zoho-watch.cmd"]) {
    copyFileSync(path.join(root, "plugin", launcher), path.join(out, launcher));
  }
  chmodSync(path.join(out, "pulumi-resource-zoho-watch"), 0o755);
  copyFileSync(path.join(root, "provider", "pulumi", "plugin", "schema.json"), path.join(out, "schema.json"));
  writeFileSync(
    path.join(out, "package.json"),
    `${JSON.stringify({ name: "pulumi-resource-zoho-watch", version, private: true }, null, 2)}\n`,
  );
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  console.log(`bundled dist/plugin/server.js: ${Math.round(bytes / 1024)} KiB`);
}

if (require.main === module) main();
