// scripts/ensure-pulumi.sh picks the Pulumi CLI: a new-enough one on PATH, else the cached build,
// else it builds one with Go — and without either it stops with instructions. scripts/ensure-yaml-host.sh
// does the same for the YAML language host. These cases run the scripts with a PATH and a cache of
// our making, so no build happens here (test/toolchain/yaml-host.test.ts runs the real host).
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot, run } from "../../harness/pulumi-stack";

const script = path.join(repoRoot, "scripts", "ensure-pulumi.sh");
const yamlHostScript = path.join(repoRoot, "scripts", "ensure-yaml-host.sh");

async function fakeExecutable(dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, name), "#!/bin/sh\n");
  await chmod(path.join(dir, name), 0o755);
}

async function fakePulumi(dir: string, version: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, "pulumi");
  await writeFile(file, `#!/bin/sh\necho ${version}\n`);
  await chmod(file, 0o755);
}

describe("ensure-pulumi: which Pulumi CLI the project uses", () => {
  let scratch: string;
  // Only the basics, so neither the machine's pulumi nor its go is visible.
  const basePath = "/usr/bin:/bin";

  beforeEach(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "ensure-pulumi-"));
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("uses a pulumi on PATH that is new enough", async () => {
    await fakePulumi(path.join(scratch, "onpath"), "v3.300.1");
    const result = await run("bash", [script], repoRoot, {
      PATH: `${path.join(scratch, "onpath")}:${basePath}`,
      HOME: scratch,
      ZOHO_WATCH_TOOLCHAIN_CACHE: path.join(scratch, "cache"),
    });
    assert.equal(result.code, 0, result.output);
    assert.equal(result.stdout.trim(), path.join(scratch, "onpath"));
  });

  it("ignores a pulumi on PATH that is too old, and stops with install instructions when there is no Go", async () => {
    await fakePulumi(path.join(scratch, "onpath"), "v3.100.0");
    const result = await run("bash", [script], repoRoot, {
      PATH: `${path.join(scratch, "onpath")}:${basePath}`,
      HOME: scratch,
      ZOHO_WATCH_TOOLCHAIN_CACHE: path.join(scratch, "cache"),
      ZOHO_WATCH_GO: path.join(scratch, "no-go-here"),
    });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /ignoring pulumi 3\.100\.0 on PATH: need >= /);
    assert.match(result.stderr, /no Go toolchain to build one/);
    assert.match(result.stderr, /pulumi\.com\/docs\/install/);
  });

  it("reuses the cached build without rebuilding", async () => {
    // Find where the cached build for the pinned version would be, then fill it with stand-ins.
    const probe = await run("bash", [script], repoRoot, {
      PATH: basePath,
      HOME: scratch,
      ZOHO_WATCH_TOOLCHAIN_CACHE: path.join(scratch, "cache"),
      ZOHO_WATCH_GO: path.join(scratch, "no-go-here"),
      ZOHO_WATCH_PRINT_CACHE_DIR: "1",
    });
    const binDir = probe.stdout.trim();
    assert.ok(binDir.startsWith(path.join(scratch, "cache")), probe.output);
    await fakePulumi(binDir, "v3.276.0");
    for (const name of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      await writeFile(path.join(binDir, name), "#!/bin/sh\n");
      await chmod(path.join(binDir, name), 0o755);
    }
    const result = await run("bash", [script], repoRoot, {
      PATH: basePath,
      HOME: scratch,
      ZOHO_WATCH_TOOLCHAIN_CACHE: path.join(scratch, "cache"),
      ZOHO_WATCH_GO: path.join(scratch, "no-go-here"),
    });
    assert.equal(result.code, 0, result.output);
    assert.equal(result.stdout.trim(), binDir);
    assert.doesNotMatch(result.stderr, /building/);
  });
});

describe("ensure-yaml-host: which YAML language host the project uses", () => {
  let scratch: string;
  const basePath = "/usr/bin:/bin";

  beforeEach(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "ensure-yaml-host-"));
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("uses a pulumi-language-yaml on PATH", async () => {
    await fakeExecutable(path.join(scratch, "onpath"), "pulumi-language-yaml");
    const result = await run("bash", [yamlHostScript], repoRoot, {
      PATH: `${path.join(scratch, "onpath")}:${basePath}`,
      HOME: scratch,
      ZOHO_WATCH_TOOLCHAIN_CACHE: path.join(scratch, "cache"),
    });
    assert.equal(result.code, 0, result.output);
    assert.equal(result.stdout.trim(), path.join(scratch, "onpath"));
  });

  it("stops with install instructions when there is no host and no Go", async () => {
    const result = await run("bash", [yamlHostScript], repoRoot, {
      PATH: basePath,
      HOME: scratch,
      ZOHO_WATCH_TOOLCHAIN_CACHE: path.join(scratch, "cache"),
      ZOHO_WATCH_GO: path.join(scratch, "no-go-here"),
    });
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /no Pulumi YAML language host \(pulumi-language-yaml\) on PATH, and no Go toolchain/,
    );
    assert.match(result.stderr, /pulumi\.com\/docs\/install/);
  });

  it("reuses the cached build without rebuilding, apart from the CLI's", async () => {
    const env = {
      PATH: basePath,
      HOME: scratch,
      ZOHO_WATCH_TOOLCHAIN_CACHE: path.join(scratch, "cache"),
      ZOHO_WATCH_GO: path.join(scratch, "no-go-here"),
    };
    const probe = await run("bash", [yamlHostScript], repoRoot, { ...env, ZOHO_WATCH_PRINT_CACHE_DIR: "1" });
    const binDir = probe.stdout.trim();
    assert.ok(binDir.startsWith(path.join(scratch, "cache", "pulumi-language-yaml-v")), probe.output);
    // Its own cache entry: bumping the host must not change the CLI's key (a much longer rebuild).
    const cliProbe = await run("bash", [script], repoRoot, { ...env, ZOHO_WATCH_PRINT_CACHE_DIR: "1" });
    assert.notEqual(path.dirname(binDir), path.dirname(cliProbe.stdout.trim()));
    await fakeExecutable(binDir, "pulumi-language-yaml");
    const result = await run("bash", [yamlHostScript], repoRoot, env);
    assert.equal(result.code, 0, result.output);
    assert.equal(result.stdout.trim(), binDir);
    assert.doesNotMatch(result.stderr, /building/);
  });
});
