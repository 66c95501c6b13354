// The two forms of the serialized provider through the real CLI (provider/resource/provider.ts):
// "installed", a bare require of the package when it sits under node_modules, and the
// self-contained fallback where it does not (a linked package, as in this repository). Each form
// refreshes, renews and destroys state written by the other.
//
// The project lives outside the repository: inside it, Node resolves `pulumi-zoho-watch` to the
// repository itself (a package may require itself by name), whatever node_modules holds. Its
// node_modules links every dependency to the repository's, and holds the package either as a copy
// (installed) or as a link to the repository (linked).
import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { PulumiStack, repoRoot } from "../../harness/pulumi-stack";
import { clockOffset, providerConfig, startTestEmulator } from "../../harness/emulator";
import { CLOCK_OFFSET_ENV } from "../../provider/resource/expiry";

const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
const HOOK = "http://127.0.0.1:9/hooks";
const BARE = 'require("pulumi-zoho-watch/provider-runtime")';

describe("the serialized provider's two forms through the real CLI", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  let project: string;
  const packageDir = () => path.join(project, "node_modules", "pulumi-zoho-watch");

  /** Puts a copy of the built package under the project's node_modules, as `npm install` would. */
  async function install(): Promise<void> {
    await rm(packageDir(), { recursive: true, force: true });
    await mkdir(path.join(packageDir(), "dist"), { recursive: true });
    await cp(path.join(repoRoot, "package.json"), path.join(packageDir(), "package.json"));
    await cp(path.join(repoRoot, "dist", "provider"), path.join(packageDir(), "dist", "provider"), {
      recursive: true,
    });
  }

  /** Links the package to the repository instead, as a workspace would. */
  async function unlink(): Promise<void> {
    await rm(packageDir(), { recursive: true, force: true });
    await symlink(repoRoot, packageDir(), "dir");
  }

  async function storedProviders(): Promise<string[]> {
    const resources = await stack.resourcesOfType(TYPE);
    assert.ok(resources.length > 0);
    return resources.map((r) => String(r.outputs?.__provider));
  }

  async function live(): Promise<string[]> {
    return (await emulator.channels()).filter((c) => c.live).map((c) => c.channelId);
  }

  before(async () => {
    emulator = await startTestEmulator();
    project = await mkdtemp(path.join(tmpdir(), "zoho-watch-forms-"));
    await cp(path.join(repoRoot, "test", "programs", "channels"), project, { recursive: true });
    await mkdir(path.join(project, "node_modules"));
    for (const entry of await readdir(path.join(repoRoot, "node_modules"))) {
      if (entry === "pulumi-zoho-watch" || entry.startsWith(".")) continue;
      await symlink(
        path.join(repoRoot, "node_modules", entry),
        path.join(project, "node_modules", entry),
        "dir",
      );
    }
    const { config, secrets } = providerConfig(emulator.url);
    stack = await PulumiStack.create({
      program: project,
      inPlace: true,
      config: {
        ...config,
        channels: JSON.stringify({
          a: { events: ["Deals.all"], notifyUrl: HOOK, channelId: "9000000000000000001" },
        }),
      },
      secrets,
    });
  });
  after(async () => {
    await stack?.dispose();
    await emulator?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it("installed: stores a bare require of at most 400 characters", async () => {
    await install();
    await stack.up();
    for (const text of await storedProviders()) {
      assert.ok(text.length <= 400, `${text.length} characters: ${text}`);
      assert.ok(text.includes(BARE), text);
    }
    await stack.preview(["--expect-no-changes"]);
  });

  it("self-contained: refreshes and renews state written in the installed form", async () => {
    await unlink();
    await stack.refresh();
    await emulator.advanceClock("P4D");
    stack.setEnv({ [CLOCK_OFFSET_ENV]: await clockOffset(emulator) });
    await stack.up(); // the renewal: the replacement is written in the self-contained form
    for (const text of await storedProviders()) {
      assert.ok(
        text.length > 1000 && text.includes("configure: __f"),
        `the self-contained form: ${text.length} characters`,
      );
    }
    assert.deepEqual(await live(), ["9000000000000000001"], "renewed, never dropped");
  });

  it("installed again: refreshes and destroys state written in the self-contained form", async () => {
    await install();
    await stack.refresh();
    await stack.preview(["--expect-no-changes"]);
    await stack.destroy();
    assert.deepEqual(await live(), []);
  });
});
