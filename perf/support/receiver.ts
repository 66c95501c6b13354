/**
 * A notification receiver on 127.0.0.1 (the emulator delivers only to loopback) that keeps what a
 * continuity check needs of each notification: which channel, which path, which token.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One notification as received. */
export interface ReceivedNotification {
  path: string;
  channelId: string;
  token: string | null;
  module: string;
  operation: string;
  ids: string[];
}

/** Records every POST; answers 200 at once, as a receiver should. */
export class CountingReceiver {
  readonly received: ReceivedNotification[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<CountingReceiver> {
    let receiver: CountingReceiver | undefined = undefined;
    const server = createServer((req, res) => {
      void readBody(req).then((text) => {
        try {
          const body = JSON.parse(text || "{}") as Record<string, unknown>;
          const asText = (value: unknown): string => (typeof value === "string" ? value : "");
          receiver?.received.push({
            path: req.url ?? "",
            channelId: asText(body.channel_id),
            token: typeof body.token === "string" ? body.token : null,
            module: asText(body.module),
            operation: asText(body.operation),
            ids: Array.isArray(body.ids) ? body.ids.map(String) : [],
          });
          res.writeHead(200).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new CountingReceiver(server, `http://127.0.0.1:${port}`);
    return receiver;
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
