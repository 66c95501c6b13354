/**
 * A throwaway stack (harness/pulumi-stack.ts: a copy of the program and a private file://
 * backend) whose `pulumi` commands can also be run measured: wall time and process-tree memory.
 * Its program runs as in a user's project (harness/installed-project.ts): the package installed
 * under node_modules, so the state holds what users' states hold.
 */
import { InstalledProject } from "../../harness/installed-project";
import { PulumiStack, type StackOptions } from "../../harness/pulumi-stack";
import { runMeasured, type Measured } from "./measure";

/** Thrown when a measured command that should succeed exits non-zero. */
export class PerfCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: Measured,
  ) {
    super(
      `pulumi ${args.join(" ")} exited with ${result.code}:\n${result.stdout}${result.stderr}`.slice(
        0,
        20_000,
      ),
    );
  }
}

export class PerfStack {
  private readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly stack: PulumiStack,
    env: NodeJS.ProcessEnv,
    private readonly project: InstalledProject,
  ) {
    this.env = env;
  }

  /** A stack of `options.program` with this build installed, or `release` (a packed release). */
  static async create(options: StackOptions, release?: string): Promise<PerfStack> {
    const project = await InstalledProject.create(options.program, release === undefined ? {} : { release });
    const stack = await PulumiStack.create({ ...options, program: project.dir, inPlace: true });
    // The same environment the harness gives its commands (see PulumiStack.create).
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${stack.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "zoho-watch-test",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      ...options.env,
    };
    return new PerfStack(stack, env, project);
  }

  get name(): string {
    return this.stack.name;
  }

  /** Adds environment variables (e.g. the clock offset) to every later command. */
  setEnv(vars: NodeJS.ProcessEnv): void {
    Object.assign(this.env, vars);
    this.stack.setEnv(vars);
  }

  /** `pulumi ARGS --stack NAME`, measured; throws on a non-zero exit unless allowed. */
  async measured(args: string[], options: { allowFailure?: boolean } = {}): Promise<Measured> {
    const fullArgs = ["--non-interactive", "--color=never", ...args, "--stack", this.stack.name];
    const result = await runMeasured("pulumi", fullArgs, { cwd: this.stack.workDir, env: this.env });
    if (result.code !== 0 && !options.allowFailure) throw new PerfCommandError(fullArgs, result);
    return result;
  }

  async dispose(): Promise<void> {
    await this.stack.dispose();
    await this.project.dispose();
  }
}
