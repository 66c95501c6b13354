/**
 * A Zoho CRM notification receiver on plain node:http.
 *
 * Every POST is verified with `verifyNotification` against the channels your stack declared, then
 * answered at once: Zoho does not redeliver and does not document its timeout, so the receiver
 * acknowledges first and runs your code after the answer has gone out. Answers: 204 for a verified
 * notification, 400 for a body that is not a notification, 401 for anything that fails verification
 * (unknown channel, missing or wrong token, older than `maxAge`), 405 for other methods, 413 for
 * bodies over `maxBodyBytes` (256 KiB by default; a Zoho notification is a few KiB).
 *
 * Run it from the repository root after `npm run build` (which compiles it to dist/examples/receiver):
 *
 *   EXPECTED_CHANNELS="$(pulumi stack output --show-secrets --json expectedChannels)" \
 *     PORT=8080 node dist/examples/receiver/receiver.js
 *
 * It listens on 127.0.0.1 unless HOST says otherwise; put it behind your HTTPS reverse proxy or tunnel.
 * MAX_AGE (an ISO-8601 duration such as PT5M) refuses notifications older than that by their
 * server_time, which bounds how long a captured notification can be replayed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createNotificationVerifier,
  DEFAULT_MAX_BODY_BYTES,
  type DurationLike,
  type ExpectedChannel,
  type NotificationRejection,
  type ZohoNotification,
} from "pulumi-zoho-watch/receiver";

/** Options of {@link startReceiver}. */
export interface ReceiverOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** The channels to accept, e.g. from `pulumi stack output --show-secrets --json expectedChannels`. */
  expected: ExpectedChannel | readonly ExpectedChannel[];
  /** Called with each verified notification, after Zoho has had its answer. */
  onNotification: (notification: ZohoNotification) => void | Promise<void>;
  /** Called with each refused request (for logging: its reason never contains a token). */
  onRejection?: (rejection: NotificationRejection) => void;
  /** Called when `onNotification` throws or rejects. Default: console.error. */
  onError?: (error: unknown, notification: ZohoNotification) => void;
  /** Largest body accepted, in bytes; larger ones get 413 unread. Default 256 KiB. */
  maxBodyBytes?: number;
  /**
   * Refuse notifications older than this by their `server_time` (ms or ISO-8601, e.g. `"PT5M"`):
   * a bound on replays. Off by default. See `VerifierOptions.maxAge`.
   */
  maxAge?: DurationLike;
  /** The clock `maxAge` is judged by, epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** A listening receiver. */
export interface RunningReceiver {
  /** e.g. `http://127.0.0.1:8080`: use it (plus a path) as the channels' notifyUrl. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts a receiver. Rejects when `expected` is unusable (a bad channel id, an empty token), so a
 * misconfigured receiver fails at start rather than refusing every notification.
 */
export async function startReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const verify = createNotificationVerifier(options.expected, {
    maxBodyBytes,
    ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const onError =
    options.onError ??
    ((error: unknown) =>
      console.error("notification handler failed:", error instanceof Error ? error.message : error));

  const server = createServer((req, res) => {
    if (req.method !== "POST") {
      answer(res, 405, { error: "METHOD_NOT_ALLOWED" }, { allow: "POST" });
      req.resume();
      return;
    }
    void readBody(req, maxBodyBytes).then(
      (body) => {
        if (body === undefined) {
          // Too large: answer and drop the connection rather than read the rest.
          answer(res, 413, { error: "BODY_TOO_LARGE" }, { connection: "close" });
          res.once("finish", () => req.destroy());
          return;
        }
        const result = verify(body);
        if (!result.ok) {
          options.onRejection?.(result);
          // Tell a sender no more than "malformed" or "unauthorized": which check failed stays in the log.
          if (result.code === "MALFORMED_BODY") answer(res, 400, { error: "MALFORMED_BODY" });
          else if (result.code === "BODY_TOO_LARGE") answer(res, 413, { error: "BODY_TOO_LARGE" });
          else answer(res, 401, { error: "UNAUTHORIZED" });
          return;
        }
        const { notification } = result;
        // Acknowledge first: the handler runs once the answer has been handed to the socket.
        res.once("finish", () => {
          Promise.resolve()
            .then(() => options.onNotification(notification))
            .catch((error: unknown) => onError(error, notification));
        });
        answer(res, 204);
      },
      () => req.destroy(),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function answer(
  res: ServerResponse,
  status: number,
  body?: Record<string, string>,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, "content-type": "application/json" }).end(JSON.stringify(body));
}

/** The body's bytes, or undefined when it is larger than `limit`. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > limit) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

// ---------------------------------------------------------------------------------------------
// Run directly: `node dist/examples/receiver/receiver.js`

/** EXPECTED_CHANNELS: one `{channelId, token}` or a JSON array of them. */
function expectedFromEnv(text: string | undefined): ExpectedChannel[] {
  if (!text) {
    throw new Error(
      'set EXPECTED_CHANNELS to [{"channelId": "...", "token": "..."}], e.g. "$(pulumi stack output --show-secrets --json expectedChannels)"',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("EXPECTED_CHANNELS is not JSON");
  }
  // startReceiver checks every entry and names the one that is wrong.
  return (Array.isArray(parsed) ? parsed : [parsed]) as ExpectedChannel[];
}

async function main(): Promise<void> {
  const receiver = await startReceiver({
    port: Number(process.env.PORT ?? 8080),
    host: process.env.HOST ?? "127.0.0.1",
    expected: expectedFromEnv(process.env.EXPECTED_CHANNELS),
    ...(process.env.MAX_AGE ? { maxAge: process.env.MAX_AGE } : {}),
    onNotification: (n) => {
      // Your code goes here: enqueue a job, sync the records, ... (never log the token).
      console.log(`verified ${n.operation} of ${n.module} ${n.ids.join(",")} on channel ${n.channelId}`);
    },
    onRejection: (r) => console.warn(`refused (${r.code}): ${r.reason}`),
  });
  console.log(`listening on ${receiver.url}`);
  const stop = () => {
    receiver.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`receiver: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
