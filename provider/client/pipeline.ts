/**
 * The request pipeline shared by token and API calls: send one request → classify what went
 * wrong → a retryable failure for {@link retryLoop}, or a thrown {@link ZohoError}.
 *
 * Whether a failure may be retried is decided here, once, from the operation's idempotency
 * (operations.ts) and what the failure proves: a refused connect or a 429 proves nothing was
 * applied, a reset or a 5xx does not. Reading an answer that did arrive (a token, watch entries)
 * stays with the caller, oauth.ts or executor.ts.
 */
import {
  sanitizeCause,
  ZohoApiError,
  ZohoClosedError,
  ZohoNetworkError,
  ZohoRateLimitError,
  ZohoTimeoutError,
  type ZohoError,
  type ZohoOperation,
} from "../zoho/errors";
import {
  classifyTransportError,
  failedBeforeSending,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from "./http";
import { OPERATIONS } from "../zoho/operations";
import type { Redactor } from "./redact";
import { isRetryableStatus, parseRetryAfter, type AttemptOutcome, type RetryableFailure } from "./retry";

/** Who sends one exchange, for retry decisions and messages. */
export interface ExchangeContext {
  readonly operation: ZohoOperation;
  /** The server, as messages name it: `Zoho`, or `Zoho's accounts server (https://accounts.zoho.eu)`. */
  readonly peer: string;
  /** Knows every secret the request and its answer may hold. */
  readonly redactor: Redactor;
  /** HTTP attempts of the operation so far, this one included. */
  readonly attempts: number;
  /** Said after a rate-limit message: what the caller can change. */
  readonly rateLimitHint?: string | undefined;
  /** The clock a Retry-After date is read against (the retry loop's); default the system clock. */
  readonly now?: (() => number) | undefined;
}

/** The note of an error that is thrown at once because repeating the request is not safe. */
export const NOT_RETRIED = "not retried: the request may have been applied and repeating it is not safe";

// Zoho's rate-limit codes: other pages say TOO_MANY_REQUESTS, the v8 OpenAPI example says
// RATE_LIMIT_EXCEEDED. Either, like HTTP 429, means the call was refused before anything was done.
const RATE_LIMIT_CODES: ReadonlySet<string> = new Set(["TOO_MANY_REQUESTS", "RATE_LIMIT_EXCEEDED"]);

/** Whether Zoho's `code` says "too many requests". */
export function isRateLimitCode(code: string | undefined): boolean {
  return code !== undefined && RATE_LIMIT_CODES.has(code);
}

/**
 * Sends one request and reads its whole answer. A network failure or timeout becomes a retryable
 * failure when repeating is safe (an idempotent operation, or a request that never left) and is
 * thrown otherwise; a caller's abort is rethrown as is; a closed client throws `ZOHO_CLOSED`.
 */
export async function sendOnce(
  transport: HttpTransport,
  request: HttpRequest,
  context: ExchangeContext,
): Promise<AttemptOutcome<HttpResponse>> {
  try {
    return { ok: true, value: await transport.send(request) };
  } catch (error) {
    const failure = classifyTransportError(error);
    if (failure.kind === "aborted") throw error;
    const { operation, peer, attempts } = context;
    const cause = sanitizeCause(failure.error, (text) => context.redactor.text(text));
    if (failure.kind === "closed") {
      throw new ZohoClosedError("the Zoho client is closed", { operation, attempts, cause });
    }
    const build = (note: string, n: number): ZohoError =>
      failure.kind === "timeout"
        ? new ZohoTimeoutError(`${operation}: ${failure.timeout} timeout talking to ${peer}; ${note}`, {
            operation,
            timeout: failure.timeout,
            attempts: n,
            cause,
          })
        : new ZohoNetworkError(
            `${operation}: network error talking to ${peer} (${cause?.message ?? "unknown"}); ${note}`,
            { operation, attempts: n, cause },
          );
    if (OPERATIONS[operation].idempotent || failedBeforeSending(failure)) {
      return { ok: false, failure: { error: build } };
    }
    throw build(NOT_RETRIED, attempts);
  }
}

/**
 * Whether an answer is one to retry: HTTP 429, 500, 502, 503, 504, or a rate-limit code whatever
 * the status (`zohoCode`: the answer's top-level code, if any).
 */
export function isRetryableAnswer(response: HttpResponse, zohoCode: string | undefined): boolean {
  return isRetryableStatus(response.status) || isRateLimitCode(zohoCode);
}

/**
 * The failure for an answer {@link isRetryableAnswer} accepts: retryable when repeating is safe (a
 * rate limit always is: Zoho refused before doing anything; a 5xx only for idempotent
 * operations, since Zoho may have applied the request first), thrown otherwise.
 */
export function retryableAnswerFailure(
  response: HttpResponse,
  zohoCode: string | undefined,
  context: ExchangeContext,
): { ok: false; failure: RetryableFailure } {
  const { operation, peer, attempts } = context;
  const code = zohoCode === undefined ? undefined : context.redactor.text(zohoCode);
  const retryAfterMs = parseRetryAfter(response.headers["retry-after"], context.now?.());
  const said = `${peer} answered HTTP ${response.status}${code ? ` ${code}` : ""}`;
  const rateLimited = response.status === 429 || isRateLimitCode(zohoCode);
  const build = (note: string, n: number): ZohoError =>
    rateLimited
      ? new ZohoRateLimitError(
          `${operation}: ${said} (concurrency or API credit limit); ${note}.${context.rateLimitHint ? ` ${context.rateLimitHint}` : ""}`,
          { operation, status: response.status, zohoCode: code, attempts: n, retryAfterMs },
        )
      : new ZohoApiError(`${operation}: ${said}; ${note}`, {
          operation,
          status: response.status,
          zohoCode: code,
          attempts: n,
        });
  if (rateLimited || OPERATIONS[operation].idempotent) {
    const deferral = rateLimited ? "rate-limited" : response.status === 503 ? "unavailable" : undefined;
    return { ok: false, failure: { error: build, retryAfterMs, deferral } };
  }
  throw build(NOT_RETRIED, attempts);
}
