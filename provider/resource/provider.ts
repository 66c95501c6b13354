/**
 * The dynamic provider object that Pulumi serializes into every WatchChannel's `__provider`.
 *
 * Pulumi stores the provider as JavaScript text and runs *that text* for later refreshes, updates
 * and deletes (pulumi/pulumi#16826). So the text must be small, hold no credentials, and load the
 * real implementation by module name at run time: each method below is one line that `require`s
 * `provider-runtime` from the installed package. State written by an older version therefore runs the
 * code that is installed now.
 *
 * Small matters twice over: the text is stored in the inputs and in the outputs of every resource,
 * and the engine rewrites the whole state after every step, so its size multiplies into a cost that
 * grows with the square of the number of channels. Each method therefore captures nothing (a shared
 * helper or a comment inside a method would be serialized with it): about 2,000 characters in all.
 * (Pulumi can serialize a module installed under node_modules as a bare `require`, but only when
 * `@pulumi/pulumi` itself can resolve this package, which pnpm and some monorepo layouts prevent,
 * so the provider does not rely on it.)
 */
import type * as pulumi from "@pulumi/pulumi";
import type { WatchChannelOutputs } from "./diff";
import type { WatchChannelInputs } from "./inputs";

/** The module holding the implementation, resolved by package name in the provider process. */
type Lifecycle = typeof import("./provider-runtime");

/**
 * The one provider instance; Pulumi caches its serialization per object, so it is shared. The
 * runtime is required by package name, never by relative path: a relative import would be
 * serialized by value into the state.
 */
export const watchChannelProvider: pulumi.dynamic.ResourceProvider<WatchChannelInputs, WatchChannelOutputs> =
  {
    configure: (req) => (require("pulumi-zoho-watch/provider-runtime") as Lifecycle).configure(req),
    check: (olds, news) => (require("pulumi-zoho-watch/provider-runtime") as Lifecycle).check(olds, news),
    diff: (id, olds, news) =>
      (require("pulumi-zoho-watch/provider-runtime") as Lifecycle).diff(id, olds, news),
    create: (inputs) => (require("pulumi-zoho-watch/provider-runtime") as Lifecycle).create(inputs),
    read: (id, props) => (require("pulumi-zoho-watch/provider-runtime") as Lifecycle).read(id, props),
    update: (id, olds, news) =>
      (require("pulumi-zoho-watch/provider-runtime") as Lifecycle).update(id, olds, news),
    delete: (id, props) => (require("pulumi-zoho-watch/provider-runtime") as Lifecycle).remove(id, props),
  };
