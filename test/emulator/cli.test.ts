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
});
