#!/usr/bin/env node
import "../provider/node-version"; // first: a clear error on a too old Node.js
import { parseArgs } from "node:util";
import { EmulatorControl } from "./control/client";
import { DEMO_CREDENTIALS, startEmulator, type EmulatorOptions } from "./index";
import { isLoopbackHost } from "./shared/loopback";

/**
 * `zoho-crm-emulator`: without a verb, runs the emulator until SIGINT/SIGTERM and prints exactly one
 * line on stdout, the base URL, so scripts can do `URL=$(zoho-crm-emulator ... | head -n1)`;
 * everything else goes to stderr. With a control verb (`clock`, `clock advance`, `clock set`), drives
 * an emulator already running on loopback through its control API and prints its time.
 */

/** The environment variable a control verb reads the emulator's URL from when `--url` is not given. */
const URL_ENV = "ZOHO_EMULATOR_URL";

const USAGE = `usage: zoho-crm-emulator [--host 127.0.0.1] [--port 0] [--state FILE] [--clock-file FILE]
                         [--client-id ID --client-secret S --refresh-token T]
                         [--org-time-zone UTC+5:30] [--allow-external-delivery]
                         [--no-token-throttle]
       zoho-crm-emulator clock                     [--url URL]
       zoho-crm-emulator clock advance <duration>  [--url URL]
       zoho-crm-emulator clock set <date-time>     [--url URL]`;

const HELP = `${USAGE}

Without a verb: serve until SIGINT/SIGTERM. Prints one line on stdout, the base URL.
  --host, --port          where to listen (default 127.0.0.1, a free port)
  --state FILE            keep channels, clock, tokens and deliveries in FILE across restarts
  --clock-file FILE       keep FILE equal to the emulator's clock offset; point the provider and
                          \`zoho-watch status\` at it once: \`pulumi config set zoho-watch:clockOffset file:FILE\`
  --client-id, --client-secret, --refresh-token
                          the credentials the token endpoint accepts (all three, or none)
  --org-time-zone ZONE    the org's zone for echoed expiries (default UTC+5:30)
  --allow-external-delivery  also deliver notifications to non-loopback URLs
  --no-token-throttle     accept any number of token requests (default: Zoho's 10 per 10 minutes)

Default credentials (DEMO_CREDENTIALS), when none are given:
  client id      ${DEMO_CREDENTIALS.clientId}
  client secret  ${DEMO_CREDENTIALS.clientSecret}
  refresh token  ${DEMO_CREDENTIALS.refreshToken}

Control verbs (drive a running emulator on loopback; --url, or ${URL_ENV}, is its base URL):
  clock                   print the emulator's time
  clock advance P2D       move its time forward (ISO-8601 duration or milliseconds); prints the new time
  clock set 2026-12-08T10:00:00Z
                          set its time (forward or back); prints the new time
Every expiry, the token throttle and the clock file follow at once.`;

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
        "clock-file": { type: "string" },
        "client-id": { type: "string" },
        "client-secret": { type: "string" },
        "refresh-token": { type: "string" },
        "org-time-zone": { type: "string" },
        "allow-external-delivery": { type: "boolean" },
        "no-token-throttle": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
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
    clockFile: values["clock-file"],
    orgTimeZone: values["org-time-zone"],
    allowExternalDelivery: values["allow-external-delivery"] ?? false,
    // Only when asked: the default keeps Zoho's throttle, which a client must survive.
    ...(values["no-token-throttle"] ? { tokenRateLimit: false as const } : {}),
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

async function serve(argv: string[]): Promise<void> {
  const options = optionsFromArgs(argv);
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

/** `clock [advance BY | set AT] [--url URL]`: one control call, the emulator's time on stdout. */
async function clockVerb(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { url: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const [action, argument, ...extra] = parsed.positionals;
  if (extra.length > 0) fail(`unexpected argument "${extra[0]}"`);
  const url = parsed.values.url ?? process.env[URL_ENV];
  if (url === undefined || url === "") {
    fail(`clock needs the emulator's URL: --url http://127.0.0.1:PORT (or ${URL_ENV})`);
  }
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    fail(`--url ${url} is not a URL`);
  }
  // Control calls are for an emulator on this machine: never send one beyond loopback.
  if (!isLoopbackHost(host))
    fail(`--url ${url} is not a loopback address; control verbs only reach a local emulator`);
  const control = new EmulatorControl(url, { timeoutMs: 10_000 });
  let now: string;
  if (action === undefined || action === "now") {
    if (argument !== undefined) fail(`unexpected argument "${argument}"`);
    now = await control.now();
  } else if (action === "advance") {
    if (argument === undefined) fail("clock advance needs a duration: e.g. P2D, PT50M, or milliseconds");
    now = await control.advanceClock(/^\d+$/.test(argument) ? Number(argument) : argument);
  } else if (action === "set") {
    if (argument === undefined) fail("clock set needs a date-time: e.g. 2026-12-08T10:00:00Z");
    now = await control.setClock(argument);
  } else {
    fail(`unknown clock action "${action}": use advance or set (or none to print the time)`);
  }
  process.stdout.write(`${now}\n`);
}

const VERBS: Record<string, (argv: string[]) => Promise<void>> = { clock: clockVerb };

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  const verb = first === undefined ? undefined : VERBS[first];
  if (verb) await verb(rest);
  else if (first !== undefined && !first.startsWith("-")) fail(`unknown verb "${first}": use clock`);
  else await serve(argv);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`zoho-crm-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
