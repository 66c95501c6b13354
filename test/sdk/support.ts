// What the SDK tests share: finding Go and Python, the toolchain cache, and an environment for them.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { repoRoot, run } from "../../harness/pulumi-stack";

/** The go binary as scripts/gen-sdk.sh finds it: ZOHO_WATCH_GO, PATH, Go's default places. */
export function findGo(): string {
  const candidates = [
    process.env.ZOHO_WATCH_GO,
    ...(process.env.PATH ?? "").split(path.delimiter).map((dir) => dir && path.join(dir, "go")),
    "/usr/local/go/bin/go",
    "/usr/lib/go/bin/go",
  ];
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found) throw new Error("no Go toolchain: install Go (https://go.dev/dl/) or set ZOHO_WATCH_GO");
  return found;
}

/**
 * The environment for go commands: GOFLAGS=-mod=mod (keeping the machine's other GOFLAGS), and
 * GOPROXY as the machine has it. sum.golang.org need not be reachable: the committed go.sum files
 * already hold the hashes.
 */
export function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const flags = (process.env.GOFLAGS ?? "").split(/\s+/).filter((flag) => flag && !flag.startsWith("-mod="));
  return { ...process.env, GOFLAGS: [...flags, "-mod=mod"].join(" "), ...extra };
}

/** The toolchain cache scripts/ensure-pulumi.sh uses. */
export function toolchainCache(): string {
  return (
    process.env.ZOHO_WATCH_TOOLCHAIN_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "pulumi-zoho-watch")
  );
}

/** What the Python SDK's tests install beside the SDK: the pins, part of the cache key. */
export const PYTHON_REQUIREMENTS = ["pulumi==3.272.0", "mypy==2.4.1", "build==1.6.1", "setuptools==84.2.1"];

/** A venv with the Python SDK built (wheel and sdist) and installed, from {@link pythonSdkEnv}. */
export interface PythonSdkEnv {
  /** The venv's python: run tools with `python -m` (a cached venv has moved since its creation). */
  python: string;
  wheel: string;
  sdist: string;
  /** Whether this call built it (false: found in the cache). */
  built: boolean;
}

/**
 * The Python SDK (sdk/python) built into a wheel and an sdist with `python -m build`, and the wheel
 * installed into a new venv with {@link PYTHON_REQUIREMENTS} from PyPI (pip resolves the SDK's own
 * dependencies, pulumi among them, from there too). Cached under the toolchain cache, keyed on the
 * python version, the requirements and every file of sdk/python: the first run takes a minute or so
 * (pip downloads pulumi, grpcio and mypy), later runs with the same SDK a moment. The SDK is built
 * from a copy, so nothing is written into sdk/python.
 */
export async function pythonSdkEnv(): Promise<PythonSdkEnv> {
  const python3 = process.env.ZOHO_WATCH_PYTHON ?? "python3";
  const version = await run(python3, ["--version"], repoRoot, process.env);
  if (version.code !== 0) throw new Error(`no ${python3}: install Python 3.9+ or set ZOHO_WATCH_PYTHON`);
  const sdk = path.join(repoRoot, "sdk", "python");
  const hash = createHash("sha256").update(version.output).update(PYTHON_REQUIREMENTS.join("\n"));
  const files = (await readdir(sdk, { recursive: true, withFileTypes: true }))
    .filter(
      (entry) =>
        entry.isFile() && !/(__pycache__|\.egg-info|\/build\/|\/dist\/)/.test(entry.parentPath + "/"),
    )
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  for (const file of files)
    hash
      .update(path.relative(sdk, file))
      .update("\0")
      .update(await readFile(file));
  const dir = path.join(toolchainCache(), `python-sdk-${hash.digest("hex").slice(0, 12)}`);
  const found = async (built: boolean): Promise<PythonSdkEnv> => {
    const dist = await readdir(path.join(dir, "dist"));
    const pick = (suffix: string) =>
      path.join(
        dir,
        "dist",
        dist.find((name) => name.endsWith(suffix))!,
      );
    return {
      python: path.join(dir, "venv", "bin", "python"),
      wheel: pick(".whl"),
      sdist: pick(".tar.gz"),
      built,
    };
  };
  if (existsSync(path.join(dir, "ready"))) return found(false);

  const tmp = `${dir}.partial.${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const step = async (what: string, command: string, args: string[]): Promise<void> => {
    const result = await run(command, args, tmp, { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" });
    if (result.code !== 0)
      throw new Error(`${what} failed (${command} ${args.join(" ")}):\n${result.output}`);
  };
  try {
    await cp(sdk, path.join(tmp, "src"), { recursive: true });
    await step("creating the venv", python3, ["-m", "venv", path.join(tmp, "venv")]);
    const python = path.join(tmp, "venv", "bin", "python");
    await step("installing the requirements", python, [
      "-m",
      "pip",
      "install",
      "--quiet",
      ...PYTHON_REQUIREMENTS,
    ]);
    await step("building the wheel and sdist", python, [
      "-m",
      "build",
      "--no-isolation",
      "--sdist",
      "--wheel",
      "--outdir",
      path.join(tmp, "dist"),
      path.join(tmp, "src"),
    ]);
    const wheel = (await readdir(path.join(tmp, "dist"))).find((name) => name.endsWith(".whl"));
    if (!wheel) throw new Error("python -m build wrote no wheel");
    await step("installing the wheel", python, [
      "-m",
      "pip",
      "install",
      "--quiet",
      path.join(tmp, "dist", wheel),
    ]);
    await writeFile(path.join(tmp, "ready"), `${new Date().toISOString()}\n`);
    // Another test file, running beside this one, may have finished the same build first and be
    // using it: keep that one rather than replacing it under its feet.
    if (existsSync(path.join(dir, "ready"))) return found(false);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return found(true);
}
