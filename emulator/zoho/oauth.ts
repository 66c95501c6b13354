import { randomBytes } from "node:crypto";
import { Response } from "undici";
import type { Clock } from "../shared/clock";
import type { Operation } from "../shared/operations";
import { json, type HttpAnswer } from "../shared/http-io";

/**
 * Zoho's accounts server, reduced to what the watch API needs: the refresh-token grant, its errors
 * (HTTP 200 with an `error` key), its throttle, the cap on live access tokens, and checking the
 * `Authorization: Zoho-oauthtoken <token>` header of API calls. Every refresh token belongs to one
 * org, and so does every access token minted from it: that is how an API call knows its org.
 */

export interface OAuthCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

/** The credentials of one org: its refresh token acts in that org only. */
export interface OrgCredentials {
  readonly orgId: string;
  readonly credentials: OAuthCredentials;
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
  /** The org of the refresh token it was minted from. */
  readonly orgId: string;
}

export interface StoredTokens {
  accessTokens: IssuedToken[];
  /** Orgs whose refresh token was revoked. */
  revokedOrgIds: string[];
  /** Emulator times of answered token requests, for the throttle. */
  grantTimes: number[];
}

/** Who an API call's access token acts for. */
export interface Authenticated {
  readonly orgId: string;
  readonly scopes: readonly string[];
}

export const THROTTLED_BODY = {
  error: "Access Denied",
  error_description: "You have made too many requests continuously. Please try again after some time.",
} as const;

export interface OAuthServerOptions {
  /** Every org's credentials (the list can grow while the emulator runs). */
  readonly orgs: () => readonly OrgCredentials[];
  readonly scopes: readonly string[];
  readonly accessTokenTtlSeconds: number;
  readonly rateLimit: TokenRateLimit | false;
  readonly clock: Clock;
  /** The emulator's base URL, answered as `api_domain`. */
  readonly apiDomain: () => string;
  readonly onChange: () => void;
}

function emptyState(): StoredTokens {
  return { accessTokens: [], revokedOrgIds: [], grantTimes: [] };
}

export class OAuthServer {
  private state: StoredTokens = emptyState();

  constructor(private readonly options: OAuthServerOptions) {}

  /** Answers `POST /oauth/v2/token` given its parameters (query string and body merged). */
  grant(params: ReadonlyMap<string, string>): HttpAnswer {
    const { rateLimit, clock } = this.options;
    const now = clock.nowMs();
    if (rateLimit !== false) {
      // One throttle for the whole emulator, whichever org asks: stricter than Zoho's per refresh token.
      const windowStart = now - rateLimit.windowSeconds * 1000;
      this.state.grantTimes = this.state.grantTimes.filter((time) => time > windowStart);
      if (this.state.grantTimes.length >= rateLimit.max) return json(400, THROTTLED_BODY);
    }
    this.state.grantTimes.push(now);
    this.options.onChange();

    if (params.get("grant_type") !== "refresh_token") return json(200, { error: "unsupported_grant_type" });
    const orgs = this.options.orgs();
    const clientMatches = ({ credentials }: OrgCredentials) =>
      params.get("client_id") === credentials.clientId &&
      params.get("client_secret") === credentials.clientSecret;
    // The client is checked first, as Zoho does: a client no org knows is invalid_client.
    if (!orgs.some(clientMatches)) return json(200, { error: "invalid_client" });
    const org = orgs.find(({ credentials }) => credentials.refreshToken === params.get("refresh_token"));
    // A refresh token issued to another client, unknown, or revoked: invalid_code.
    if (!org || !clientMatches(org) || this.state.revokedOrgIds.includes(org.orgId)) {
      return json(200, { error: "invalid_code" });
    }

    const ttlMs = this.options.accessTokenTtlSeconds * 1000;
    const live = this.state.accessTokens.filter((issued) => issued.expiresAt > now);
    const ofOrg = live.filter((issued) => issued.orgId === org.orgId);
    // At most MAX_LIVE_ACCESS_TOKENS per refresh token: the oldest of this org's are evicted.
    const evicted = new Set(ofOrg.slice(0, Math.max(0, ofOrg.length - MAX_LIVE_ACCESS_TOKENS + 1)));
    const token = `1000.${randomBytes(16).toString("hex")}.${randomBytes(16).toString("hex")}`;
    this.state.accessTokens = [
      ...live.filter((issued) => !evicted.has(issued)),
      { token, issuedAt: now, expiresAt: now + ttlMs, orgId: org.orgId },
    ];
    return json(200, {
      access_token: token,
      scope: this.options.scopes.join(" "),
      api_domain: this.options.apiDomain(),
      token_type: "Bearer",
      expires_in: this.options.accessTokenTtlSeconds,
    });
  }

  /** The org and granted scopes when the Authorization header carries a live access token. */
  authenticate(authorization: string | undefined): Authenticated | undefined {
    const match = /^Zoho-oauthtoken\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match) return undefined;
    const now = this.options.clock.nowMs();
    const issued = this.state.accessTokens.find((candidate) => candidate.token === match[1]);
    return issued && issued.expiresAt > now
      ? { orgId: issued.orgId, scopes: this.options.scopes }
      : undefined;
  }

  expireAccessTokens(): void {
    this.state.accessTokens = [];
    this.options.onChange();
  }

  /** Revokes one org's refresh token; it also kills the access tokens it produced. */
  revokeRefreshToken(orgId: string): void {
    this.state = {
      ...this.state,
      accessTokens: this.state.accessTokens.filter((issued) => issued.orgId !== orgId),
      revokedOrgIds: [...new Set([...this.state.revokedOrgIds, orgId])],
    };
    this.options.onChange();
  }

  toStored(): StoredTokens {
    return structuredClone(this.state);
  }

  restore(stored: StoredTokens): void {
    this.state = structuredClone(stored);
  }

  clear(): void {
    this.state = emptyState();
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
const ALLOWED_SCOPES: Readonly<Record<Exclude<Operation, "token" | "org">, readonly string[]>> = {
  list: ["READ"],
  enable: ["CREATE", "WRITE"],
  update: ["UPDATE", "WRITE"],
  patch: ["UPDATE", "WRITE"],
  disableEvents: ["UPDATE", "DELETE", "WRITE"],
  disable: ["DELETE", "WRITE"],
};

/** Whether `scopes` allow an API operation: `ZohoCRM.org.READ` (or ALL) for the org, `ZohoCRM.notifications.*` for the watch API. */
export function scopeAllows(scopes: readonly string[], operation: Exclude<Operation, "token">): boolean {
  if (operation === "org") return scopes.some((scope) => /^ZohoCRM\.org\.(ALL|READ)$/i.test(scope));
  return scopes.some((scope) => {
    const suffix = /^ZohoCRM\.notifications\.(\w+)$/i.exec(scope)?.[1]?.toUpperCase();
    return suffix !== undefined && (suffix === "ALL" || ALLOWED_SCOPES[operation].includes(suffix));
  });
}
