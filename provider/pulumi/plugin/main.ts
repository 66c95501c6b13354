/**
 * The provider plugin's process: `pulumi-resource-zoho-watch <engine address>` runs this file.
 *
 * It serves the ResourceProvider service on a loopback port of its own choosing and prints that
 * port on the first line of stdout, which is how the engine finds it. It leaves when the engine
 * closes it (SIGINT, then SIGTERM or SIGKILL), after stopping what is in flight.
 */
import "../../node-version"; // first: a clear error on a too old Node.js
import * as grpc from "@grpc/grpc-js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { RESOURCE_PROVIDER_SERVICE, WatchChannelPlugin } from "./server";

/**
 * The version this plugin reports: the npm package's, which the schema and the SDKs carry too. The
 * bundle (dist/plugin/server.js) has it written in at build time; compiled file by file, it is read
 * from the package root, four levels up from dist/provider/pulumi/plugin.
 */
function packageVersion(): string {
  const bundled = process.env.ZOHO_WATCH_BUNDLED_VERSION;
  if (bundled) return bundled;
  const file = path.resolve(__dirname, "..", "..", "..", "..", "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** The engine's address: the one argument that is not a flag (`--logtostderr`, `-v=9`, ...). */
function engineAddress(argv: readonly string[]): string | undefined {
  return argv.filter((arg) => !arg.startsWith("-")).at(0);
}

async function main(): Promise<void> {
  const plugin = new WatchChannelPlugin(packageVersion(), engineAddress(process.argv.slice(2)));
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
  });
  server.addService(RESOURCE_PROVIDER_SERVICE, plugin.handlers());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  process.stdout.write(`${port}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.tryShutdown(() => undefined);
    void plugin.close().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`pulumi-resource-zoho-watch: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
