// What the SDK tests share: finding Go and Python, the toolchain cache, and an environment for them.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** The go binary as scripts/gen-sdk.sh finds it: ZOHO_WATCH_GO, PATH, Go's default places. */
export function findGo(): string {
  const candidates = [
    process.env.ZOHO_WATCH_GO,
    ...(process.env.PATH ?? "").split(path.delimiter).map((dir) => dir && path.join(dir, "go")),
    "/usr/local/go/bin/go",
    "/usr/lib/go/bin/go",
  ];
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found) throw new Error("no Go toolchain: install Go (https://go.dev/dl/) or set ZOHO_WATCH_GO");
  return found;
}

/**
 * The environment for go commands: GOFLAGS=-mod=mod (keeping the machine's other GOFLAGS), and
 * GOPROXY as the machine has it. sum.golang.org need not be reachable: the committed go.sum files
 * already hold the hashes.
 */
export function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const flags = (process.env.GOFLAGS ?? "").split(/\s+/).filter((flag) => flag && !flag.startsWith("-mod="));
  return { ...process.env, GOFLAGS: [...flags, "-mod=mod"].join(" "), ...extra };
}

/** The toolchain cache scripts/ensure-pulumi.sh uses. */
export function toolchainCache(): string {
  return (
    process.env.ZOHO_WATCH_TOOLCHAIN_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "pulumi-zoho-watch")
  );
}
