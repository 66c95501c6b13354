import { randomBytes } from "node:crypto";
import { Response } from "undici";
import type { Clock } from "../shared/clock";
import type { Operation } from "../control/contract";
import { json, type HttpAnswer } from "../shared/http-io";

/**
 * Zoho's accounts server, reduced to what the watch API needs: the refresh-token grant, its errors
 * (HTTP 200 with an `error` key), its throttle, the cap on live access tokens, and checking the
 * `Authorization: Zoho-oauthtoken <token>` header of API calls.
 */

export interface OAuthCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

/** At most `max` token requests per rolling `windowSeconds` of emulator time. */
export interface TokenRateLimit {
  readonly max: number;
  readonly windowSeconds: number;
}

/** Zoho keeps at most this many live access tokens per refresh token; a new one evicts the oldest. */
export const MAX_LIVE_ACCESS_TOKENS = 10;

export interface IssuedToken {
  readonly token: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface StoredTokens {
  accessTokens: IssuedToken[];
  refreshTokenRevoked: boolean;
  /** Emulator times of answered token requests, for the throttle. */
  grantTimes: number[];
}

export const THROTTLED_BODY = {
  error: "Access Denied",
  error_description: "You have made too many requests continuously. Please try again after some time.",
} as const;

export interface OAuthServerOptions {
  readonly credentials: OAuthCredentials;
  readonly scopes: readonly string[];
  readonly accessTokenTtlSeconds: number;
  readonly rateLimit: TokenRateLimit | false;
  readonly clock: Clock;
  /** The emulator's base URL, answered as `api_domain`. */
  readonly apiDomain: () => string;
  readonly onChange: () => void;
}

export class OAuthServer {
  private state: StoredTokens = { accessTokens: [], refreshTokenRevoked: false, grantTimes: [] };

  constructor(private readonly options: OAuthServerOptions) {}

  /** Answers `POST /oauth/v2/token` given its parameters (query string and body merged). */
  grant(params: ReadonlyMap<string, string>): HttpAnswer {
    const { credentials, rateLimit, clock } = this.options;
    const now = clock.nowMs();
    if (rateLimit !== false) {
      const windowStart = now - rateLimit.windowSeconds * 1000;
      this.state.grantTimes = this.state.grantTimes.filter((time) => time > windowStart);
      if (this.state.grantTimes.length >= rateLimit.max) return json(400, THROTTLED_BODY);
    }
    this.state.grantTimes.push(now);
    this.options.onChange();

    if (params.get("grant_type") !== "refresh_token") return json(200, { error: "unsupported_grant_type" });
    if (
      params.get("client_id") !== credentials.clientId ||
      params.get("client_secret") !== credentials.clientSecret
    ) {
      return json(200, { error: "invalid_client" });
    }
    if (params.get("refresh_token") !== credentials.refreshToken || this.state.refreshTokenRevoked) {
      return json(200, { error: "invalid_code" });
    }

    const ttlMs = this.options.accessTokenTtlSeconds * 1000;
    const live = this.state.accessTokens.filter((issued) => issued.expiresAt > now);
    while (live.length >= MAX_LIVE_ACCESS_TOKENS) live.shift();
    const token = `1000.${randomBytes(16).toString("hex")}.${randomBytes(16).toString("hex")}`;
    live.push({ token, issuedAt: now, expiresAt: now + ttlMs });
    this.state.accessTokens = live;
    return json(200, {
      access_token: token,
      scope: this.options.scopes.join(" "),
      api_domain: this.options.apiDomain(),
      token_type: "Bearer",
      expires_in: this.options.accessTokenTtlSeconds,
    });
  }

  /** The granted scopes when the Authorization header carries a live access token. */
  authenticate(authorization: string | undefined): readonly string[] | undefined {
    const match = /^Zoho-oauthtoken\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match) return undefined;
    const now = this.options.clock.nowMs();
    const issued = this.state.accessTokens.find((candidate) => candidate.token === match[1]);
    return issued && issued.expiresAt > now ? this.options.scopes : undefined;
  }

  expireAccessTokens(): void {
    this.state.accessTokens = [];
    this.options.onChange();
  }

  revokeRefreshToken(): void {
    // Revoking a refresh token also kills the access tokens it produced.
    this.state = { ...this.state, accessTokens: [], refreshTokenRevoked: true };
    this.options.onChange();
  }

  toStored(): StoredTokens {
    return structuredClone(this.state);
  }

  restore(stored: StoredTokens): void {
    this.state = structuredClone(stored);
  }

  clear(): void {
    this.state = { accessTokens: [], refreshTokenRevoked: false, grantTimes: [] };
  }
}

/**
 * Token request parameters from the query string and the body (urlencoded or multipart, the form
 * Zoho's Node SDKs send); body values win. An unreadable body counts as no body.
 */
export async function readTokenParams(
  query: URLSearchParams,
  contentType: string | undefined,
  body: Buffer,
): Promise<Map<string, string>> {
  const params = new Map(query);
  const type = (contentType ?? "").toLowerCase();
  try {
    if (type.startsWith("application/x-www-form-urlencoded")) {
      for (const [key, value] of new URLSearchParams(body.toString("utf8"))) params.set(key, value);
    } else if (type.startsWith("multipart/form-data")) {
      const form = await new Response(body, { headers: { "content-type": contentType ?? "" } }).formData();
      for (const [key, value] of form) if (typeof value === "string") params.set(key, value);
    }
  } catch {
    // A malformed body leaves only the query parameters, so the answer is invalid_client, as from Zoho.
  }
  return params;
}

/** Scope suffixes (after `ZohoCRM.notifications.`) that allow each watch operation; ALL allows all. */
const ALLOWED_SCOPES: Readonly<Record<Exclude<Operation, "token">, readonly string[]>> = {
  list: ["READ"],
  enable: ["CREATE", "WRITE"],
  update: ["UPDATE", "WRITE"],
  patch: ["UPDATE", "WRITE"],
  disableEvents: ["UPDATE", "DELETE", "WRITE"],
  disable: ["DELETE", "WRITE"],
};

export function scopeAllows(scopes: readonly string[], operation: Exclude<Operation, "token">): boolean {
  return scopes.some((scope) => {
    const suffix = /^ZohoCRM\.notifications\.(\w+)$/i.exec(scope)?.[1]?.toUpperCase();
    return suffix !== undefined && (suffix === "ALL" || ALLOWED_SCOPES[operation].includes(suffix));
  });
}
