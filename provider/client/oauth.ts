/**
 * Access tokens from the refresh-token grant, fetched once and shared.
 *
 * Zoho allows about 10 token requests per 10 minutes and 10 live access tokens per refresh token,
 * so a Pulumi run must not fetch a token per resource. The source fetches lazily (a preview that
 * makes no API call makes no token request), shares one in-flight request among all concurrent
 * callers (single flight), and reuses the token until shortly before it expires.
 */
import { Deadline, raceAbort } from "./deadline";
import { normaliseOrigin, type ResolvedEndpoints } from "../zoho/data-centres";
import {
  ZohoAuthError,
  ZohoClosedError,
  ZohoError,
  ZohoRateLimitError,
  ZohoTimeoutError,
  ZohoUnexpectedAnswerError,
} from "../zoho/errors";
import type { HttpTransport } from "./http";
import { parseZohoJson } from "./json";
import { retryableAnswerFailure, sendOnce, type ExchangeContext } from "./pipeline";
import { redactUrl, type Redactor } from "./redact";
import {
  isRetryableStatus,
  parseRetryAfter,
  retryLoop,
  SYSTEM_TIMER,
  type AttemptOutcome,
  type RetryOptions,
  type RetryTimer,
} from "./retry";
import { TokenAnswerSchema, TokenErrorAnswerSchema } from "../zoho/schemas";

/** The three values of Zoho's refresh-token grant (a "self client" or server-based client). */
export interface ZohoCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** An access token and the API origin it is for. */
export interface AccessToken {
  readonly value: string;
  /** API origin to use with this token (explicit override, sandbox host, or the answer's api_domain). */
  readonly apiDomain: string;
  /** Epoch ms when Zoho will stop accepting it. */
  readonly expiresAt: number;
}

/** Options of {@link OAuthTokenSource}. */
export interface OAuthTokenSourceOptions {
  credentials: ZohoCredentials;
  endpoints: ResolvedEndpoints;
  transport: HttpTransport;
  /** The client's redactor: credentials are registered on it, and every token fetched. */
  redactor: Redactor;
  retry: RetryOptions;
  /** Time bound of one token fetch, all attempts included. */
  timeoutMs: number;
  /** Renew this long before expiry. Default 60 s (capped at half the token's lifetime). */
  refreshMarginMs?: number | undefined;
  /**
   * After the accounts server throttled us, fail fast for this long instead of asking again (each
   * request would extend the throttle). Default 60 s.
   */
  throttleCooldownMs?: number | undefined;
  userAgent: string;
  /** Clock and sleep of the retry loop; default the system's. */
  timer?: RetryTimer | undefined;
}

const TOKEN_PATH = "/oauth/v2/token";
const DEFAULT_LIFETIME_S = 3600;

/** Fetches, caches and shares access tokens. */
export class OAuthTokenSource {
  private current: IssuedToken | undefined;
  private pending: Promise<AccessToken> | undefined;
  // A refused credential stays refused for this run: asking again would only burn the token quota.
  private refused: ZohoError | undefined;
  private throttled: { error: ZohoError; until: number } | undefined;
  private closed = false;
  private requestCount = 0;
  private readonly margin: number;
  private readonly cooldown: number;

  constructor(private readonly options: OAuthTokenSourceOptions) {
    options.redactor.add(options.credentials.clientSecret, options.credentials.refreshToken);
    this.margin = options.refreshMarginMs ?? 60_000;
    this.cooldown = options.throttleCooldownMs ?? 60_000;
  }

  /** Token HTTP requests made so far (each attempt counts). */
  get requests(): number {
    return this.requestCount;
  }

  /**
   * A valid access token: the cached one, the one being fetched, or a new one.
   * `signal` only stops this caller's wait; a shared fetch continues for the others.
   */
  get(signal?: AbortSignal): Promise<AccessToken> {
    if (this.closed)
      return Promise.reject(new ZohoClosedError("the Zoho client is closed", { operation: "token" }));
    if (this.refused) return Promise.reject(this.refused);
    if (this.throttled && Date.now() < this.throttled.until) return Promise.reject(this.throttled.error);
    const current = this.current;
    if (current && Date.now() < current.expiresAt - this.marginFor(current)) return Promise.resolve(current);
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return raceAbort(this.pending, signal);
  }

  /**
   * Drops `rejected` after Zoho refused it (INVALID_TOKEN), so the next {@link get} fetches a new
   * one. A token other callers already replaced is left alone: concurrent 401s cause one refresh.
   */
  invalidate(rejected: AccessToken): void {
    if (this.current === rejected) this.current = undefined;
  }

  /** Stops handing out tokens. */
  close(): void {
    this.closed = true;
    this.current = undefined;
  }

  private marginFor(token: IssuedToken): number {
    // Short-lived tokens (tests, emulators) would otherwise be renewed on every call.
    return Math.min(this.margin, (token.expiresAt - token.issuedAt) / 2);
  }

  private async fetch(): Promise<IssuedToken> {
    const timer = this.options.timer ?? SYSTEM_TIMER;
    const deadline = new Deadline(this.options.timeoutMs, undefined, () => timer.now());
    let attempts = 0;
    try {
      const token = await retryLoop(
        (): Promise<AttemptOutcome<IssuedToken>> => {
          attempts += 1;
          return this.attemptOnce(deadline, attempts);
        },
        {
          options: this.options.retry,
          expiresAt: deadline.expiresAt,
          signal: deadline.signal,
          attempts: () => attempts,
          // No `deadline`: every token request counts against Zoho's ~10 per 10 minutes, so even
          // a 429 with Retry-After stays bounded by retry.maxAttempts here.
          timer,
        },
      );
      this.current = token;
      return token;
    } catch (error) {
      if (error instanceof ZohoError) {
        if (error instanceof ZohoAuthError) this.refused = error;
        if (error instanceof ZohoRateLimitError)
          this.throttled = { error, until: Date.now() + this.cooldown };
        throw error;
      }
      if (deadline.timedOut) {
        throw new ZohoTimeoutError(
          `no access token from ${this.accountsLabel()} within ${this.options.timeoutMs} ms (${attempts} attempts)`,
          { operation: "token", timeout: "operation", attempts },
        );
      }
      throw error;
    }
  }

  private accountsLabel(): string {
    return redactUrl(this.options.endpoints.accountsUrl);
  }

  private async attemptOnce(deadline: Deadline, attempts: number): Promise<AttemptOutcome<IssuedToken>> {
    const { credentials, redactor } = this.options;
    const body = new URLSearchParams({
      grant_type: "refresh_token",
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      refresh_token: credentials.refreshToken,
    }).toString();
    this.requestCount += 1;
    const where = this.accountsLabel();
    const context: ExchangeContext = {
      operation: "token",
      peer: `Zoho's accounts server (${where})`,
      redactor,
      attempts,
      now: () => (this.options.timer ?? SYSTEM_TIMER).now(),
    };
    // Secrets go in the form body, not the query string Zoho's docs show: URLs end up in logs.
    const sent = await sendOnce(
      this.options.transport,
      {
        method: "POST",
        url: new URL(`${this.options.endpoints.accountsUrl}${TOKEN_PATH}`),
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          "user-agent": this.options.userAgent,
        },
        body,
        signal: deadline.signal,
      },
      context,
    );
    if (!sent.ok) return sent;
    const response = sent.value;

    let json: unknown;
    try {
      json = parseZohoJson(response.text);
    } catch {
      json = undefined;
    }
    const ok = TokenAnswerSchema.safeParse(json);
    if (response.status === 200 && ok.success) {
      const answer = ok.data;
      redactor.add(answer.access_token);
      // Old form: expires_in_sec in seconds with expires_in in milliseconds.
      const lifetimeS = answer.expires_in_sec ?? answer.expires_in ?? DEFAULT_LIFETIME_S;
      const issuedAt = Date.now();
      return {
        ok: true,
        value: {
          value: answer.access_token,
          apiDomain: this.apiDomainFrom(answer.api_domain),
          expiresAt: issuedAt + lifetimeS * 1000,
          issuedAt,
        },
      };
    }

    const oauthError = TokenErrorAnswerSchema.safeParse(json);
    const base = { operation: "token" as const, status: response.status, attempts };
    if (oauthError.success) {
      const code = oauthError.data.error;
      const description = oauthError.data.error_description ?? "";
      if (isThrottle(code, description) || response.status === 429) {
        throw new ZohoRateLimitError(
          `Zoho's accounts server (${where}) is throttling token requests ("${redactor.text(code)}": too many requests). ` +
            "Wait a few minutes before trying again, and share one client (one token) per run: Zoho allows about 10 token requests per 10 minutes.",
          { ...base, zohoCode: code, retryAfterMs: parseRetryAfter(response.headers["retry-after"]) },
        );
      }
      if (code === "invalid_client" || code === "invalid_client_secret") {
        throw new ZohoAuthError(
          `Zoho's accounts server (${where}) refused the client credentials (${code}): check the client id and client secret, ` +
            "and that the client was registered in this data centre.",
          { ...base, zohoCode: code, credential: "client" },
        );
      }
      if (code === "invalid_code") {
        throw new ZohoAuthError(
          `Zoho's accounts server (${where}) refused the refresh token (invalid_code): check the refresh token — it is wrong, ` +
            "revoked, issued to another client, or issued in another data centre. Generate a new one with the ZohoCRM.notifications.ALL scope.",
          { ...base, zohoCode: code, credential: "refreshToken" },
        );
      }
      if (!isRetryableStatus(response.status)) {
        throw new ZohoAuthError(
          `Zoho's accounts server (${where}) refused the token request (${redactor.text(code)}${description ? `: ${redactor.text(description)}` : ""}).`,
          { ...base, zohoCode: code, credential: "unknown" },
        );
      }
    }
    if (response.status === 429) {
      throw new ZohoRateLimitError(
        `Zoho's accounts server (${where}) is throttling token requests (HTTP 429). Wait a few minutes before trying again.`,
        { ...base, retryAfterMs: parseRetryAfter(response.headers["retry-after"]) },
      );
    }
    if (isRetryableStatus(response.status)) return retryableAnswerFailure(response, undefined, context);
    throw new ZohoUnexpectedAnswerError(
      `token request to ${where} got an unexpected answer (HTTP ${response.status})`,
      base,
    );
  }

  private apiDomainFrom(answered: string | undefined): string {
    const { endpoints } = this.options;
    if (endpoints.apiDomainPinned || answered === undefined) return endpoints.apiDomain;
    try {
      return normaliseOrigin(answered, "api_domain");
    } catch {
      // An unusable api_domain: the configured data centre's host is the best remaining guess.
      return endpoints.apiDomain;
    }
  }
}

interface IssuedToken extends AccessToken {
  readonly issuedAt: number;
}

function isThrottle(code: string, description: string): boolean {
  return /access denied/i.test(code) || /too many requests/i.test(description);
}
