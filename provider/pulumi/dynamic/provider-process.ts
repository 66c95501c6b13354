/**
 * The provider process's side of every WatchChannel: the methods that provider-runtime.ts (the
 * entry the serialized provider loads) forwards to, bound to the process's one
 * {@link ProviderRuntime}.
 *
 * The runtime is this module's, and that is one per process: the engine deserializes one provider
 * object per distinct `__provider` text (resources written by an older release carry an older
 * text), but every text, of either form (provider.ts), loads the implementation by the one package
 * name, `pulumi-zoho-watch/provider-runtime`, and Node's module cache gives each `require` of it
 * the same module. So a renewal's replacement (new text) and the old resource's delete (old text)
 * share the run's memory, and the delete never disables the renewed channel: the upgrade test
 * (test/consumer/upgrade.test.ts) renews a stack written by the previous release.
 */
import "../../node-version"; // first: a clear error on a too old Node.js
import type * as pulumi from "@pulumi/pulumi";
import * as lifecycle from "../../engine/lifecycle";
import type { WatchChannelOutputs } from "../../channel/diff";
import type { WatchChannelInputs } from "../../channel/inputs";
import { ProviderRuntime } from "../../engine/runtime";
import { failuresForEngine } from "../check-failures";
import {
  readConnections,
  readSettings,
  SettingsError,
  unknownSettingKeys,
  type ConfigSource,
} from "../../engine/settings";

/** The process's runtime, or the configuration error every method must report. */
let current: ProviderRuntime | Error | undefined;

/** The process's runtime; without `configure` (old engines) it is built from the environment. */
export function processRuntime(): ProviderRuntime {
  current ??= ProviderRuntime.fromConfig(undefined);
  if (current instanceof Error) throw current;
  return current;
}

/**
 * Reads the settings and builds the runtime. Called once per provider object; a later call with the
 * same settings keeps the runtime (and the run's memory). A bad setting is remembered and reported
 * by every method: the engine caches the provider before `configure` finishes, so a method could
 * otherwise run on settings taken from the environment alone.
 */
export function configure(req: { config: ConfigSource }): Promise<void> {
  try {
    const problems = unknownSettingKeys(configKeys(req.config));
    if (problems.length > 0) throw new SettingsError(problems.join("; "));
    const settings = readSettings(req.config);
    const connections = readConnections(req.config);
    if (current instanceof ProviderRuntime && current.sameSettings(settings, connections))
      return Promise.resolve();
    if (current instanceof ProviderRuntime) void current.close();
    current = new ProviderRuntime({ settings, connections });
  } catch (error) {
    current = error instanceof Error ? error : new Error(String(error));
  }
  return Promise.resolve();
}

/**
 * The keys of the stack config, where the SDK's config object exposes them (its `rawConfig`);
 * none otherwise, and then misspelt keys go unreported rather than guessed at.
 */
function configKeys(config: ConfigSource): string[] {
  const raw = (config as { rawConfig?: unknown }).rawConfig;
  return raw !== null && typeof raw === "object" ? Object.keys(raw) : [];
}

/**
 * `check`, as the engine shows it (see check-failures.ts). A bad setting (remembered by
 * `configure`) is reported the same way, once per resource and without the stack trace a thrown
 * error gets.
 */
export async function check(
  olds: WatchChannelInputs,
  news: WatchChannelInputs,
): Promise<pulumi.dynamic.CheckResult<WatchChannelInputs>> {
  if (current instanceof SettingsError)
    return { inputs: news, failures: [{ property: "", reason: current.message }] };
  const result = await lifecycle.check(processRuntime(), olds, news);
  return { ...result, failures: result.failures && failuresForEngine(result.failures) };
}

/**
 * `diff`. A renewal is a replacement in this door, and the engine runs a replacement's delete in the
 * provider that wrote the old state. State without the `__provider` key, which this door writes into
 * every resource's outputs, was written by the plugin (a channel moved back with an alias,
 * docs/migration.md): its delete would run in a plugin process, which never sees this program's
 * declarations and would disable the channel just renewed. So a renewal of such state is an update,
 * the same PUT; from then on the state is this door's, and the next renewal a replacement again.
 */
export async function diff(
  _id: string,
  olds: WatchChannelOutputs,
  news: WatchChannelInputs,
): Promise<pulumi.dynamic.DiffResult> {
  const result = await lifecycle.diff(processRuntime(), olds, news);
  if (writtenByThisDoor(olds)) return result;
  return { ...result, replaces: (result.replaces ?? []).filter((key) => key !== "channelExpiry") };
}

/** Whether the dynamic door wrote this state: its outputs carry the serialized provider. */
function writtenByThisDoor(olds: WatchChannelOutputs): boolean {
  return (olds as unknown as Record<string, unknown>)[PROVIDER_KEY] !== undefined;
}

/** Where @pulumi/pulumi's dynamic provider keeps the serialized provider, in inputs and outputs. */
const PROVIDER_KEY = "__provider";

export const create = (
  inputs: WatchChannelInputs,
): Promise<pulumi.dynamic.CreateResult<WatchChannelOutputs>> => lifecycle.create(processRuntime(), inputs);

export const read = (
  id: string,
  props: WatchChannelOutputs | undefined,
): Promise<pulumi.dynamic.ReadResult> => lifecycle.read(processRuntime(), id, props);

export const update = (
  _id: string,
  olds: WatchChannelOutputs,
  news: WatchChannelInputs,
): Promise<pulumi.dynamic.UpdateResult<WatchChannelOutputs>> =>
  lifecycle.update(processRuntime(), olds, news);

export const remove = (id: string, props: WatchChannelOutputs): Promise<void> =>
  lifecycle.remove(processRuntime(), id, props.connection);
