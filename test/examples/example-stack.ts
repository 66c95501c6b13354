/**
 * An example program (examples/<name>) as a throwaway stack against an emulator: the provider config
 * from harness/emulator.ts plus the example's own, set in one `pulumi config set-all` (each CLI run costs
 * seconds), and the few readers the example tests share.
 */
import type { ChannelSnapshot, RunningEmulator } from "../../emulator";
import { PulumiStack } from "../../harness/pulumi-stack";
import { providerConfig } from "../../harness/emulator";

/** Config of an example stack: plain values and secrets, keys namespaced (`project:key`). */
export interface ExampleConfig {
  config?: Record<string, string>;
  secrets?: Record<string, string>;
}

/**
 * Creates a stack of `examples/<name>` whose provider talks to `emulator`. The example's config
 * comes on top of (and may replace) the provider's: `secrets` are set with `--secret`.
 */
export async function createExampleStack(
  name: string,
  emulator: RunningEmulator,
  example: ExampleConfig = {},
): Promise<PulumiStack> {
  const provider = providerConfig(emulator.url);
  const plain = { ...provider.config, ...example.config };
  const secrets = { ...provider.secrets, ...example.secrets };
  for (const key of Object.keys(secrets)) delete plain[key];
  const stack = await PulumiStack.create({ program: `examples/${name}` });
  const args = [
    ...Object.entries(plain).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]),
    ...Object.entries(secrets).flatMap(([key, value]) => ["--secret", `${key}=${value}`]),
  ];
  await stack.cli(["config", "set-all", "--stack", stack.name, ...args]);
  return stack;
}

/** `pulumi stack output --json`, secrets shown or as "[secret]". */
export async function stackOutputs(
  stack: PulumiStack,
  options: { showSecrets?: boolean } = {},
): Promise<Record<string, unknown>> {
  const flags = options.showSecrets ? ["--show-secrets"] : [];
  const result = await stack.cli(["stack", "output", "--json", "--stack", stack.name, ...flags]);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** The channels the emulator has live right now, by id. */
export async function liveChannels(emulator: RunningEmulator): Promise<Map<string, ChannelSnapshot>> {
  return new Map((await emulator.channels()).filter((c) => c.live).map((c) => [c.channelId, c]));
}

/** Events as a sorted list with `X.all` spelt out, to compare with what the emulator stores. */
export function expandedEvents(events: readonly string[]): string[] {
  const out = new Set<string>();
  for (const event of events) {
    const [module, operation] = event.split(".");
    for (const op of operation === "all" ? ["create", "edit", "delete"] : [operation])
      out.add(`${module}.${op}`);
  }
  return [...out].sort();
}
