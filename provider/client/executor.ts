/**
 * Runs one API operation end to end: deadline, access token, concurrency slot, the HTTP exchange,
 * the refresh-and-retry on a refused token, and retries with backoff on 429, 5xx and network
 * errors as the operation's idempotency allows (see operations.ts).
 *
 * It returns the raw answer (status + parsed JSON); reading entries is the caller's job, because
 * a 202, 207 or 400 may carry per-item results rather than a failure of the whole call.
 */
import { Deadline } from "./deadline";
import {
  ZohoApiError,
  ZohoClosedError,
  ZohoError,
  ZohoTimeoutError,
  ZohoUnexpectedAnswerError,
  type ZohoOperation,
} from "../zoho/errors";
import { zohoErrorFor } from "./answers";
import type { HttpResponse, HttpTransport } from "./http";
import { parseZohoJson } from "./json";
import type { ConcurrencyLimiter } from "./limiter";
import type { AccessToken, OAuthTokenSource } from "./oauth";
import { OPERATIONS } from "../zoho/operations";
import { isRetryableAnswer, retryableAnswerFailure, sendOnce, type ExchangeContext } from "./pipeline";
import type { Redactor } from "./redact";
import {
  isRetryableStatus,
  retryLoop,
  SYSTEM_TIMER,
  type AttemptOutcome,
  type RetryOptions,
  type RetryTimer,
} from "./retry";
import { WireErrorAnswerSchema, type ApiVersion } from "../zoho/schemas";

/** What the executor needs, shared by all operations of one client. */
export interface ExecutorOptions {
  transport: HttpTransport;
  tokens: OAuthTokenSource;
  limiter: ConcurrencyLimiter;
  retry: RetryOptions;
  apiVersion: ApiVersion;
  /** Overall deadline of one operation (`timeouts.operationMs`). */
  operationTimeoutMs: number;
  /** Clock and sleep of the retry loop; default the system's. */
  timer?: RetryTimer | undefined;
  userAgent: string;
  isClosed: () => boolean;
}

/** One API request, before the token and origin are known. */
export interface ApiRequest {
  operation: ZohoOperation;
  query?: Record<string, string> | undefined;
  body?: unknown;
  /** The one channel the request is about, when it is about one: named in a top-level error. */
  about?: string | undefined;
  /** Knows the secrets of this request (channel tokens, notify URLs) besides the client's. */
  redactor: Redactor;
  signal?: AbortSignal | undefined;
}

/** The answer of a call that was not a transport failure, 429, 5xx or refused token. */
export interface ApiAnswer {
  status: number;
  /** Parsed JSON, or undefined for an empty body (204). */
  json: unknown;
  /** HTTP attempts made. */
  attempts: number;
}

// A refused access token: refresh once and retry once.
const TOKEN_REFUSED = new Set(["INVALID_TOKEN", "AUTHENTICATION_FAILURE"]);

/** Sends API requests with auth, limits and retries. */
export class ApiExecutor {
  constructor(private readonly options: ExecutorOptions) {}

  /** Runs `request` to an answer, or throws a {@link ZohoError}. */
  async run(request: ApiRequest): Promise<ApiAnswer> {
    const { operation } = request;
    if (this.options.isClosed()) throw new ZohoClosedError("the Zoho client is closed", { operation });
    const timer = this.options.timer ?? SYSTEM_TIMER;
    const deadline = new Deadline(this.options.operationTimeoutMs, request.signal, () => timer.now());
    let attempts = 0;
    let refreshed = false;

    const attempt = async (): Promise<AttemptOutcome<ApiAnswer>> => {
      // At most two exchanges per attempt: the second only after a refused token was renewed.
      for (;;) {
        const token = await this.options.tokens.get(deadline.signal);
        attempts += 1;
        const exchange = await this.exchange(request, token, deadline, attempts);
        if (!exchange.ok) return exchange;
        const answer = exchange.value;
        const code = topLevelCode(answer.json);
        if (answer.status === 401 && code !== undefined && TOKEN_REFUSED.has(code) && !refreshed) {
          // Expired early, revoked, or the emulator's clock moved: one refresh, one retry.
          refreshed = true;
          this.options.tokens.invalidate(token);
          continue;
        }
        return { ok: true, value: answer };
      }
    };

    try {
      const answer = await retryLoop(attempt, {
        options: this.options.retry,
        expiresAt: deadline.expiresAt,
        signal: deadline.signal,
        attempts: () => attempts,
        timer,
        // Retry-After waits run up to the operation's deadline, not to a count.
        deadline: { setting: "timeouts.operationMs", ms: this.options.operationTimeoutMs },
      });
      return this.checkTopLevel(answer, request);
    } catch (error) {
      if (error instanceof ZohoError) throw error;
      if (deadline.callerAborted) throw deadline.callerReason;
      if (deadline.timedOut) {
        throw new ZohoTimeoutError(
          `${operation}: no answer within the operation deadline of ${this.options.operationTimeoutMs} ms (${attempts} attempts)`,
          { operation, timeout: "operation", attempts },
        );
      }
      if (this.options.isClosed())
        throw new ZohoClosedError("the Zoho client was closed during the call", { operation, attempts });
      throw error;
    }
  }

  /** One HTTP exchange, holding a concurrency slot only while it is on the wire. */
  private async exchange(
    request: ApiRequest,
    token: AccessToken,
    deadline: Deadline,
    attempts: number,
  ): Promise<AttemptOutcome<ApiAnswer>> {
    const { operation, redactor } = request;
    const spec = OPERATIONS[operation];
    const url = new URL(`${token.apiDomain}/crm/${this.options.apiVersion}/${spec.path}`);
    url.search = queryString(request.query ?? {});
    const headers: Record<string, string> = {
      authorization: `Zoho-oauthtoken ${token.value}`,
      accept: "application/json",
      "user-agent": this.options.userAgent,
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers["content-type"] = "application/json";
    }

    const context: ExchangeContext = {
      operation,
      peer: "Zoho",
      redactor,
      attempts,
      rateLimitHint: "Lower the client's concurrency to your edition's limit.",
      now: () => (this.options.timer ?? SYSTEM_TIMER).now(),
    };
    const release = await this.options.limiter.acquire(deadline.signal);
    let sent: AttemptOutcome<HttpResponse>;
    try {
      sent = await sendOnce(
        this.options.transport,
        { method: spec.method, url, headers, body, signal: deadline.signal },
        context,
      );
    } finally {
      release();
    }
    if (!sent.ok) return sent;
    const response = sent.value;

    let json: unknown;
    if (response.text.trim() !== "") {
      try {
        json = parseZohoJson(response.text);
      } catch {
        json = undefined;
        if (!isRetryableStatus(response.status)) {
          throw new ZohoUnexpectedAnswerError(
            `${operation}: Zoho's answer (HTTP ${response.status}) is not JSON`,
            {
              operation,
              status: response.status,
              attempts,
            },
          );
        }
      }
    }

    const code = topLevelCode(json);
    if (isRetryableAnswer(response, code)) return retryableAnswerFailure(response, code, context);
    return { ok: true, value: { status: response.status, json, attempts } };
  }

  /** Turns a top-level error answer (no `watch` entries) into its typed error. */
  private checkTopLevel(answer: ApiAnswer, request: ApiRequest): ApiAnswer {
    const json = answer.json;
    if (json !== null && typeof json === "object" && "watch" in json) return answer;
    const parsed = WireErrorAnswerSchema.safeParse(json);
    if (parsed.success && parsed.data.status?.toLowerCase() !== "success") {
      throw zohoErrorFor(parsed.data.code, parsed.data.message, parsed.data.details, {
        operation: request.operation,
        status: answer.status,
        attempts: answer.attempts,
        redactor: request.redactor,
        channelId: request.about,
      });
    }
    if (answer.status >= 400) {
      throw new ZohoApiError(
        `${request.operation}: Zoho answered HTTP ${answer.status} without a readable error`,
        {
          operation: request.operation,
          status: answer.status,
          attempts: answer.attempts,
        },
      );
    }
    return answer;
  }
}

/**
 * `a=1&channel_ids=1,2,3`: commas stay literal, as Zoho's docs write lists, so a parameter's length
 * on the wire is its length as the rulebook counts it (LIMITS.maxChannelIdsParamLength).
 */
function queryString(query: Record<string, string>): string {
  const encode = (text: string): string => encodeURIComponent(text).replace(/%2C/gi, ",");
  return Object.entries(query)
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .join("&");
}

function topLevelCode(json: unknown): string | undefined {
  if (json !== null && typeof json === "object" && "code" in json && typeof json.code === "string") {
    return json.code;
  }
  return undefined;
}
