/**
 * The entry the serialized provider loads: `require("pulumi-zoho-watch/provider-runtime")`.
 *
 * Each function here is one dynamic-provider method. Wherever the package is installed this
 * module's exports object is itself the provider (provider.ts), so the program process loads it
 * too, to hand it to Pulumi; there it only has to exist. Its methods therefore load the
 * implementation (provider-process.ts: the lifecycle, the client, zod) on the first call, which
 * only the provider process makes, and a program starts without it (measured: BENCHMARKS.md).
 *
 * The names and signatures below are a contract with every state ever written: keep them.
 */
import "../../node-version"; // first: a clear error on a too old Node.js
import type * as pulumi from "@pulumi/pulumi";
import type { WatchChannelOutputs } from "../../channel/diff";
import type { WatchChannelInputs } from "../../channel/inputs";
import type * as ProviderProcess from "./provider-process";
import type { ConfigSource } from "../../engine/settings";

/** The implementation, required on the first call (Node caches it). */
function implementation(): typeof ProviderProcess {
  return require("./provider-process") as typeof ProviderProcess;
}

export const configure = (req: { config: ConfigSource }): Promise<void> => implementation().configure(req);

export const check = (
  olds: WatchChannelInputs,
  news: WatchChannelInputs,
): Promise<pulumi.dynamic.CheckResult<WatchChannelInputs>> => implementation().check(olds, news);

export const diff = (
  id: string,
  olds: WatchChannelOutputs,
  news: WatchChannelInputs,
): Promise<pulumi.dynamic.DiffResult> => implementation().diff(id, olds, news);

export const create = (
  inputs: WatchChannelInputs,
): Promise<pulumi.dynamic.CreateResult<WatchChannelOutputs>> => implementation().create(inputs);

export const read = (
  id: string,
  props: WatchChannelOutputs | undefined,
): Promise<pulumi.dynamic.ReadResult> => implementation().read(id, props);

export const update = (
  id: string,
  olds: WatchChannelOutputs,
  news: WatchChannelInputs,
): Promise<pulumi.dynamic.UpdateResult<WatchChannelOutputs>> => implementation().update(id, olds, news);

export const remove = (id: string, props: WatchChannelOutputs): Promise<void> =>
  implementation().remove(id, props);

// The dynamic-provider method is called `delete`: this module's exports object is itself the
// provider wherever the package is installed (see provider.ts), so it carries that name too.
export { remove as delete };
