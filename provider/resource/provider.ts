/**
 * The dynamic provider object that Pulumi serializes into every WatchChannel's `__provider`.
 *
 * Pulumi stores the provider as JavaScript text and runs *that text* for later refreshes, updates
 * and deletes (pulumi/pulumi#16826). So the text must be small, hold no credentials, and load the
 * real implementation by module name at run time: each method below is one line that `require`s
 * `lifecycle` from the installed package. State written by an older version therefore runs the
 * code that is installed now, and the serialized text is a few hundred bytes.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { WatchChannelOutputs } from "./diff";
import type { WatchChannelInputs } from "./inputs";

/** The module holding the implementation, resolved by package name in the provider process. */
type Lifecycle = typeof import("./lifecycle");

function lifecycle(): Lifecycle {
  // By name, not by relative path: a relative import would be serialized by value into the state.
  return require("pulumi-zoho-watch/provider-runtime") as Lifecycle;
}

/** The one provider instance; Pulumi caches its serialization per object, so it is shared. */
export const watchChannelProvider: pulumi.dynamic.ResourceProvider<WatchChannelInputs, WatchChannelOutputs> =
  {
    configure: (req) => lifecycle().configure(req),
    check: (olds, news) => lifecycle().check(olds, news),
    diff: (id, olds, news) => lifecycle().diff(id, olds, news),
    create: (inputs) => lifecycle().create(inputs),
    read: (id, props) => lifecycle().read(id, props),
    update: (id, olds, news) => lifecycle().update(id, olds, news),
    delete: (id, props) => lifecycle().remove(id, props),
  };
