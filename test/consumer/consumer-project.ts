/**
 * A user's project outside the repository with this package installed from its tarball, the way a
 * user installs it from the registry: `npm pack`, then `npm install` of the tarball next to
 * `@pulumi/pulumi` (and the TypeScript a `pulumi new typescript` project has) into a fresh
 * directory under the system's temp folder, where nothing of the repository's node_modules is in
 * reach.
 *
 * The install runs `--offline`: tests reach no network. npm keeps tarballs in its cache but resolves
 * version ranges from registry metadata it only fetched when the repository's lock file was made, so
 * the project gets a lock file built from the repository's: the tarball's entry, and every package
 * the repository resolved (npm prunes the ones this project does not use). The versions are then
 * exactly the repository's, and `npm install` needs nothing but the cached tarballs.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot, run, type RunResult } from "../../harness/pulumi-stack";

/** One file of `npm pack --json`. */
export interface PackedFile {
  path: string;
  size: number;
}

/** The installed consumer project. */
export interface ConsumerProject {
  /** The project directory (under the system's temp folder). */
  dir: string;
  /** Where the package is installed: `<dir>/node_modules/pulumi-zoho-watch`. */
  packageDir: string;
  /** The tarball's files, as `npm pack --json` lists them. */
  packedFiles: PackedFile[];
  /** The tarball's size in bytes. */
  packedSize: number;
  /** What `npm install` printed (its warnings included). */
  installOutput: string;
}

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface LockFile {
  packages: Record<string, Record<string, unknown>>;
}

/** npm settings a user's own npm also reads; the rest of `npm_*` describes the running `npm test`. */
const KEPT_NPM_SETTINGS = new Set([
  "npm_config_cache",
  "npm_config_userconfig",
  "npm_config_globalconfig",
  "npm_config_registry",
]);

/**
 * This process's environment without what `npm test` added for its own run (`npm_config_prefix`,
 * `npm_config_local_prefix`, `npm_package_*`, ...), so commands in the consumer project behave as
 * in a user's shell.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith("npm_") || KEPT_NPM_SETTINGS.has(key.toLowerCase())) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command and throws with its output when it fails. */
export async function mustRun(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = userEnv(),
): Promise<RunResult> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited with ${result.code}:\n${result.output}`);
  }
  return result;
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, "utf8")) as T;
}

/** The version of a package installed in the repository (so the consumer gets the same one). */
async function repoVersion(name: string): Promise<string> {
  return (await readJson<PackageJson>(path.join(repoRoot, "node_modules", name, "package.json"))).version;
}

/** What `npm pack --json` says of one tarball. */
export interface Packed {
  filename: string;
  size: number;
  files: PackedFile[];
}

/**
 * Packs the repository (its dist/ must be built: the tests run from it) into `dir`. `--ignore-scripts`:
 * `prepack` would rebuild dist/, which the running tests are loaded from.
 */
export async function packRepository(dir: string): Promise<Packed> {
  const packed = await mustRun(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", dir],
    repoRoot,
  );
  const [pack] = JSON.parse(packed.stdout) as [Packed];
  return pack;
}

/** The package.json inside a tarball. */
async function manifestOf(tarball: string): Promise<PackageJson> {
  const listed = await mustRun("tar", ["-xzOf", tarball, "package/package.json"], path.dirname(tarball));
  return JSON.parse(listed.stdout) as PackageJson;
}

/**
 * Installs a tarball of this package into a new project with `@pulumi/pulumi`, `typescript` and
 * `@types/node` at the repository's versions: the repository packed now, or `from`, a tarball of an
 * earlier release (the upgrade test installs one, then the current package over it).
 */
export async function installConsumerProject(from?: string): Promise<ConsumerProject> {
  const dir = await mkdtemp(path.join(tmpdir(), "zoho-watch-consumer-"));

  let pack: Packed;
  if (from === undefined) {
    pack = await packRepository(dir);
  } else {
    await copyFile(from, path.join(dir, path.basename(from)));
    pack = { filename: path.basename(from), size: (await stat(from)).size, files: [] };
  }
  const tarball = path.join(dir, pack.filename);

  const self = await manifestOf(tarball);
  const manifest: PackageJson = {
    name: "zoho-watch-consumer",
    version: "1.0.0",
    dependencies: {
      "@pulumi/pulumi": await repoVersion("@pulumi/pulumi"),
      "pulumi-zoho-watch": `file:${pack.filename}`,
    },
    devDependencies: {
      "@types/node": await repoVersion("@types/node"),
      typescript: await repoVersion("typescript"),
    },
  };
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);

  const repoLock = await readJson<LockFile>(path.join(repoRoot, "package-lock.json"));
  const packages: LockFile["packages"] = {
    "": {
      name: manifest.name,
      version: manifest.version,
      dependencies: manifest.dependencies,
      devDependencies: manifest.devDependencies,
    },
    "node_modules/pulumi-zoho-watch": {
      version: self.version,
      resolved: `file:${pack.filename}`,
      integrity: `sha512-${createHash("sha512")
        .update(await readFile(tarball))
        .digest("base64")}`,
      license: self.license,
      dependencies: self.dependencies,
      engines: self.engines,
      // npm links bins from the lock entry, not from the tarball, when a lock file is present.
      bin: self.bin,
    },
  };
  for (const [key, entry] of Object.entries(repoLock.packages)) {
    // Only installed packages: not the repository itself, nor the node_modules/pulumi-zoho-watch link.
    if (key.startsWith("node_modules/") && !(key in packages)) packages[key] = entry;
  }
  const lock = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages,
  };
  await writeFile(path.join(dir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);

  const installed = await mustRun("npm", ["install", "--offline", "--no-audit", "--no-fund"], dir);
  return {
    dir,
    packageDir: path.join(dir, "node_modules", "pulumi-zoho-watch"),
    packedFiles: pack.files,
    packedSize: pack.size,
    installOutput: installed.output,
  };
}
