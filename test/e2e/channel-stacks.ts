/**
 * The fixture most real-CLI suites share: one emulator for the suite (emptied before each test when
 * asked), and stacks of the channels program (test/programs/channels) pointed at it, each disposed
 * of when the suite ends.
 */
import type { EmulatorOptions, OAuthCredentials, RunningEmulator } from "../../emulator";
import { providerConfig, startTestEmulator } from "../../harness/emulator";
import { PulumiStack } from "../../harness/pulumi-stack";

/** How one stack differs from the default: provider settings left out, extra config, environment. */
export interface StackChoices {
  /** `zoho-watch:*` keys to leave out of the stack's config (e.g. a credential). */
  drop?: readonly string[];
  /** More config, plain text. */
  config?: Record<string, string>;
  /** Environment of every command of the stack. */
  env?: NodeJS.ProcessEnv;
}

/** The suite's emulator and a way to make stacks against it. */
export interface ChannelStacks {
  /** The emulator, once the suite's `before` hook has started it. */
  readonly emulator: RunningEmulator;
  /** A stack declaring `channels` (the program's `channels` config object). */
  newStack(channels: Record<string, unknown>, choices?: StackChoices): Promise<PulumiStack>;
}

/** Registers the suite's hooks; call it inside `describe`. */
export function useChannelStacks(
  options: EmulatorOptions = {},
  { resetEach = false }: { resetEach?: boolean } = {},
): ChannelStacks {
  let emulator: RunningEmulator | undefined;
  const stacks: PulumiStack[] = [];
  before(async () => {
    emulator = await startTestEmulator(options);
  });
  after(async () => {
    await Promise.all(stacks.map((stack) => stack.dispose()));
    await emulator?.close();
  });
  if (resetEach) {
    beforeEach(async () => {
      await emulator?.reset();
    });
  }
  return {
    get emulator(): RunningEmulator {
      if (!emulator) throw new Error("the emulator starts in the suite's before hook");
      return emulator;
    },
    async newStack(channels, { drop = [], config: extra = {}, env } = {}) {
      const { config, secrets } = providerConfig(this.emulator.url);
      const without = (all: Record<string, string>) =>
        Object.fromEntries(Object.entries(all).filter(([key]) => !drop.includes(key)));
      const stack = await PulumiStack.create({
        program: "test/programs/channels",
        config: { ...without(config), channels: JSON.stringify(channels), ...extra },
        secrets: without(secrets),
        ...(env ? { env } : {}),
      });
      stacks.push(stack);
      return stack;
    },
  };
}

/** A named connection's settings (`zoho-watch:connections.<name>.*`), as `setConnection` sets them. */
export interface ConnectionChoices {
  url: string;
  credentials: OAuthCredentials;
  apiVersion?: string;
}

/** Sets one named connection through structured config; the secret and the refresh token as secrets. */
export async function setConnection(
  stack: PulumiStack,
  name: string,
  { url, credentials, apiVersion }: ConnectionChoices,
): Promise<void> {
  const settings: [string, string, boolean][] = [
    ["accountsUrl", url, false],
    ["apiDomain", url, false],
    ...(apiVersion === undefined ? [] : [["apiVersion", apiVersion, false] as [string, string, boolean]]),
    ["clientId", credentials.clientId, false],
    ["clientSecret", credentials.clientSecret, true],
    ["refreshToken", credentials.refreshToken, true],
  ];
  for (const [key, value, secret] of settings) {
    await stack.cli([
      "config",
      "set",
      "--stack",
      stack.name,
      "--path",
      `zoho-watch:connections.${name}.${key}`,
      secret ? "--secret" : "--plaintext",
      "--",
      value,
    ]);
  }
}
