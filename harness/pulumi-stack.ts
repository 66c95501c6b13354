/**
 * Throwaway Pulumi stacks driven by the real `pulumi` CLI.
 *
 * Each {@link PulumiStack} copies a program directory into `<repo>/.state/work/<id>` (inside the
 * repository, so the copy resolves `@pulumi/pulumi` and `pulumi-zoho-watch` from the repository's
 * node_modules exactly as a user's program does), gives it its own `file://` backend, and removes
 * both on {@link PulumiStack.dispose}. Nothing touches the user's Pulumi login.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, rm, symlink } from "node:fs/promises";
import path from "node:path";

/** The repository root (dist/harness → two levels up). */
export const repoRoot = path.resolve(__dirname, "..", "..");

/** A finished CLI invocation. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on what a person would see. */
  output: string;
}

/** Thrown when a CLI command that was expected to succeed exits non-zero. */
export class PulumiCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: RunResult,
  ) {
    super(`pulumi ${args.join(" ")} exited with ${result.code}:\n${result.output}`);
  }
}

/** Options for {@link PulumiStack.create}. */
export interface StackOptions {
  /** Directory holding Pulumi.yaml and the program, relative to the repository root or absolute. */
  program: string;
  /** Plain config values (`key` or `namespace:key`). */
  config?: Record<string, string>;
  /** Secret config values, stored encrypted. */
  secrets?: Record<string, string>;
  /** Extra environment for every command (e.g. ZOHO_* variables). */
  env?: NodeJS.ProcessEnv;
  /**
   * Run in the program directory itself instead of a copy (for the repository root project);
   * dispose then removes only the stack's Pulumi.<stack>.yaml.
   */
  inPlace?: boolean;
  /**
   * Links `<copy>/node_modules` to the repository's node_modules, for programs that name a path in
   * it (a YAML program's `plugins.providers[].path: ./node_modules/pulumi-zoho-watch/dist/plugin`):
   * Node resolves packages from the parent folders, the CLI resolves such a path from the program's.
   */
  linkNodeModules?: boolean;
}

/** A stack in a private backend, with helpers for the commands tests need. */
export class PulumiStack {
  private constructor(
    readonly name: string,
    readonly workDir: string,
    readonly backendDir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly inPlace: boolean,
  ) {}

  /** Copies the program, initialises a new stack and sets its config. */
  static async create(options: StackOptions): Promise<PulumiStack> {
    const id = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
    const source = path.resolve(repoRoot, options.program);
    const workDir = path.join(repoRoot, ".state", "work", id);
    const backendDir = path.join(repoRoot, ".state", "backends", id);
    await mkdir(backendDir, { recursive: true });
    if (!options.inPlace) {
      await cp(source, workDir, {
        recursive: true,
        filter: (src) => !/[\\/](node_modules|Pulumi\.[^\\/]+\.yaml)$/.test(src),
      });
      if (options.linkNodeModules) {
        await symlink(path.join(repoRoot, "node_modules"), path.join(workDir, "node_modules"), "dir");
      }
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "zoho-watch-test",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      ...options.env,
    };
    const stack = new PulumiStack(
      `t${id.replace(/-/g, "")}`,
      options.inPlace ? source : workDir,
      backendDir,
      env,
      options.inPlace ?? false,
    );
    await stack.cli(["stack", "init", stack.name]);
    for (const [key, value] of Object.entries(options.config ?? {})) {
      await stack.setConfig(key, value);
    }
    for (const [key, value] of Object.entries(options.secrets ?? {})) {
      await stack.setConfig(key, value, { secret: true });
    }
    return stack;
  }

  /** Runs `pulumi ARGS` in the stack's program directory; throws on a non-zero exit unless allowed. */
  async cli(
    args: string[],
    options: { allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {},
  ): Promise<RunResult> {
    const fullArgs = ["--non-interactive", "--color=never", ...args];
    const result = await run("pulumi", fullArgs, this.workDir, { ...this.env, ...options.env });
    if (result.code !== 0 && !options.allowFailure) {
      throw new PulumiCommandError(fullArgs, result);
    }
    return result;
  }

  /** Adds or replaces environment variables for every later command of this stack. */
  setEnv(vars: NodeJS.ProcessEnv): void {
    Object.assign(this.env, vars);
  }

  /** Sets a config value (namespaced or not), optionally as a secret. */
  async setConfig(key: string, value: string, options: { secret?: boolean } = {}): Promise<void> {
    await this.cli([
      "config",
      "set",
      "--stack",
      this.name,
      key,
      options.secret ? "--secret" : "--plaintext",
      "--",
      value,
    ]);
  }

  /** `pulumi up --yes` (with its preview phase, as users run it). */
  up(extra: string[] = [], options?: { allowFailure?: boolean }): Promise<RunResult> {
    return this.cli(["up", "--yes", "--stack", this.name, ...extra], options);
  }

  /** `pulumi preview`; pass `--expect-no-changes` to assert nothing would change. */
  preview(extra: string[] = [], options?: { allowFailure?: boolean }): Promise<RunResult> {
    return this.cli(["preview", "--stack", this.name, ...extra], options);
  }

  /** `pulumi preview --json`, parsed: the steps the engine plans. */
  async previewSteps(extra: string[] = []): Promise<PreviewStep[]> {
    const result = await this.cli(["preview", "--json", "--stack", this.name, ...extra]);
    const parsed = JSON.parse(result.stdout) as { steps?: PreviewStep[] };
    return parsed.steps ?? [];
  }

  /** `pulumi refresh --yes`. */
  refresh(extra: string[] = [], options?: { allowFailure?: boolean }): Promise<RunResult> {
    return this.cli(["refresh", "--yes", "--stack", this.name, ...extra], options);
  }

  /** `pulumi destroy --yes`. */
  destroy(extra: string[] = [], options?: { allowFailure?: boolean }): Promise<RunResult> {
    return this.cli(["destroy", "--yes", "--stack", this.name, ...extra], options);
  }

  /** `pulumi stack export`, parsed. */
  async exportState(): Promise<StackExport> {
    const result = await this.cli(["stack", "export", "--stack", this.name]);
    return JSON.parse(result.stdout) as StackExport;
  }

  /** `pulumi stack export` as raw text, for scanning it for secrets. */
  async exportText(): Promise<string> {
    return (await this.cli(["stack", "export", "--stack", this.name])).stdout;
  }

  /** The resources of one type in the exported state. */
  async resourcesOfType(type: string): Promise<StateResource[]> {
    const state = await this.exportState();
    return (state.deployment.resources ?? []).filter((r) => r.type === type);
  }

  /** Removes the program copy and the backend (the stack's state with it). */
  async dispose(): Promise<void> {
    if (this.inPlace) {
      await rm(path.join(this.workDir, `Pulumi.${this.name}.yaml`), { force: true });
    } else {
      await rm(this.workDir, { recursive: true, force: true });
    }
    await rm(this.backendDir, { recursive: true, force: true });
  }
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, unknown> | null;
}

/** A resource in `pulumi stack export`. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** The parts of `pulumi stack export` the tests read. */
export interface StackExport {
  deployment: { resources?: StateResource[] };
}

/** Runs a command and collects its output; never rejects on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`could not run ${command}: ${error.message}`));
        return;
      }
      const code = error ? Number(error.code) : 0;
      resolve({ code, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}
