/**
 * The dev harness around the emulator, shared by the tests, the demo, the benchmarks and the soak:
 * a started emulator with provider settings pointing at it, a local notification receiver, and the
 * clock offset the provider needs to share the emulator's time.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_CREDENTIALS, startEmulator, type EmulatorOptions, type RunningEmulator } from "../emulator";

/** Starts an emulator on 127.0.0.1:0 with the token throttle off (tests run many provider processes). */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ host: "127.0.0.1", port: 0, tokenRateLimit: false, ...options });
}

/** Stack config (`zoho-watch:*`) that points the provider at an emulator. */
export function providerConfig(
  url: string,
  apiVersion = "v8",
): { config: Record<string, string>; secrets: Record<string, string> } {
  return {
    config: {
      "zoho-watch:accountsUrl": url,
      "zoho-watch:apiDomain": url,
      "zoho-watch:apiVersion": apiVersion,
      "zoho-watch:clientId": DEMO_CREDENTIALS.clientId,
    },
    secrets: {
      "zoho-watch:clientSecret": DEMO_CREDENTIALS.clientSecret,
      "zoho-watch:refreshToken": DEMO_CREDENTIALS.refreshToken,
    },
  };
}

/** The emulator's clock offset in milliseconds, for ZOHO_WATCH_CLOCK_OFFSET. */
export async function clockOffset(emulator: Pick<RunningEmulator, "now">): Promise<string> {
  return String(Date.parse(await emulator.now()) - Date.now());
}

/** A notification body as received. */
export interface Received {
  path: string;
  body: Record<string, unknown>;
}

/** A node:http server on 127.0.0.1:0 that records every POST it receives. */
export class Receiver {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly received: Received[],
  ) {}

  static async start(): Promise<Receiver> {
    const received: Received[] = [];
    const server = createServer((req, res) => {
      void readBody(req).then((text) => {
        received.push({ path: req.url ?? "", body: JSON.parse(text || "{}") as Record<string, unknown> });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return new Receiver(server, `http://127.0.0.1:${port}`, received);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
