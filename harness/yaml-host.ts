/**
 * The Pulumi YAML language host for tests that run `runtime: yaml` programs, without the CLI's
 * "warning: using pulumi-language-yaml from $PATH" on every command.
 *
 * The CLI warns when a language host it ships with (yaml is one) is found on PATH rather than next
 * to the `pulumi` binary, which is where `scripts/with-toolchain.sh --pulumi` puts the host it
 * builds. The CLI refuses to `pulumi plugin install` a bundled language host, so
 * {@link yamlHostEnv} lays it out in a private PULUMI_HOME's plugin cache itself
 * (`plugins/language-yaml-v<version>/pulumi-language-yaml`, a link to the binary) and takes its
 * folder off PATH: the CLI then finds it in the cache, as it finds any installed plugin, and says
 * nothing. Where the host already sits next to `pulumi` (a normal Pulumi install), nothing changes.
 */
import { mkdir, readFile, rm, symlink } from "node:fs/promises";
import path from "node:path";
import { repoRoot, run } from "./pulumi-stack";

/** Environment for the CLI, and the private PULUMI_HOME to remove once done (none when unchanged). */
export interface YamlHostEnv {
  env: NodeJS.ProcessEnv;
  dispose(): Promise<void>;
}

/** Where `name` is on PATH, or undefined. */
async function onPath(name: string): Promise<string | undefined> {
  const found = await run("bash", ["-c", `command -v ${name}`], repoRoot, process.env);
  return found.code === 0 ? found.stdout.trim() : undefined;
}

/** The host's version: from the toolchain cache's folder name, else the one toolchain/yaml-host pins. */
async function hostVersion(binary: string): Promise<string> {
  const fromFolder = /pulumi-language-yaml-v(\d+\.\d+\.\d+)/.exec(binary)?.[1];
  if (fromFolder) return fromFolder;
  const goMod = await readFile(path.join(repoRoot, "toolchain", "yaml-host", "go.mod"), "utf8");
  const pinned = /github\.com\/pulumi\/pulumi-yaml v(\d+\.\d+\.\d+)/.exec(goMod)?.[1];
  if (!pinned) throw new Error("cannot tell the version of the YAML language host");
  return pinned;
}

/**
 * Environment in which the CLI runs YAML programs with no PATH warning: a PULUMI_HOME of its own
 * under `<repo>/.state/` (named by `id`) holding the host, and PATH without the host's folder.
 */
export async function yamlHostEnv(id: string): Promise<YamlHostEnv> {
  const host = await onPath("pulumi-language-yaml");
  if (!host) {
    throw new Error(
      "no pulumi-language-yaml on PATH: run the tests through `bash scripts/with-toolchain.sh --pulumi`",
    );
  }
  const pulumi = await onPath("pulumi");
  if (pulumi && path.dirname(pulumi) === path.dirname(host)) return { env: {}, dispose: async () => {} };
  const home = path.join(repoRoot, ".state", `pulumi-home-${id}`);
  const plugin = path.join(home, "plugins", `language-yaml-v${await hostVersion(host)}`);
  await mkdir(plugin, { recursive: true });
  await symlink(host, path.join(plugin, "pulumi-language-yaml"));
  const hostDir = path.dirname(host);
  const PATH = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => path.resolve(dir) !== hostDir)
    .join(path.delimiter);
  return {
    env: { PULUMI_HOME: home, PATH },
    dispose: () => rm(home, { recursive: true, force: true }),
  };
}
