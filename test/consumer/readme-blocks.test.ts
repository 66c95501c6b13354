// The README's user-facing commands, run verbatim in a user's project with the package installed from
// its tarball: the program, its settings, the emulator (started by the installed bin, on the port the
// README names), `pulumi up`, `zoho-watch status` and the emulator's clock, with the real Pulumi CLI.
// Each command must exit as its `# exit N` comment says (0 when it says nothing). The install command
// and the production stack's commands need the npm registry and a Zoho org: the install is checked
// to name this package, and the production settings to be the provider's own keys.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { connect, createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { EmulatorControl, type ChannelSnapshot } from "../../emulator";
import { repoRoot, run, type RunResult } from "../../harness/pulumi-stack";
import { SETTING_NAMES } from "../../provider";
import { installConsumerProject, mustRun, userEnv, type ConsumerProject } from "./consumer-project";
import { codeBlocks, firstCodeBlock } from "./readme";

/** The project's name: not the quickstart's, so the README's commands must work in any project. */
const PROJECT = "my-channels";

/** One command of a shell block: backslash-continued lines joined, as the shell reads them. */
interface Command {
  text: string;
  background: boolean;
  expectedExit: number;
}

/** The port the README's commands use; the test swaps in one the system picks (port 0). */
const README_PORT = "8765";

/** A port that is free now: the system picks it for a server that is closed at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The commands of a shell block, verbatim but for the README's port, which becomes `port`: tests
 * listen only on ports the system picks, never on a fixed one another process may hold.
 */
function commands(block: string, port: number): Command[] {
  return block
    .replaceAll(README_PORT, String(port))
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"))
    .map((text) => ({
      text,
      background: /&\s*(#.*)?$/.test(text),
      expectedExit: Number(/#\s*exit (\d+)/.exec(text)?.[1] ?? 0),
    }));
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

describe("the README's commands, verbatim, in a user's project with the installed package", function () {
  this.timeout(180_000);
  let readme: string;
  let project: ConsumerProject;
  let env: NodeJS.ProcessEnv;
  let emulatorUrl: string | undefined;
  let port: number;
  const backgroundGroups: number[] = [];

  /** Runs one README command in the project, as a user's shell would, and checks its exit status. */
  async function runCommand(command: Command): Promise<RunResult> {
    if (command.background) {
      const port = Number(/--port (\d+)/.exec(command.text)?.[1]);
      assert.ok(port, `a background command names its --port: ${command.text}`);
      assert.equal(await portAnswers(port), false, `port ${port} is taken: is another emulator running?`);
      const log = openSync(path.join(project.dir, `background-${backgroundGroups.length}.log`), "w");
      const child = spawn("bash", ["-c", command.text], {
        cwd: project.dir,
        env,
        detached: true, // its own process group, which the background job stays in: killed in after()
        stdio: ["ignore", log, log],
      });
      closeSync(log);
      backgroundGroups.push(child.pid!);
      // A user types the next command seconds later; wait until the emulator listens.
      for (let waited = 0; !(await portAnswers(port)); waited += 100) {
        assert.ok(waited < 30_000, `nothing listens on ${port} 30 s after: ${command.text}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      emulatorUrl = `http://127.0.0.1:${port}`;
      return { code: 0, stdout: "", stderr: "", output: "" };
    }
    const result = await run("bash", ["-c", command.text], project.dir, env);
    assert.equal(
      result.code,
      command.expectedExit,
      `\`${command.text}\` exited with ${result.code}, the README says ${command.expectedExit}:\n${result.output}`,
    );
    return result;
  }

  async function liveChannels(): Promise<ChannelSnapshot[]> {
    assert.ok(emulatorUrl, "the emulator was started");
    return (await new EmulatorControl(emulatorUrl).channels()).filter((channel) => channel.live);
  }

  before(async function () {
    this.timeout(600_000);
    readme = await readFile(path.join(repoRoot, "README.md"), "utf8");
    port = await freePort();
    project = await installConsumerProject();
    const backend = path.join(project.dir, ".pulumi-backend");
    await mkdir(backend);
    env = userEnv({
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: "readme-blocks-test",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    });
    // What `pulumi new typescript` leaves: a project, a stack; then the README's program as index.ts.
    await writeFile(
      path.join(project.dir, "Pulumi.yaml"),
      `name: ${PROJECT}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
    );
    await writeFile(
      path.join(project.dir, "index.ts"),
      firstCodeBlock(readme, "## A complete program", "ts"),
    );
    await mustRun("pulumi", ["stack", "init", "dev"], project.dir, env);
  });

  after(async function () {
    for (const group of backgroundGroups) {
      try {
        process.kill(-group, "SIGTERM");
      } catch {
        // already gone
      }
    }
    if (project) await rm(project.dir, { recursive: true, force: true });
  });

  it("the install command names this package and the @pulumi/pulumi it depends on", async function () {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      name: string;
      dependencies: Record<string, string>;
    };
    const [install] = codeBlocks(readme, "## Install", "sh");
    assert.equal(install, `npm install ${manifest.name} @pulumi/pulumi\n`);
    assert.ok(manifest.dependencies["@pulumi/pulumi"]);
  });

  it("the program's settings, then the emulator: started, the stack pointed at it, `pulumi up` subscribes", async function () {
    const [settings] = codeBlocks(readme, "## A complete program", "sh");
    assert.ok(settings, "a sh block follows the program");
    for (const command of commands(settings, port)) await runCommand(command);
    const [emulator] = codeBlocks(readme, "## Try it on the emulator: no Zoho org needed", "sh");
    assert.ok(emulator, "the emulator section starts with a sh block");
    const steps = commands(emulator, port);
    assert.ok(steps[0]?.background, "its first command starts the emulator in the background");
    for (const command of steps) await runCommand(command);
    const live = await liveChannels();
    assert.equal(live.length, 1, "one channel is live");
    assert.deepEqual([...live[0]!.events].sort(), ["Deals.create", "Deals.delete", "Deals.edit"]);
    assert.equal(live[0]!.notifyUrl, "https://hooks.example.com/zoho");
    assert.match(live[0]!.token ?? "", /^[0-9a-f]{32}$/, "the token the README's openssl made");
  });

  it("`zoho-watch status` in the project: healthy right after `pulumi up`", async function () {
    const [status] = codeBlocks(readme, "## Know before it lapses: `zoho-watch status`", "sh");
    assert.ok(status);
    for (const command of commands(status, port)) {
      const result = await runCommand(command);
      assert.match(result.stdout, /healthy/);
    }
  });

  it("the emulator's clock moves: status warns, preview plans the renewal, `up` renews the same channel", async function () {
    const [before] = await liveChannels();
    assert.ok(before);
    const [, clock] = codeBlocks(readme, "## Try it on the emulator: no Zoho org needed", "sh");
    assert.ok(clock, "a second sh block moves the clock");
    for (const command of commands(clock, port)) {
      const result = await runCommand(command);
      if (/clock advance/.test(command.text)) assert.match(result.stdout, /\d{4}-\d\d-\d\dT\d\d:\d\d/);
      if (/^pulumi preview/.test(command.text)) assert.match(result.output, /replace/);
    }
    const [after] = await liveChannels();
    assert.equal(after?.channelId, before.channelId, "renewed under the same id");
    assert.ok(Date.parse(after.expiresAt) > Date.parse(before.expiresAt), "with a later expiry");
  });

  it("the production stack's settings are the provider's own config keys, secrets set with --secret", function () {
    const [production] = codeBlocks(readme, "## On your Zoho org", "sh");
    assert.ok(production);
    const known = new Set(Object.values(SETTING_NAMES).map((setting) => setting.config));
    for (const { text } of commands(production, port)) {
      const key = /^pulumi config set (?:--secret )?(\S+)/.exec(text)?.[1];
      if (!key) continue;
      assert.ok(known.has(key), `${key} is a setting of the provider`);
      if (/clientSecret|refreshToken/.test(key)) assert.match(text, /--secret/);
    }
  });
});
