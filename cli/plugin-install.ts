/**
 * `zoho-watch plugin install`: installs the provider plugin this package ships (dist/plugin, a
 * self-contained folder) into the Pulumi plugin cache, at the package's version, with the `pulumi`
 * on PATH:
 *
 *   pulumi plugin install resource zoho-watch <version> --file <package>/dist/plugin
 *
 * After it, programs in any language (YAML, Python, Go, .NET, Node) find `zoho-watch` without a
 * download: the plugin is not published to a plugin server, so `pulumi` could not fetch it itself.
 * The plugin cache is $PULUMI_HOME/plugins (~/.pulumi/plugins by default), as for every plugin.
 *
 * Exit codes: 0 installed, 1 pulumi failed (its output is shown), 2 usage, or no pulumi / no plugin
 * folder to install.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** The plugin's name, as its schema and the SDKs name it. */
export const PLUGIN_NAME = "zoho-watch";

export const PLUGIN_USAGE = `  zoho-watch plugin install

plugin install   installs the zoho-watch provider plugin this package ships (dist/plugin) into
                 Pulumi's plugin cache ($PULUMI_HOME/plugins, ~/.pulumi/plugins by default) at the
                 package's version, with the pulumi on PATH, for programs in YAML, Python and Go:
                 pulumi plugin install resource zoho-watch <version> --file <package>/dist/plugin`;

/** What the command needs from its caller (cli/main.ts's CliIo has all of it). */
export interface PluginIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The package's root: dist/cli/plugin-install.js → two levels up. */
export const packageRoot = path.resolve(__dirname, "..", "..");

/** Runs `zoho-watch plugin <argv>`; returns the exit code, never throws. */
export async function pluginCommand(argv: readonly string[], io: PluginIo): Promise<number> {
  if (argv.length !== 1 || argv[0] !== "install") {
    io.stderr(
      `zoho-watch: ${argv.length === 0 ? "plugin needs a subcommand" : `unknown arguments: plugin ${argv.join(" ")}`}; usage:\n${PLUGIN_USAGE}\n`,
    );
    return 2;
  }
  const { version } = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as {
    version: string;
  };
  const folder = path.join(packageRoot, "dist", "plugin");
  if (!existsSync(path.join(folder, `pulumi-resource-${PLUGIN_NAME}`))) {
    io.stderr(
      `zoho-watch: no plugin folder at ${folder} (in a clone of the repository, run npm run build first)\n`,
    );
    return 2;
  }
  const args = ["plugin", "install", "resource", PLUGIN_NAME, version, "--file", folder];
  io.stdout(`running: pulumi ${args.join(" ")}\n`);
  const result = await runPulumi(args, io);
  if (result.code === undefined) {
    io.stderr(
      `zoho-watch: cannot run pulumi (${result.output.trim()}); install the Pulumi CLI (https://www.pulumi.com/docs/install/) and put it on PATH\n`,
    );
    return 2;
  }
  if (result.output.trim() !== "")
    io.stdout(result.output.endsWith("\n") ? result.output : `${result.output}\n`);
  if (result.code !== 0) {
    io.stderr(`zoho-watch: pulumi plugin install exited with ${result.code}\n`);
    return 1;
  }
  const home = io.env.PULUMI_HOME || path.join(homedir(), ".pulumi");
  io.stdout(
    `installed the ${PLUGIN_NAME} resource plugin ${version} into ${path.join(home, "plugins", `resource-${PLUGIN_NAME}-v${version}`)}\n` +
      `check with: pulumi plugin ls\n`,
  );
  return 0;
}

/** Runs pulumi; code undefined when it could not be started at all. */
function runPulumi(args: string[], io: PluginIo): Promise<{ code: number | undefined; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("pulumi", args, { cwd: io.cwd, env: io.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", (error) => resolve({ code: undefined, output: error.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}
