/**
 * A tiny stand-in for Zoho on 127.0.0.1:0 that answers exactly the bytes a test scripts, for
 * shapes the emulator does not produce (yet): an empty 200 to a GET, `RATE_LIMIT_EXCEEDED`,
 * `NOT_SUBSCRIBED` with `details: {}`, an expiry an hour later than asked. The token endpoint
 * always grants a token; every other request goes to the script and is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { closeOpenClients } from "./support";

/** A request the scripted server received (token requests excluded). */
export interface ScriptedRequest {
  readonly method: string;
  readonly url: URL;
  /** The raw query string, as sent (without `?`). */
  readonly rawQuery: string;
  readonly body: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: unknown;
}

/** What to answer: `body` is sent as is when a string, as JSON otherwise; omitted = empty body. */
export interface ScriptedAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** Answers the `index`-th API request (0-based). */
export type Script = (request: ScriptedRequest, index: number) => ScriptedAnswer;

/** A running scripted server. */
export interface ScriptedZoho {
  readonly url: string;
  /** API requests received, in order. */
  readonly requests: ScriptedRequest[];
  /** Replaces the script (e.g. per test). */
  answer(script: Script): void;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, answer: ScriptedAnswer): void {
  const text =
    answer.body === undefined
      ? ""
      : typeof answer.body === "string"
        ? answer.body
        : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    ...(text === "" ? {} : { "content-type": "application/json;charset=UTF-8" }),
    ...answer.headers,
  });
  response.end(text);
}

/**
 * Registers mocha hooks that start one scripted server for the enclosing `describe`, clear its
 * requests and script before each test, close the clients after each and the server at the end.
 */
export function useScriptedZoho(): () => ScriptedZoho {
  let script: Script = () => ({ status: 500, body: { code: "INTERNAL_ERROR", status: "error" } });
  const requests: ScriptedRequest[] = [];
  let url: string | undefined;
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const parsed = new URL(request.url ?? "/", "http://127.0.0.1");
      if (parsed.pathname === "/oauth/v2/token") {
        send(response, {
          status: 200,
          body: {
            access_token: "1000.scripted-access",
            expires_in: 3600,
            api_domain: url,
            token_type: "Bearer",
          },
        });
        return;
      }
      let json: unknown;
      try {
        json = body === "" ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const recorded: ScriptedRequest = {
        method: request.method ?? "GET",
        url: parsed,
        rawQuery: (request.url ?? "").split("?")[1] ?? "",
        body,
        json,
      };
      requests.push(recorded);
      send(response, script(recorded, requests.length - 1));
    });
  });
  const handle: ScriptedZoho = {
    get url() {
      if (!url) throw new Error("scripted server not started");
      return url;
    },
    requests,
    answer(next) {
      script = next;
    },
  };
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    requests.length = 0;
  });
  afterEach(closeOpenClients);
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return () => handle;
}

/** A success entry of a write answer for `channelId`, with one module and `expiry` (if given). */
export function successEntry(channelId: string, expiry?: string): Record<string, unknown> {
  return {
    code: "SUCCESS",
    status: "success",
    message: "Successfully subscribed for actions-watch of the given module",
    details: {
      events: [
        {
          channel_id: channelId,
          ...(expiry === undefined ? {} : { channel_expiry: expiry }),
          resource_uri: "https://www.zohoapis.com/crm/v2/Leads",
          resource_id: "5725767000000125",
          resource_name: "Leads",
        },
      ],
    },
  };
}

/** The channel ids of a write request's `watch` items. */
export function channelIdsOf(request: ScriptedRequest): string[] {
  const watch = (request.json as { watch?: { channel_id: string }[] } | undefined)?.watch ?? [];
  return watch.map((item) => item.channel_id);
}
