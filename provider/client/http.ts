/**
 * One HTTP exchange over undici, and the classification of what can go wrong in it.
 *
 * The transport owns an undici `Agent` (one keep-alive pool per origin: the accounts server and
 * the API host) unless the caller passes a dispatcher of its own. It knows nothing about Zoho,
 * tokens or retries; it sends one request and reads the whole answer.
 */
import type * as Undici from "undici";
import type { Dispatcher } from "undici";
import type { ZohoTimeoutKind } from "../zoho/errors";

/**
 * undici, loaded when the first request is sent. A `pulumi preview` with nothing to renew sends
 * none, and loading undici is about 40 ms of every process's start (measured; BENCHMARKS.md), paid
 * twice per `pulumi up` (its preview and its update each start a provider process).
 */
function undici(): typeof Undici {
  return require("undici") as typeof Undici;
}

/** Socket-level time bounds for one attempt. */
export interface HttpTimeouts {
  /** TCP+TLS connect. Default 10 s. */
  connectMs: number;
  /** From request sent to response headers received. Default 30 s. undici checks it with about 1 s of granularity. */
  headersMs: number;
  /** Longest gap between body chunks. Default 30 s (same granularity). */
  bodyMs: number;
}

/** Options of {@link HttpTransport}. */
export interface HttpTransportOptions {
  timeouts: HttpTimeouts;
  /** Sockets per origin. Default 10 (the limiter, not the pool, is what bounds concurrency). */
  connectionsPerOrigin?: number | undefined;
  /** Idle time before a kept-alive socket is closed. Default 30 s. */
  keepAliveTimeoutMs?: number | undefined;
  /** Use this dispatcher instead of an own Agent; it is not closed by {@link HttpTransport.close}. */
  dispatcher?: Dispatcher | undefined;
}

/** What to send. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: URL;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What came back, body read in full. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** The transport-level failure classes the retry logic cares about. */
export type TransportFailure =
  | { kind: "timeout"; timeout: ZohoTimeoutKind; error: Error }
  | { kind: "network"; error: Error }
  | { kind: "aborted"; error: Error }
  | { kind: "closed"; error: Error };

/** Sends requests over a keep-alive pool per origin. */
export class HttpTransport {
  /** The borrowed dispatcher, or the own Agent once the first request made it. */
  private dispatcher: Dispatcher | undefined;
  private readonly owned: boolean;
  private readonly timeouts: HttpTimeouts;
  private readonly connectionsPerOrigin: number;
  private readonly keepAliveTimeoutMs: number;

  constructor(options: HttpTransportOptions) {
    this.timeouts = options.timeouts;
    this.dispatcher = options.dispatcher;
    this.owned = options.dispatcher === undefined;
    this.connectionsPerOrigin = options.connectionsPerOrigin ?? 10;
    this.keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 30_000;
  }

  private pool(): Dispatcher {
    this.dispatcher ??= new (undici().Agent)({
      connections: this.connectionsPerOrigin,
      keepAliveTimeout: this.keepAliveTimeoutMs,
      connectTimeout: this.timeouts.connectMs,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
    });
    return this.dispatcher;
  }

  /** Sends one request and reads the whole body. Rejects with undici's errors (see {@link classifyTransportError}). */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const response = await this.pool().request({
      origin: request.url.origin,
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: request.signal ?? null,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }

  /**
   * Closes the own pool: waits for requests in flight, or with `abort` fails them at once (the
   * process is being stopped). A borrowed dispatcher is left open.
   */
  async close({ abort = false }: { abort?: boolean } = {}): Promise<void> {
    if (!this.owned || !this.dispatcher) return;
    await (abort ? this.dispatcher.destroy() : this.dispatcher.close());
  }
}

/**
 * Sorts an error thrown by {@link HttpTransport.send}.
 *
 * Every network failure is treated as "the request may have reached Zoho": undici cannot say
 * whether bytes left the socket before a reset, so a lost response is assumed possible for all
 * of them except a refused or timed-out connect.
 */
export function classifyTransportError(error: unknown): TransportFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  const undiciErrors = undici().errors;
  if (err instanceof undiciErrors.ConnectTimeoutError)
    return { kind: "timeout", timeout: "connect", error: err };
  if (err instanceof undiciErrors.HeadersTimeoutError)
    return { kind: "timeout", timeout: "headers", error: err };
  if (err instanceof undiciErrors.BodyTimeoutError) return { kind: "timeout", timeout: "body", error: err };
  if (
    err instanceof undiciErrors.RequestAbortedError ||
    err.name === "AbortError" ||
    err.name === "TimeoutError"
  ) {
    return { kind: "aborted", error: err };
  }
  if (err instanceof undiciErrors.ClientDestroyedError || err instanceof undiciErrors.ClientClosedError) {
    return { kind: "closed", error: err };
  }
  return { kind: "network", error: err };
}

/**
 * True when the failure proves the request never reached the server (nothing to reconcile):
 * refused/unresolvable connects and connect timeouts.
 */
export function failedBeforeSending(failure: TransportFailure): boolean {
  if (failure.kind === "timeout") return failure.timeout === "connect";
  if (failure.kind !== "network") return false;
  const code = (failure.error as { code?: unknown }).code;
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
}
