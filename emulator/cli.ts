#!/usr/bin/env node
import "../provider/node-version"; // first: a clear error on a too old Node.js
import { parseArgs } from "node:util";
import { startEmulator, type EmulatorOptions } from "./index";

/**
 * `zoho-crm-emulator`: runs the emulator until SIGINT/SIGTERM. Prints exactly one line on stdout, the
 * base URL, so scripts can do `URL=$(zoho-crm-emulator ... | head -n1)`; everything else goes to stderr.
 */

const USAGE = `usage: zoho-crm-emulator [--host 127.0.0.1] [--port 0] [--state FILE]
                         [--client-id ID --client-secret S --refresh-token T]
                         [--org-time-zone UTC+5:30] [--allow-external-delivery]`;

function fail(message: string): never {
  process.stderr.write(`zoho-crm-emulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function optionsFromArgs(argv: string[]): EmulatorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        state: { type: "string" },
        "client-id": { type: "string" },
        "client-secret": { type: "string" },
        "refresh-token": { type: "string" },
        "org-time-zone": { type: "string" },
        "allow-external-delivery": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const credentials = [values["client-id"], values["client-secret"], values["refresh-token"]];
  const given = credentials.filter((value) => value !== undefined).length;
  if (given !== 0 && given !== 3) fail("--client-id, --client-secret and --refresh-token go together");
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port ${values.port ?? ""} is not a port number`);
  return {
    host: values.host,
    port,
    stateFile: values.state,
    orgTimeZone: values["org-time-zone"],
    allowExternalDelivery: values["allow-external-delivery"] ?? false,
    onWarning: (message) => process.stderr.write(`zoho-crm-emulator: warning: ${message}\n`),
    credentials:
      given === 3
        ? {
            clientId: values["client-id"] ?? "",
            clientSecret: values["client-secret"] ?? "",
            refreshToken: values["refresh-token"] ?? "",
          }
        : undefined,
  };
}

async function main(): Promise<void> {
  const options = optionsFromArgs(process.argv.slice(2));
  const emulator = await startEmulator(options);
  process.stdout.write(`${emulator.url}\n`);
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`zoho-crm-emulator: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`zoho-crm-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
