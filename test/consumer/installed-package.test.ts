// The package as a user gets it: `npm pack`, installed offline from the tarball into a project outside
// the repository (test/consumer/consumer-project.ts), then used there the way the README says — strict
// TypeScript, the real Pulumi CLI against the installed emulator bin, the policy pack from
// node_modules, the receiver subpath without @pulumi/pulumi, and a too old Node.js. One pack and one
// install serve the whole suite.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdir, readdir, readFile, realpath, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { EmulatorControl, type RequestStats } from "../../emulator";
import { providerConfig } from "../../harness/emulator";
import { PulumiStack, repoRoot, run } from "../../harness/pulumi-stack";
import { yamlHostEnv, type YamlHostEnv } from "../../harness/yaml-host";
import { isSupportedNodeVersion } from "../../provider/node-version";
import { installConsumerProject, mustRun, userEnv, type ConsumerProject } from "./consumer-project";
import { markdownLinks, readmeTarballPatterns, globToRegExp } from "./readme";

/** The quickstart's notify URL and token (its stack config); https outside loopback, as the policy wants. */
const NOTIFY_URL = "https://hooks.example.com/zoho";
const NOTIFY_TOKEN = "tok-consumer-5c1f0e";
/** The policy pack's path as the README documents it, relative to the user's project. */
const POLICY_PACK = "node_modules/pulumi-zoho-watch/policy";
/** The system Node.js, older than the package needs on this machine (Node 20). */
const OLD_NODE = "/usr/bin/node";
const REQUIRED_NODE = /pulumi-zoho-watch needs Node\.js >= 22\.19\.0 \(this is \d+\.\d+\.\d+/;

interface InstalledManifest {
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string>;
  scripts?: Record<string, string>;
}

/** Starts the installed `zoho-crm-emulator` bin on 127.0.0.1 port 0; resolves with its URL (its first stdout line). */
async function startInstalledEmulator(
  project: ConsumerProject,
): Promise<{ child: ChildProcess; url: string }> {
  const bin = path.join(project.dir, "node_modules", ".bin", "zoho-crm-emulator");
  const child = spawn(bin, ["--host", "127.0.0.1", "--port", "0"], {
    cwd: project.dir,
    env: userEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`zoho-crm-emulator exited with ${code}: ${stderr}`)));
  });
  lines.close();
  return { child, url };
}

/** Request counts between two stats snapshots. */
function delta(after: RequestStats, before: RequestStats): { token: number; list: number; total: number } {
  return {
    token: after.token - before.token,
    list: after.list - before.list,
    total: after.total - before.total,
  };
}

describe("the published package, installed from its tarball into a user's project", function () {
  this.timeout(120_000);
  let project: ConsumerProject;
  let manifest: InstalledManifest;

  before(async function () {
    this.timeout(600_000);
    project = await installConsumerProject();
    manifest = JSON.parse(
      await readFile(path.join(project.packageDir, "package.json"), "utf8"),
    ) as InstalledManifest;
  });

  after(async function () {
    if (project) await rm(project.dir, { recursive: true, force: true });
  });

  describe("what the tarball holds", function () {
    it("ships exactly what the README's development section lists: no tests, benchmarks, scripts or harness", async function () {
      const files = project.packedFiles.map((file) => file.path);
      const patterns = await readmeTarballPatterns(path.join(repoRoot, "README.md"));
      const unlisted = files.filter((file) => !patterns.some((pattern) => globToRegExp(pattern).test(file)));
      assert.deepEqual(unlisted, [], "files in the tarball that README.md's list does not name");
      const unmatched = patterns.filter((pattern) => !files.some((file) => globToRegExp(pattern).test(file)));
      assert.deepEqual(unmatched, [], "README.md lists entries the tarball does not hold");
      const devOnly = files.filter((file) =>
        /^dist\/(test|perf|scripts|harness|examples)\/|\.map$/.test(file),
      );
      assert.deepEqual(devOnly, [], "development files in the tarball");
    });

    it("holds every entry point package.json names: main, types, the bin and each export", async function () {
      const targets = [
        manifest.main,
        manifest.types,
        ...Object.values(manifest.bin),
        ...Object.values(manifest.exports),
      ];
      for (const target of targets) {
        const file = path.join(project.packageDir, target);
        assert.ok((await stat(file)).isFile(), `${target} is missing from the installed package`);
      }
      for (const subpath of ["./emulator", "./receiver", "./provider-runtime"]) {
        const declarations = manifest.exports[subpath]?.replace(/\.js$/, ".d.ts");
        assert.ok(declarations, `exports has ${subpath}`);
        assert.ok(
          (await stat(path.join(project.packageDir, declarations))).isFile(),
          `${declarations} is shipped`,
        );
      }
    });

    it("runs no script when installed: no install-time hook, and npm names none of ours", function () {
      const hooks = Object.keys(manifest.scripts ?? {}).filter((name) =>
        ["preinstall", "install", "postinstall", "prepare"].includes(name),
      );
      assert.deepEqual(hooks, []);
      const scriptWarnings = project.installOutput.split("\n").filter((line) => /install-scripts/.test(line));
      assert.ok(
        !scriptWarnings.some((line) => line.includes("pulumi-zoho-watch")),
        `npm warned about an install script of this package:\n${scriptWarnings.join("\n")}`,
      );
    });

    it("resolves every relative link of its READMEs inside the installed package", async function () {
      const docs = project.packedFiles.map((file) => file.path).filter((file) => file.endsWith(".md"));
      assert.ok(docs.includes("README.md"));
      const broken: string[] = [];
      for (const doc of docs) {
        const text = await readFile(path.join(project.packageDir, doc), "utf8");
        for (const link of markdownLinks(text)) {
          if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith("#")) continue; // URLs and anchors
          const target = path.join(project.packageDir, path.dirname(doc), decodeURI(link.split("#")[0]!));
          if (!(await stat(target).catch(() => undefined))) broken.push(`${doc}: ${link}`);
        }
      }
      assert.deepEqual(broken, [], "README links that do not resolve inside the installed package");
    });
  });

  it("compiles in a strict TypeScript project without skipLibCheck: the quickstart, the emulator, the receiver, the client and the plugin's SDK", async function () {
    const dir = path.join(project.dir, "typecheck");
    await mustRun("mkdir", ["-p", dir], project.dir);
    await copyFile(path.join(repoRoot, "examples", "quickstart", "index.ts"), path.join(dir, "index.ts"));
    await writeFile(
      path.join(dir, "subpaths.ts"),
      [
        'import { EmulatorControl, startEmulator } from "pulumi-zoho-watch/emulator";',
        'import { verifyNotification, type ExpectedChannel } from "pulumi-zoho-watch/receiver";',
        'import { ZohoWatchClient, WatchChannel, type WatchChannelArgs } from "pulumi-zoho-watch";',
        "export const expected: ExpectedChannel = { channelId: 1n, token: 't' };",
        "export type Args = WatchChannelArgs;",
        "export { EmulatorControl, startEmulator, verifyNotification, ZohoWatchClient, WatchChannel };",
        'import * as zoho from "pulumi-zoho-watch/plugin";',
        "export type PluginArgs = zoho.WatchChannelArgs;",
        "export const PluginChannel: typeof zoho.WatchChannel = zoho.WatchChannel;",
        "export const PluginProvider: typeof zoho.Provider = zoho.Provider;",
        "",
      ].join("\n"),
    );
    const tsconfig = {
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        target: "es2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        types: ["node"],
      },
      files: ["index.ts", "subpaths.ts"],
    };
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    const tsc = await run(path.join(project.dir, "node_modules", ".bin", "tsc"), ["-p", dir], dir, userEnv());
    assert.equal(tsc.code, 0, `tsc reported errors:\n${tsc.output}`);
  });

  // A Pulumi program starts two Node processes per run, or four for an `up` (its preview and its
  // update): each pays for what the package loads. A program that only declares WatchChannels needs
  // neither the client's undici nor zod, and the provider process needs undici only when it calls Zoho.
  it("loads the client, the receiver and the provider's implementation on first use, for CommonJS and ES modules", async function () {
    const cjs = `
      const loaded = (name) => Object.keys(require.cache).some((file) => file.includes("/node_modules/" + name + "/"));
      // zod as the package ships it (trimmed, dist/provider/zod.js), or the zod package itself.
      const zod = () => loaded("zod") || Object.keys(require.cache).some((file) => file.endsWith("/pulumi-zoho-watch/dist/provider/zod.js"));
      const main = require("pulumi-zoho-watch");
      require("pulumi-zoho-watch/provider-runtime");
      const atStart = { undici: loaded("undici"), zod: zod() };
      const exported = [typeof main.ZohoWatchClient, typeof main.verifyNotification, main.DEFAULT_MAX_BODY_BYTES];
      console.log(JSON.stringify({ atStart, exported, zodOnUse: zod(), undiciOnUse: loaded("undici") }));`;
    const result = await run("node", ["-e", cjs], project.dir, userEnv());
    assert.equal(result.code, 0, result.output);
    assert.deepEqual(JSON.parse(result.stdout), {
      atStart: { undici: false, zod: false },
      exported: ["function", "function", 256 * 1024],
      zodOnUse: true,
      undiciOnUse: false, // loaded when the client sends its first request
    });
    const esm = [
      'import { WatchChannel, ZohoWatchClient, verifyNotification, createNotificationVerifier, DEFAULT_CLOCK_SKEW_MS } from "pulumi-zoho-watch";',
      "console.log(JSON.stringify([WatchChannel, ZohoWatchClient, verifyNotification, createNotificationVerifier].map((f) => typeof f).concat(typeof DEFAULT_CLOCK_SKEW_MS)));",
      "",
    ].join("\n");
    await writeFile(path.join(project.dir, "named-imports.mjs"), esm);
    const imported = await run("node", ["named-imports.mjs"], project.dir, userEnv());
    assert.equal(imported.code, 0, imported.output);
    assert.deepEqual(JSON.parse(imported.stdout), ["function", "function", "function", "function", "number"]);
  });

  // The provider process's first call loads the implementation before it can answer, in every
  // preview and every up. zod required whole is 95 files, 65 of them locales: the build ships only
  // the part of it the package names (provider/zod.ts, scripts/bundle-zod.ts).
  it("runs the provider's implementation without loading zod's package: `check` validates with the trimmed zod the package ships", async function () {
    const script = `
      const before = new Set(Object.keys(require.cache));
      const runtime = require("pulumi-zoho-watch/provider-runtime");
      runtime.check({}, { channelId: "1", events: ["Deals.all"], notifyUrl: 42 }).then((result) => {
        const loaded = Object.keys(require.cache).filter((file) => !before.has(file));
        const own = loaded.filter((file) => file.includes("/node_modules/pulumi-zoho-watch/"));
        const packages = loaded
          .filter((file) => !file.includes("/node_modules/pulumi-zoho-watch/"))
          .map((file) => /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file)[1]);
        console.log(JSON.stringify({
          failures: result.failures.map((f) => f.property + "|" + f.reason.split(":")[0]),
          own: own.map((file) => file.split("/node_modules/pulumi-zoho-watch/")[1]),
          packages: [...new Set(packages)],
        }));
      });`;
    const result = await run("node", ["-e", script], project.dir, userEnv());
    assert.equal(result.code, 0, result.output);
    const loaded = JSON.parse(result.stdout) as { failures: string[]; own: string[]; packages: string[] };
    // The engine is given each failure as the resource's problem, the property leading the reason.
    assert.deepEqual(loaded.failures, ["|notifyUrl", "|missing Zoho credentials"]);
    assert.ok(loaded.own.includes("dist/provider/pulumi/dynamic/provider-process.js"), loaded.own.join("\n"));
    assert.ok(loaded.own.includes("dist/provider/zod.js"), loaded.own.join("\n"));
    // No zod: the package carries what it uses; undici waits for the first request.
    assert.deepEqual(loaded.packages, ["luxon"]);
  });

  // A bundle of the package's own modules (as the provider process's implementation was until 0.2.0)
  // would be a second copy of modules the package ships compiled. tsc writes each module about the
  // size of its source; a bundle is many times that.
  it("ships each of its modules once: outside the plugin's self-contained folder, every file is tsc's output of its own source", async () => {
    const dist = path.join(project.dir, "node_modules", "pulumi-zoho-watch", "dist");
    const files = (await readdir(dist, { recursive: true }))
      .filter((file) => file.endsWith(".js") && !file.startsWith(`plugin${path.sep}`))
      .sort();
    const trimmedZod = path.join("provider", "zod.js");
    assert.ok(files.includes(trimmedZod), "the trimmed zod is shipped");
    const bundles: string[] = [];
    for (const file of files.filter((file) => file !== trimmedZod)) {
      const source = path.join(repoRoot, file.replace(/\.js$/, ".ts"));
      const [compiled, written] = [(await stat(path.join(dist, file))).size, (await stat(source)).size];
      if (compiled > Math.max(4 * written, written + 8192))
        bundles.push(`${file}: ${compiled} bytes from ${written}`);
    }
    assert.deepEqual(bundles, [], "shipped files far larger than their source: bundles of other modules");
    // The trimmed zod is zod's parts, not tsc's re-export of the whole (which requires "zod").
    assert.doesNotMatch(await readFile(path.join(dist, trimmedZod), "utf8"), /require\("zod"\)/);
  });

  describe("the quickstart with the real Pulumi CLI, against the installed emulator bin", function () {
    let emulator: { child: ChildProcess; url: string };
    let control: EmulatorControl;
    let stack: PulumiStack;
    let channelId: string;

    before(async function () {
      this.timeout(300_000);
      emulator = await startInstalledEmulator(project);
      control = new EmulatorControl(emulator.url);
      // The user's project is the quickstart: its Pulumi.yaml and program, run in place.
      await copyFile(
        path.join(repoRoot, "examples", "quickstart", "Pulumi.yaml"),
        path.join(project.dir, "Pulumi.yaml"),
      );
      await copyFile(
        path.join(repoRoot, "examples", "quickstart", "index.ts"),
        path.join(project.dir, "index.ts"),
      );
      stack = await PulumiStack.create({ program: project.dir, inPlace: true, env: userEnv() });
      const provider = providerConfig(emulator.url);
      const secrets = { ...provider.secrets, "quickstart:notifyToken": NOTIFY_TOKEN };
      const plain = { ...provider.config, "quickstart:notifyUrl": NOTIFY_URL };
      await stack.cli([
        "config",
        "set-all",
        "--stack",
        stack.name,
        ...Object.entries(plain).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]),
        ...Object.entries(secrets).flatMap(([key, value]) => ["--secret", `${key}=${value}`]),
      ]);
      await stack.up();
      const outputs = await stack.cli(["stack", "output", "--json", "--stack", stack.name]);
      channelId = String((JSON.parse(outputs.stdout) as { channelId: unknown }).channelId);
    });

    after(async function () {
      this.timeout(120_000);
      await stack?.dispose();
      emulator?.child.kill("SIGTERM");
      await rm(path.join(project.dir, "Pulumi.yaml"), { force: true });
    });

    it("`pulumi up` subscribed the declared channel on the emulator", async function () {
      const channel = (await control.channels()).find((c) => c.channelId === channelId);
      assert.ok(channel?.live, `channel ${channelId} is live`);
      assert.equal(channel.notifyUrl, NOTIFY_URL);
      assert.equal(channel.token, NOTIFY_TOKEN);
      assert.deepEqual([...channel.events].sort(), ["Deals.create", "Deals.delete", "Deals.edit"]);
    });

    it("stores the serialized provider as a bare require of at most 400 characters (the installed form)", async function () {
      const [resource] = await stack.resourcesOfType("pulumi-nodejs:dynamic/zoho:WatchChannel");
      const text = String(resource?.outputs?.__provider);
      assert.ok(text.length <= 400, `${text.length} characters`);
      assert.match(text, /require\("pulumi-zoho-watch\/provider-runtime"\)/);
    });

    it("`pulumi preview --expect-no-changes` passes and calls nothing", async function () {
      const before = await control.stats();
      await stack.preview(["--expect-no-changes"]);
      assert.equal(delta(await control.stats(), before).total, 0);
    });

    it("`pulumi preview` fails with zero calls when a credential is missing, naming it and how to set it", async function () {
      const { secrets } = providerConfig(emulator.url);
      await stack.cli(["config", "rm", "--stack", stack.name, "zoho-watch:refreshToken"]);
      try {
        const before = await control.stats();
        const failing = await stack.preview([], { allowFailure: true });
        assert.notEqual(failing.code, 0);
        assert.match(
          failing.output,
          /has a problem: missing Zoho credentials: set zoho-watch:refreshToken \(or ZOHO_REFRESH_TOKEN\); e\.g\. `pulumi config set --secret zoho-watch:refreshToken/,
        );
        assert.equal(delta(await control.stats(), before).total, 0);
      } finally {
        await stack.setConfig("zoho-watch:refreshToken", secrets["zoho-watch:refreshToken"]!, {
          secret: true,
        });
      }
    });

    it("`pulumi preview` refuses a plain-http notify URL to a public host with zero calls", async function () {
      await stack.setConfig("quickstart:notifyUrl", "http://hooks.example.com/zoho");
      try {
        const before = await control.stats();
        const failing = await stack.preview([], { allowFailure: true });
        assert.notEqual(failing.code, 0);
        assert.match(
          failing.output,
          /has a problem: notifyUrl: http:\/\/hooks\.example\.com\/zoho is plain http/,
        );
        assert.equal(delta(await control.stats(), before).total, 0);
      } finally {
        await stack.setConfig("quickstart:notifyUrl", NOTIFY_URL);
      }
    });

    // The README's "What each run costs" table, measured: token requests (Zoho allows ~10 per 10
    // minutes) and reads (1 API credit each) per command, for this stack's one channel, nothing due.
    it("costs per run: a preview reads nothing, `up --refresh` reads twice, once with --skip-preview", async function () {
      const cost = async (args: string[]) => {
        const before = await control.stats();
        await stack.cli([...args, "--stack", stack.name]);
        return delta(await control.stats(), before);
      };
      const measured = {
        "up (nothing due)": await cost(["up", "--yes"]),
        "up --refresh": await cost(["up", "--yes", "--refresh"]),
        "up --refresh --skip-preview": await cost(["up", "--yes", "--refresh", "--skip-preview"]),
        // What pulumi/actions runs for `command: up` with `refresh: true` (the CI example): a refresh,
        // then an up, both through the Automation API, which skips previews.
        "refresh --skip-preview, then up --skip-preview": await (async () => {
          const refresh = await cost(["refresh", "--yes", "--skip-preview"]);
          const up = await cost(["up", "--yes", "--skip-preview"]);
          return {
            token: refresh.token + up.token,
            list: refresh.list + up.list,
            total: refresh.total + up.total,
          };
        })(),
        // The drift check that renewals do not trip (README: pull requests and renewals).
        "refresh --preview-only --expect-no-changes": await cost([
          "refresh",
          "--preview-only",
          "--expect-no-changes",
        ]),
      };
      assert.deepEqual(measured, {
        "up (nothing due)": { token: 0, list: 0, total: 0 },
        "up --refresh": { token: 2, list: 2, total: 4 },
        "up --refresh --skip-preview": { token: 1, list: 1, total: 2 },
        "refresh --skip-preview, then up --skip-preview": { token: 1, list: 1, total: 2 },
        "refresh --preview-only --expect-no-changes": { token: 1, list: 1, total: 2 },
      });
    });

    it(`the policy pack runs from ${POLICY_PACK}: passes the quickstart, rejects an http notify URL`, async function () {
      const passing = await stack.preview(["--policy-pack", POLICY_PACK]);
      assert.match(passing.output, /zoho-watch@v0\.1\.0/, "the installed pack ran");
      await stack.setConfig("quickstart:notifyUrl", "http://hooks.example.com/zoho");
      try {
        const failing = await stack.preview(["--policy-pack", POLICY_PACK], { allowFailure: true });
        assert.notEqual(failing.code, 0);
        assert.match(failing.output, /\[mandatory\].*notify-url-https/);
      } finally {
        await stack.setConfig("quickstart:notifyUrl", NOTIFY_URL);
      }
    });

    it("`pulumi destroy` disables the channel", async function () {
      await stack.destroy();
      const channel = (await control.channels()).find((c) => c.channelId === channelId);
      assert.ok(!channel?.live, `channel ${channelId} is no longer live`);
    });
  });

  describe("the provider plugin as shipped: the package's examples/yaml with the real Pulumi CLI", function () {
    const HOOK_TOKEN = "tok-consumer-yaml-81d2";
    let emulator: { child: ChildProcess; url: string };
    let control: EmulatorControl;
    let yamlHost: YamlHostEnv;
    let stack: PulumiStack;

    before(async function () {
      this.timeout(300_000);
      emulator = await startInstalledEmulator(project);
      control = new EmulatorControl(emulator.url);
      // A YAML project beside the user's node_modules, its Pulumi.yaml the one the package ships:
      // its plugin path names the plugin folder inside the installed package.
      const dir = path.join(project.dir, "yaml-project");
      await mkdir(dir, { recursive: true });
      await copyFile(
        path.join(project.packageDir, "examples", "yaml", "Pulumi.yaml"),
        path.join(dir, "Pulumi.yaml"),
      );
      await symlink(path.join(project.dir, "node_modules"), path.join(dir, "node_modules"), "dir");
      yamlHost = await yamlHostEnv(`consumer-${path.basename(project.dir)}`);
      stack = await PulumiStack.create({ program: dir, inPlace: true, env: userEnv(yamlHost.env) });
      const provider = providerConfig(emulator.url);
      await stack.cli([
        "config",
        "set-all",
        "--stack",
        stack.name,
        ...Object.entries(provider.config).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]),
        ...Object.entries({ ...provider.secrets, hookToken: HOOK_TOKEN }).flatMap(([key, value]) => [
          "--secret",
          `${key}=${value}`,
        ]),
      ]);
      await stack.up();
    });

    after(async function () {
      this.timeout(120_000);
      await stack?.dispose();
      emulator?.child.kill("SIGTERM");
      await yamlHost?.dispose();
      await rm(path.join(project.dir, "yaml-project"), { recursive: true, force: true });
    });

    it("`pulumi up` subscribed both channels through the installed plugin, the token out of the state", async function () {
      const live = (await control.channels()).filter((channel) => channel.live);
      assert.deepEqual(
        live.map((channel) => channel.token),
        [HOOK_TOKEN, HOOK_TOKEN],
      );
      assert.equal((await stack.resourcesOfType("zoho-watch:index:WatchChannel")).length, 2);
      assert.ok(
        !(await stack.exportText()).includes(HOOK_TOKEN),
        "the hook token is in plain text in the state",
      );
    });

    it("`pulumi destroy` unsubscribes them", async function () {
      await stack.destroy();
      assert.deepEqual(
        (await control.channels()).filter((channel) => channel.live),
        [],
      );
    });
  });

  describe("pulumi-zoho-watch/receiver without @pulumi/pulumi", function () {
    const blocker = () => path.join(project.dir, "hide-pulumi.cjs");

    before(async function () {
      // Makes @pulumi/* unresolvable, as in a receiver's deployment that does not install them.
      await writeFile(
        blocker(),
        [
          'const Module = require("node:module");',
          "const resolve = Module._resolveFilename;",
          "Module._resolveFilename = function (request, ...rest) {",
          "  if (/^@pulumi\\//.test(request)) {",
          "    const error = new Error(`Cannot find module '${request}' (hidden by the test)`);",
          '    error.code = "MODULE_NOT_FOUND";',
          "    throw error;",
          "  }",
          "  return resolve.call(this, request, ...rest);",
          "};",
          "",
        ].join("\n"),
      );
    });

    it("the main entry point does need @pulumi/pulumi (so hiding it is effective)", async function () {
      const result = await run(
        "node",
        ["-r", blocker(), "-e", 'require("pulumi-zoho-watch")'],
        project.dir,
        userEnv(),
      );
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /Cannot find module '@pulumi\/pulumi' \(hidden by the test\)/);
    });

    it("loads and verifies a notification", async function () {
      const script = `
        const { verifyNotification } = require("pulumi-zoho-watch/receiver");
        const body = JSON.stringify({ server_time: 1718117126473, query_params: {}, module: "Deals",
          resource_uri: "https://www.zohoapis.com/crm/v8/Deals", ids: ["5725767000003000064"], affected_fields: [],
          operation: "update", channel_id: "1105420521999070702", token: "tok-r" });
        const good = verifyNotification(body, { channelId: "1105420521999070702", token: "tok-r" });
        const forged = verifyNotification(body, { channelId: "1105420521999070702", token: "other" });
        const pulumiLoaded = Object.keys(require.cache).some((file) => file.includes("@pulumi"));
        console.log(JSON.stringify({ good: good.ok && good.notification.ids, forged: forged.ok, pulumiLoaded }));`;
      const result = await run("node", ["-r", blocker(), "-e", script], project.dir, userEnv());
      assert.equal(result.code, 0, result.output);
      assert.deepEqual(JSON.parse(result.stdout), {
        good: ["5725767000003000064"],
        forged: false,
        pulumiLoaded: false,
      });
    });
  });

  describe("on a Node.js older than it needs", function () {
    before(async function () {
      const version = await run(OLD_NODE, ["--version"], project.dir, userEnv()).catch(() => undefined);
      // This machine's system Node is 20; elsewhere there may be none, or a new enough one.
      if (!version?.stdout.startsWith("v") || isSupportedNodeVersion(version.stdout.trim())) this.skip();
    });

    for (const entry of ["pulumi-zoho-watch", "pulumi-zoho-watch/emulator", "pulumi-zoho-watch/receiver"]) {
      it(`require("${entry}") fails with an error naming the required version`, async function () {
        const result = await run(
          OLD_NODE,
          ["-e", `require(${JSON.stringify(entry)})`],
          project.dir,
          userEnv(),
        );
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, REQUIRED_NODE);
        assert.doesNotMatch(result.stderr, /reading 'bind'/);
      });
    }

    for (const [name, args] of [
      ["zoho-crm-emulator", ["--port", "0"]],
      ["zoho-watch", ["status"]],
    ] as const) {
      it(`the ${name} bin fails with the same error`, async function () {
        const bin = await realpath(path.join(project.dir, "node_modules", ".bin", name));
        const result = await run(OLD_NODE, [bin, ...args], project.dir, userEnv());
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, REQUIRED_NODE);
      });
    }
  });
});
