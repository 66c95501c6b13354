import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { request } from "undici";

const CLI = join(__dirname, "..", "..", "emulator", "cli.js");

function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Runs the bin to its end: a control verb or --help. */
function runBin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const { ZOHO_EMULATOR_URL: _url, ...env } = process.env; // only what the test passes counts
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the bin as a server; resolves with its URL and a way to stop it. */
async function serveBin(args: string[]): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = exitOf(child);
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", () => reject(new Error("the CLI exited before printing its URL")));
  });
  return {
    url,
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** One token request with the demo credentials; the answer's `error`, or undefined on success. */
async function tokenError(url: string): Promise<string | undefined> {
  const answer = await request(
    `${url}/oauth/v2/token?grant_type=refresh_token&client_id=1000.EMULATOR0CLIENT0ID&client_secret=emulator-client-secret&refresh_token=1000.emulator-refresh-token`,
    { method: "POST" },
  );
  const body = (await answer.body.json()) as { error?: string; access_token?: string };
  return body.access_token === undefined ? (body.error ?? `HTTP ${answer.statusCode}`) : undefined;
}

describe("emulator: zoho-crm-emulator CLI", () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "zoho-emulator-cli-"));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it("starts with a shebang", () => {
    assert.match(readFileSync(CLI, "utf8"), /^#!\/usr\/bin\/env node\n/);
  });

  it("prints its base URL on one line, serves, and saves state on SIGTERM", async () => {
    const stateFile = join(directory, "state.json");
    const child = spawn(
      process.execPath,
      [
        CLI,
        "--port",
        "0",
        "--state",
        stateFile,
        "--client-id",
        "1000.CI",
        "--client-secret",
        "s",
        "--refresh-token",
        "r",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = exitOf(child);
    try {
      const lines = createInterface({ input: child.stdout });
      const url = await new Promise<string>((resolve, reject) => {
        lines.once("line", resolve);
        child.once("exit", () => reject(new Error("the CLI exited before printing its URL")));
      });
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const token = await request(
        `${url}/oauth/v2/token?grant_type=refresh_token&client_id=1000.CI&client_secret=s&refresh_token=r`,
        {
          method: "POST",
        },
      );
      const body = (await token.body.json()) as { api_domain?: string; access_token?: string };
      assert.equal(body.api_domain, url);
      assert.equal(typeof body.access_token, "string");
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited, 0);
    assert.ok(existsSync(stateFile), "state saved on the way out");
  });

  it("warns on stderr before listening on a non-loopback host", async () => {
    // TEST-NET-1 (RFC 5737): not loopback and assigned to no machine, so the CLI warns, then cannot listen.
    const child = spawn(process.execPath, [CLI, "--host", "192.0.2.1"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = exitOf(child);
    const listening = new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const outcome = await Promise.race([exited.then(() => "exited"), listening.then(() => "listening")]);
    if (outcome === "listening") child.kill("SIGTERM"); // this machine owns 192.0.2.1 after all
    await exited;
    assert.match(
      stderr,
      /^zoho-crm-emulator: warning: the emulator listens on 192\.0\.2\.1, beyond loopback/m,
    );
    assert.doesNotMatch(stdout, /warning/, "stdout keeps only the URL");
  });

  it("exits 2 with usage on bad arguments", async () => {
    const child = spawn(process.execPath, [CLI, "--client-id", "only-one"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    assert.equal(await exitOf(child), 2);
    assert.match(stderr, /go together/);
    assert.match(stderr, /usage: zoho-crm-emulator/);
  });

  it("--help lists the control verbs, the default credentials and --no-token-throttle", async () => {
    const help = await runBin(["--help"]);
    assert.equal(help.code, 0, help.stderr);
    for (const text of [
      "clock advance",
      "clock set",
      "--url",
      "--clock-file",
      "--no-token-throttle",
      "1000.EMULATOR0CLIENT0ID",
      "emulator-client-secret",
      "1000.emulator-refresh-token",
    ]) {
      assert.ok(help.stdout.includes(text), `--help names ${text}`);
    }
  });

  it("`clock advance` and `clock set` move a running emulator's time, and its --clock-file follows", async () => {
    const clockFile = join(directory, "clock", "clock.json");
    const server = await serveBin(["--clock-file", clockFile]);
    try {
      const atStart = JSON.parse(readFileSync(clockFile, "utf8")) as { format: string; offsetMs: number };
      assert.deepEqual([atStart.format, atStart.offsetMs], ["zoho-crm-emulator/clock-v1", 0]);

      const advanced = await runBin(["clock", "advance", "P2D", "--url", server.url]);
      assert.equal(advanced.code, 0, advanced.stderr);
      assert.ok(Date.parse(advanced.stdout.trim()) - Date.now() > 47 * 3_600_000, advanced.stdout);
      assert.equal(
        (JSON.parse(readFileSync(clockFile, "utf8")) as { offsetMs: number }).offsetMs,
        172_800_000,
      );

      const now = await runBin(["clock", "--url", server.url]);
      assert.equal(now.code, 0, now.stderr);
      assert.ok(Date.parse(now.stdout.trim()) >= Date.parse(advanced.stdout.trim()));

      const set = await runBin(["clock", "set", "2020-01-01T00:00:00Z", "--url", server.url]);
      assert.equal(set.code, 0, set.stderr);
      assert.ok((JSON.parse(readFileSync(clockFile, "utf8")) as { offsetMs: number }).offsetMs < 0);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it("control verbs refuse a URL beyond loopback, and a missing one, with exit 2", async () => {
    const remote = await runBin(["clock", "advance", "P1D", "--url", "http://192.0.2.1:8765"]);
    assert.equal(remote.code, 2);
    assert.match(remote.stderr, /not a loopback address/);
    const none = await runBin(["clock", "advance", "P1D"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--url http:\/\/127\.0\.0\.1:PORT/);
  });

  it("keeps Zoho's token throttle by default; --no-token-throttle lifts it", async () => {
    const strict = await serveBin([]);
    try {
      const errors = [];
      for (let i = 0; i < 11; i += 1) errors.push(await tokenError(strict.url));
      assert.deepEqual(errors.slice(0, 10), Array(10).fill(undefined));
      assert.equal(errors[10], "Access Denied", "the 11th token request in 10 minutes is throttled");
    } finally {
      await strict.stop();
    }
    const relaxed = await serveBin(["--no-token-throttle"]);
    try {
      for (let i = 0; i < 15; i += 1)
        assert.equal(await tokenError(relaxed.url), undefined, `request ${i + 1}`);
    } finally {
      await relaxed.stop();
    }
  });
});
