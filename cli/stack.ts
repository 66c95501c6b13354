/**
 * The stack's own configuration and state, read by running the `pulumi` CLI in the working
 * directory, so `zoho-watch status` run in a Pulumi project needs no flag or variable: it uses the
 * settings `pulumi up` uses (`pulumi config --json --show-secrets`) and, without `--state`, the
 * stack's state (`pulumi stack export --show-secrets`).
 *
 * The decrypted values stay in memory: nothing here prints them, and a failure is described by
 * pulumi's exit, never by its output (which could echo a value).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { CONFIG_NAMESPACE, type ConfigSource } from "./provider-settings";

/** What was learnt about the stack of the working directory. */
export type StackContext =
  | { kind: "none" } // not in a Pulumi project and no --stack: nothing to read
  | { kind: "read"; stack: string; config: ConfigSource; keys: string[]; directory: string }
  | { kind: "unreadable"; stack: string | undefined; reason: string };

/** A stack named by `--stack` that cannot be read: the check cannot be made (exit 2). */
export class StackError extends Error {
  override readonly name = "StackError";
}

/** The Pulumi project directory holding `cwd` (Pulumi.yaml or Pulumi.yml, as pulumi searches), or undefined. */
export function projectDirectory(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "Pulumi.yaml")) || existsSync(path.join(dir, "Pulumi.yml"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Runs `pulumi ARGS` in `cwd`; resolves with its exit code and stdout (stderr is kept for the reason only). */
function pulumi(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; reason: string }> {
  return new Promise((resolve) => {
    execFile(
      "pulumi",
      ["--non-interactive", ...args],
      {
        cwd,
        // No update check: a status run talks to the stack's backend and to Zoho, nothing else.
        env: { PULUMI_SKIP_UPDATE_CHECK: "true", ...env },
        maxBuffer: 256 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, reason: "" });
        const code = (error as { code?: unknown }).code;
        if (code === "ENOENT") {
          return resolve({ code: -1, stdout: "", reason: "the pulumi CLI is not on PATH" });
        }
        // pulumi's own error lines name the problem (no stack selected, wrong passphrase, ...);
        // they never hold config values, but keep only `error:` lines to be sure nothing else leaks.
        const lines = stderr
          .split("\n")
          .filter((line) => /^error: /.test(line))
          .map((line) => line.replace(/^error: /, ""));
        resolve({
          code: typeof code === "number" ? code : 1,
          stdout: "",
          reason: `\`pulumi ${args[0]} ${args[1] ?? ""}\`… failed${lines.length ? `: ${lines.join("; ")}` : ""}`,
        });
      },
    );
  });
}

function stackArgs(stack: string | undefined): string[] {
  return stack === undefined ? [] : ["--stack", stack];
}

/**
 * Reads the stack's `zoho-watch:*` config (secrets decrypted) when run in a Pulumi project, or for
 * `--stack`. A stack named by `--stack` that cannot be read is a {@link StackError}; the current
 * stack that cannot be read (none selected, no backend) is reported as `unreadable`, so flags and
 * variables alone can still do.
 */
export async function readStackConfig(
  cwd: string,
  env: NodeJS.ProcessEnv,
  stack: string | undefined,
): Promise<StackContext> {
  const directory = projectDirectory(cwd);
  if (stack === undefined && directory === undefined) return { kind: "none" };
  const name = await pulumi(["stack", "--show-name", ...stackArgs(stack)], cwd, env);
  const config =
    name.code === 0
      ? await pulumi(["config", "--json", "--show-secrets", ...stackArgs(stack)], cwd, env)
      : name;
  if (config.code !== 0) {
    if (stack !== undefined)
      throw new StackError(`cannot read the config of stack ${stack}: ${config.reason}`);
    return { kind: "unreadable", stack, reason: config.reason };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(config.stdout);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== "object") {
    const reason = "`pulumi config --json` did not print a JSON object";
    if (stack !== undefined) throw new StackError(`cannot read the config of stack ${stack}: ${reason}`);
    return { kind: "unreadable", stack, reason };
  }
  const values = new Map<string, string>();
  for (const [key, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (!key.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
    const value = (entry as { value?: unknown } | null)?.value;
    if (typeof value === "string") values.set(key, value);
  }
  return {
    kind: "read",
    stack: name.stdout.trim() || (stack ?? "(current)"),
    config: { get: (key) => values.get(key) },
    keys: [...values.keys()],
    directory: directory ?? path.resolve(cwd),
  };
}

/** The text of `pulumi stack export --show-secrets` for the stack whose config was read. */
export async function exportStack(cwd: string, env: NodeJS.ProcessEnv, stack: string): Promise<string> {
  const result = await pulumi(["stack", "export", "--show-secrets", "--stack", stack], cwd, env);
  if (result.code !== 0) throw new StackError(`cannot export stack ${stack}: ${result.reason}`);
  return result.stdout;
}
