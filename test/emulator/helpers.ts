import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DateTime } from "luxon";
import { FormData, request } from "undici";
import {
  startEmulator,
  type ApiVersion,
  type EmulatorOptions,
  type OAuthCredentials,
  type RunningEmulator,
} from "../../emulator";

/** Shared helpers for the emulator's tests: a typed Zoho client over real HTTP, and a webhook receiver. */

export interface Entry {
  code: string;
  status: "success" | "error";
  message: string;
  details: Record<string, unknown>;
}

export interface DetailEvent {
  channel_id: string;
  channel_expiry: string;
  resource_uri: string;
  resource_id: string;
  resource_name: string;
}

export interface Row {
  channel_id: string;
  events: string[];
  channel_expiry: string;
  notify_url: string;
  token: string | null;
  resource_uri: string;
  resource_id: string;
  resource_name: string;
  notify_on_related_action: boolean;
  return_affected_field_values: boolean;
  notification_condition: unknown;
  fields: null;
}

export interface WriteBody {
  watch: Entry[];
}

export interface ListBody {
  watch: Row[];
  info: { per_page: number; count: number; page: number; more_records: boolean };
}

export interface Reply<T> {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: T;
}

export type RequestBodyInput = string | Record<string, unknown> | FormData | undefined;

/** Plain HTTP against an emulator, the way a Zoho client would talk to Zoho. */
export class ZohoClient {
  private cachedToken: string | undefined;

  /** @param credentials whose token to use: default the default org's (an org's refresh token names the org). */
  constructor(
    readonly emulator: RunningEmulator,
    private readonly credentials: OAuthCredentials = emulator.credentials,
  ) {}

  get url(): string {
    return this.emulator.url;
  }

  /** Asks the token endpoint (query-string form) with the emulator's credentials unless overridden. */
  async requestToken(overrides: Record<string, string> = {}): Promise<Reply<Record<string, unknown>>> {
    const { clientId, clientSecret, refreshToken } = this.credentials;
    const params = new URLSearchParams({
      grant_type: "refresh_token",
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: refreshToken,
      ...overrides,
    });
    return this.send<Record<string, unknown>>("POST", `/oauth/v2/token?${params.toString()}`, {
      auth: false,
    });
  }

  /** A valid access token, fetched once and reused (what a well-behaved client does). */
  async token(): Promise<string> {
    if (this.cachedToken === undefined) {
      const reply = await this.requestToken();
      const token = reply.body.access_token;
      if (typeof token !== "string") throw new Error(`no access token: ${reply.text}`);
      this.cachedToken = token;
    }
    return this.cachedToken;
  }

  forgetToken(): void {
    this.cachedToken = undefined;
  }

  /** Any request; `auth` is the access token to send (default: a valid one), or false for none. */
  async send<T = unknown>(
    method: string,
    path: string,
    options: { body?: RequestBodyInput; headers?: Record<string, string>; auth?: string | false } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth === undefined ? await this.token() : options.auth;
    if (auth !== false) headers.authorization = `Zoho-oauthtoken ${auth}`;
    let body: string | FormData | undefined;
    if (typeof options.body === "string" || options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (typeof body === "string") headers["content-type"] ??= "application/json";
    const response = await request(`${this.url}${path}`, {
      method: method as "GET",
      headers,
      body,
    });
    const text = await response.body.text();
    let parsed: unknown = undefined;
    if (text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.statusCode, headers: response.headers, text, body: parsed as T };
  }

  watch<T = WriteBody>(
    method: string,
    version: ApiVersion,
    options: { body?: RequestBodyInput; query?: Record<string, string>; auth?: string | false } = {},
  ): Promise<Reply<T>> {
    const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : "";
    return this.send<T>(method, `/crm/${version}/actions/watch${query}`, options);
  }

  enable(version: ApiVersion, ...items: Record<string, unknown>[]): Promise<Reply<WriteBody>> {
    return this.watch("POST", version, { body: { watch: items } });
  }

  replace(version: ApiVersion, ...items: Record<string, unknown>[]): Promise<Reply<WriteBody>> {
    return this.watch("PUT", version, { body: { watch: items } });
  }

  patch(version: ApiVersion, ...items: Record<string, unknown>[]): Promise<Reply<WriteBody>> {
    return this.watch("PATCH", version, { body: { watch: items } });
  }

  list(version: ApiVersion, query?: Record<string, string>): Promise<Reply<ListBody | undefined>> {
    return this.watch<ListBody | undefined>("GET", version, { query });
  }

  disable(version: ApiVersion, channelIds?: string): Promise<Reply<WriteBody>> {
    return this.watch("DELETE", version, {
      query: channelIds === undefined ? {} : { channel_ids: channelIds },
    });
  }
}

/** A watch item with sensible defaults; overrides win (`undefined` removes a key). */
export function item(channelId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const merged: Record<string, unknown> = {
    channel_id: channelId,
    events: ["Leads.create"],
    notify_url: "http://127.0.0.1:9/hook",
    ...overrides,
  };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged;
}

/** Starts a fresh emulator before each test of the enclosing `describe` and closes it after. */
export function useEmulator(options: EmulatorOptions = { tokenRateLimit: false }): {
  emulator: RunningEmulator;
  zoho: ZohoClient;
} {
  const context = {} as { emulator: RunningEmulator; zoho: ZohoClient };
  beforeEach(async () => {
    context.emulator = await startEmulator(options);
    context.zoho = new ZohoClient(context.emulator);
  });
  afterEach(async () => {
    await context.emulator.close();
  });
  return context;
}

/** An instant as Zoho wants `channel_expiry`: whole seconds with an offset. */
export function zohoTime(epochMs: number, zone = "UTC+5:30"): string {
  return DateTime.fromMillis(epochMs, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

export function epochMs(iso: string): number {
  const parsed = DateTime.fromISO(iso, { setZone: true });
  if (!parsed.isValid) throw new Error(`not an ISO date-time: ${iso}`);
  return parsed.toMillis();
}

export async function emulatorNow(emulator: RunningEmulator): Promise<number> {
  return epochMs(await emulator.now());
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A local webhook receiver on 127.0.0.1, port 0. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private server: Server | undefined;
  private port = 0;

  /** @param respond status to answer, or "hang" to never answer */
  constructor(private readonly respond: number | "hang" = 200) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        this.requests.push({
          method: request.method ?? "",
          url: request.url ?? "",
          headers: request.headers,
          body: text === "" ? undefined : (JSON.parse(text) as unknown),
        });
        if (this.respond !== "hang") response.writeHead(this.respond).end("ok");
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The `code` of a whole-response Zoho error body. */
export function codeOf(body: unknown): string | undefined {
  return typeof body === "object" && body !== null && "code" in body ? String(body.code) : undefined;
}
