/**
 * The dynamic provider object that Pulumi serializes into every WatchChannel's `__provider`, in one
 * of two forms chosen when the program runs.
 *
 * Pulumi stores the provider as JavaScript text and runs *that text* for later refreshes, updates
 * and deletes (pulumi/pulumi#16826). The text must hold no credentials and load the real
 * implementation by module name, so that state written by an older version runs the code that is
 * installed now. And it must be small: it is stored in the inputs and the outputs of every
 * resource, and the engine rewrites the whole state after every step, so its size multiplies into
 * a cost that grows with the square of the number of channels.
 *
 *  - **Installed** (the usual case): the provider is the exports object of
 *    `pulumi-zoho-watch/provider-runtime` itself. Pulumi serializes a module it finds under a
 *    `node_modules` folder as a bare `require("pulumi-zoho-watch/provider-runtime")`: about 250
 *    characters.
 *  - **Self-contained** (the fallback): where the package's files do not sit under a `node_modules`
 *    folder as seen from the program, or `@pulumi/pulumi` cannot resolve the package (a workspace
 *    that links it from a sibling folder, some pnpm layouts, this repository's own tests), Pulumi
 *    would serialize that module *by value*, all of it, or a path it cannot load. Then the
 *    provider is {@link watchChannelProvider}: seven one-line methods that each `require` the same
 *    module by name at run time and capture nothing, about 2,000 characters.
 *
 * Both forms load the same module by name in the provider process, so state written by either form
 * runs with the other, and both share the process's one runtime (provider-runtime.ts).
 */
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { WatchChannelOutputs } from "../../channel/diff";
import type { WatchChannelInputs } from "../../channel/inputs";

/** The module holding the implementation, resolved by package name in the provider process. */
type Runtime = typeof import("./provider-runtime");

/** The package entry of the implementation (package.json "exports"). */
export const RUNTIME_MODULE = "pulumi-zoho-watch/provider-runtime";

/**
 * The self-contained provider. Pulumi caches its serialization per object, so it is shared. The
 * runtime is required by package name, never by relative path: a relative import would be
 * serialized by value into the state. Each method captures nothing (a shared helper or a comment
 * inside a method would be serialized with it).
 */
export const watchChannelProvider: pulumi.dynamic.ResourceProvider<WatchChannelInputs, WatchChannelOutputs> =
  {
    configure: (req) => (require("pulumi-zoho-watch/provider-runtime") as Runtime).configure(req),
    check: (olds, news) => (require("pulumi-zoho-watch/provider-runtime") as Runtime).check(olds, news),
    diff: (id, olds, news) => (require("pulumi-zoho-watch/provider-runtime") as Runtime).diff(id, olds, news),
    create: (inputs) => (require("pulumi-zoho-watch/provider-runtime") as Runtime).create(inputs),
    read: (id, props) => (require("pulumi-zoho-watch/provider-runtime") as Runtime).read(id, props),
    update: (id, olds, news) =>
      (require("pulumi-zoho-watch/provider-runtime") as Runtime).update(id, olds, news),
    delete: (id, props) => (require("pulumi-zoho-watch/provider-runtime") as Runtime).remove(id, props),
  };

/** Which form a program gets; see the module comment. */
export type ProviderForm = "installed" | "self-contained";

/**
 * The form Pulumi can serialize small for this program. Pulumi's serializer writes a bare require
 * only when two things hold, so both are checked here the way it checks them:
 *  1. the implementation's file, as Node loaded it (symlinks resolved), lies under a
 *     `node_modules` folder relative to the program's working directory;
 *  2. `@pulumi/pulumi`, from where it is installed, resolves the package name to that same file
 *     (it reads the package's `exports` to turn the file back into `pulumi-zoho-watch/...`).
 * Anything else (a linked workspace package, pnpm layouts where `@pulumi/pulumi` cannot see this
 * package, this repository) gets the self-contained form.
 */
export function providerForm(cwd: string = process.cwd()): ProviderForm {
  const file = require.resolve(RUNTIME_MODULE);
  if (!path.relative(cwd, file).split(path.sep).includes("node_modules")) return "self-contained";
  try {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    return packageSeenFrom(pulumiDir) === realpathSync(PACKAGE_ROOT) ? "installed" : "self-contained";
  } catch {
    return "self-contained";
  }
}

/** This package's root (dist/provider/pulumi/dynamic → four levels up). */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..", "..");

/**
 * The real directory of the `pulumi-zoho-watch` that Node's lookup finds from `dir` (its
 * `node_modules` folders, nearest first), or undefined. Done by hand: `require.resolve` with
 * `paths` would answer from this package itself (a package may require itself by name).
 */
function packageSeenFrom(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const candidate = path.join(current, "node_modules", "pulumi-zoho-watch");
    if (existsSync(path.join(candidate, "package.json"))) return realpathSync(candidate);
    if (path.dirname(current) === current) return undefined;
  }
}

/** {@link providerForm} per working directory, as found in this program. */
const formByDirectory = new Map<string, ProviderForm>();

/** The provider object for this program: the runtime module itself when installed, else the shim. */
export function programProvider(): pulumi.dynamic.ResourceProvider<WatchChannelInputs, WatchChannelOutputs> {
  // The answer depends only on the working directory and the installed files: found once per
  // program, not once per WatchChannel (each asks, and the check touches the file system).
  const cwd = process.cwd();
  let form = formByDirectory.get(cwd);
  if (form === undefined) {
    form = providerForm(cwd);
    formByDirectory.set(cwd, form);
  }
  if (form === "installed") {
    return require("pulumi-zoho-watch/provider-runtime") as Runtime;
  }
  return watchChannelProvider;
}
