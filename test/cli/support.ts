/**
 * Running `zoho-watch` as users do: the built bin (dist/cli/main.js) in a child process, with the
 * ZOHO_* variables pointing at an emulator, and plain-HTTP helpers to set up live channels the way
 * other tools (or people) leave them.
 */
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { request } from "undici";
import { DEMO_CREDENTIALS, type RunningEmulator } from "../../emulator";
import { repoRoot, type RunResult } from "../../harness/pulumi-stack";

/** The bin as package.json names it. */
export const CLI = path.join(repoRoot, "dist", "cli", "main.js");

/** ZOHO_* variables for the emulator, and nothing inherited that could point elsewhere. */
export function emulatorEnv(
  emulator: Pick<RunningEmulator, "url">,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("ZOHO_")) env[name] = value;
  }
  return {
    ...env,
    ZOHO_ACCOUNTS_URL: emulator.url,
    ZOHO_API_DOMAIN: emulator.url,
    ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId,
    ZOHO_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret,
    ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken,
    ...extra,
  };
}

/**
 * A working directory in no Pulumi project (the repository root is one): run there, the CLI reads
 * no stack config and only its flags and variables count.
 */
const outsideAnyProject = tmpdir();

/**
 * Runs `node dist/cli/main.js ARGS`, optionally feeding stdin; never rejects on a non-zero exit.
 * `cwd` defaults to a directory outside any Pulumi project; give a stack's directory to run in it.
 */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  stdin?: string,
  options: { cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: options.cwd ?? outsideAnyProject });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, output: stdout + stderr }));
    child.stdin.end(stdin ?? "");
  });
}

/**
 * A raw watch-API call with the demo credentials, for what the client deliberately refuses to send
 * (a PATCH without `token`: the trap the status command must catch).
 */
export async function watchApi(
  emulator: Pick<RunningEmulator, "url">,
  method: "POST" | "PATCH" | "PUT" | "DELETE",
  body: unknown,
  query = "",
): Promise<{ status: number; json: unknown }> {
  const tokenAnswer = await request(`${emulator.url}/oauth/v2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      client_id: DEMO_CREDENTIALS.clientId,
      client_secret: DEMO_CREDENTIALS.clientSecret,
      refresh_token: DEMO_CREDENTIALS.refreshToken,
    }).toString(),
  });
  const { access_token: accessToken } = (await tokenAnswer.body.json()) as { access_token: string };
  const answer = await request(`${emulator.url}/crm/v8/actions/watch${query}`, {
    method,
    headers: { authorization: `Zoho-oauthtoken ${accessToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.body.text();
  return { status: answer.statusCode, json: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

/** Asserts-friendly: the text with every given secret found in it (empty when none leaked). */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => text.includes(secret));
}
