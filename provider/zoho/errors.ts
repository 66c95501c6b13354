/**
 * The one error hierarchy of the Zoho client.
 *
 * Every error is a {@link ZohoError} with a stable {@link ZohoError.code} (switch on it, not on
 * messages) and the facts a caller needs: the operation, the HTTP status, Zoho's own code, the
 * details Zoho sent (redacted), and how many attempts were made. Messages and details are
 * redacted before they reach the `Error` constructor, so neither `String(err)`, `err.stack` nor
 * `JSON.stringify(err)` can carry a secret; the underlying transport error, when kept as `cause`,
 * is replaced by a redacted copy for the same reason.
 */

/** Stable error codes. */
export type ZohoErrorCode =
  | "ZOHO_AUTH"
  | "ZOHO_VALIDATION"
  | "ZOHO_NOT_FOUND"
  | "ZOHO_RATE_LIMITED"
  | "ZOHO_NETWORK"
  | "ZOHO_TIMEOUT"
  | "ZOHO_API"
  | "ZOHO_UNEXPECTED_ANSWER"
  | "ZOHO_EXPIRY_MISMATCH"
  | "ZOHO_CLOSED";

/** The operations the client performs; `token` is the OAuth refresh grant. */
export type ZohoOperation =
  "token" | "org" | "enable" | "list" | "update" | "patch" | "disableEvents" | "disable";

/** What every error may carry. All fields are already redacted. */
export interface ZohoErrorInit {
  operation?: ZohoOperation | undefined;
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number | undefined;
  /** Zoho's code, e.g. `INVALID_DATA`, `NOT_SUBSCRIBED`, `invalid_client`. */
  zohoCode?: string | undefined;
  /** Zoho's `details` object (or client-side facts), redacted. */
  details?: Readonly<Record<string, unknown>> | undefined;
  /** HTTP attempts made for the operation (including retries) when the error was raised. */
  attempts?: number | undefined;
  /** The channel the error is about, when it is about one. */
  channelId?: string | undefined;
  /** The lower-level error, already redacted (see {@link sanitizeCause}). */
  cause?: Error | undefined;
}

/** Base class: never thrown itself, `instanceof ZohoError` catches every error of this client. */
export abstract class ZohoError extends Error {
  /** Stable code, one per subclass. */
  abstract readonly code: ZohoErrorCode;
  readonly operation: ZohoOperation | undefined;
  readonly status: number | undefined;
  readonly zohoCode: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;
  readonly attempts: number | undefined;
  readonly channelId: string | undefined;

  constructor(message: string, init: ZohoErrorInit = {}) {
    super(message, init.cause ? { cause: init.cause } : undefined);
    this.name = new.target.name;
    this.operation = init.operation;
    this.status = init.status;
    this.zohoCode = init.zohoCode;
    this.details = init.details ?? {};
    this.attempts = init.attempts;
    this.channelId = init.channelId;
  }

  /** A plain, redacted view for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      operation: this.operation,
      status: this.status,
      zohoCode: this.zohoCode,
      channelId: this.channelId,
      details: this.details,
      attempts: this.attempts,
    };
  }
}

/** Which credential an authentication failure points at. */
export type ZohoCredential =
  /** client id / client secret (`invalid_client`) */
  | "client"
  /** the refresh token (`invalid_code`) */
  | "refreshToken"
  /** an access token Zoho refused even right after a refresh */
  | "accessToken"
  /** the token lacks the `ZohoCRM.notifications.*` scope or the user lacks permission */
  | "scope"
  /** an OAuth answer this client does not recognise */
  | "unknown";

/** `ZOHO_AUTH`: credentials or scopes were refused. Retrying with the same credentials will not help. */
export class ZohoAuthError extends ZohoError {
  readonly code = "ZOHO_AUTH";
  readonly credential: ZohoCredential;
  constructor(message: string, init: ZohoErrorInit & { credential: ZohoCredential }) {
    super(message, init);
    this.credential = init.credential;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), credential: this.credential };
  }
}

/**
 * `ZOHO_VALIDATION`: the request was refused as invalid, by Zoho (`zohoCode` set, e.g.
 * `INVALID_DATA`) or by this client before sending (`zohoCode` undefined, `issues` set).
 */
export class ZohoValidationError extends ZohoError {
  readonly code = "ZOHO_VALIDATION";
  /** The field Zoho named (`details.api_name`). */
  readonly apiName: string | undefined;
  /** Where in the request body (`details.json_path`, e.g. `$.watch[0].token`). */
  readonly jsonPath: string | undefined;
  /** Client-side findings, one line each, with the property path the caller wrote. */
  readonly issues: readonly string[];
  constructor(message: string, init: ZohoErrorInit & { issues?: readonly string[] } = {}) {
    super(message, init);
    const apiName = init.details?.["api_name"];
    const jsonPath = init.details?.["json_path"];
    this.apiName = typeof apiName === "string" ? apiName : undefined;
    this.jsonPath = typeof jsonPath === "string" ? jsonPath : undefined;
    this.issues = init.issues ?? [];
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), apiName: this.apiName, jsonPath: this.jsonPath, issues: this.issues };
  }
}

/**
 * `ZOHO_NOT_FOUND`: the channel is not subscribed (`NOT_SUBSCRIBED`). For disable operations this
 * means the work is already done — see {@link isAlreadyGone}.
 */
export class ZohoNotFoundError extends ZohoError {
  readonly code = "ZOHO_NOT_FOUND";
}

/** `ZOHO_RATE_LIMITED`: Zoho's API (HTTP 429) or accounts server (token throttle) asked us to slow down. */
export class ZohoRateLimitError extends ZohoError {
  readonly code = "ZOHO_RATE_LIMITED";
  /** How long Zoho asked to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, init: ZohoErrorInit & { retryAfterMs?: number | undefined } = {}) {
    super(message, init);
    this.retryAfterMs = init.retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** `ZOHO_NETWORK`: the connection failed or broke (refused, reset, closed before the answer). */
export class ZohoNetworkError extends ZohoError {
  readonly code = "ZOHO_NETWORK";
}

/** Which time bound ran out. */
export type ZohoTimeoutKind = "connect" | "headers" | "body" | "operation";

/** `ZOHO_TIMEOUT`: a connect/headers/body timeout, or the overall deadline of the operation. */
export class ZohoTimeoutError extends ZohoError {
  readonly code = "ZOHO_TIMEOUT";
  readonly timeout: ZohoTimeoutKind;
  constructor(message: string, init: ZohoErrorInit & { timeout: ZohoTimeoutKind }) {
    super(message, init);
    this.timeout = init.timeout;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeout: this.timeout };
  }
}

/** `ZOHO_API`: any other error Zoho answered (entry errors, 5xx after retries, unreadable answers). */
export class ZohoApiError extends ZohoError {
  readonly code = "ZOHO_API";
}

/**
 * `ZOHO_UNEXPECTED_ANSWER`: Zoho answered, but not in a shape this client can read (not JSON, an
 * empty body where a list was due, missing keys). Nothing may be concluded from such an answer —
 * in particular not that a channel is gone, which would leave it orphaned. Usually transient
 * (a proxy, a deploy on Zoho's side): retry the call later.
 */
export class ZohoUnexpectedAnswerError extends ZohoError {
  readonly code = "ZOHO_UNEXPECTED_ANSWER";
}

/** Which way an answered expiry missed the requested one. */
export type ExpiryMismatchDirection = "earlier" | "later";

/**
 * `ZOHO_EXPIRY_MISMATCH`: Zoho applied a write but answered a `channel_expiry` that differs from
 * the requested one by more than the client's tolerance. Earlier almost always means Zoho's silent
 * cut to one hour: the expiry was beyond the version's maximum by Zoho's clock (this machine's
 * clock runs ahead of Zoho's, or the maximum was asked for). The channel exists and expires at
 * {@link answeredExpiry}; treating the write as a success would leave a channel that dies early.
 */
export class ZohoExpiryMismatchError extends ZohoError {
  readonly code = "ZOHO_EXPIRY_MISMATCH";
  /** The expiry sent, ISO-8601 with offset. */
  readonly requestedExpiry: string;
  /** The expiry Zoho answered, ISO-8601 with the offset Zoho used. */
  readonly answeredExpiry: string;
  readonly direction: ExpiryMismatchDirection;
  constructor(
    message: string,
    init: ZohoErrorInit & {
      requestedExpiry: string;
      answeredExpiry: string;
      direction: ExpiryMismatchDirection;
    },
  ) {
    super(message, init);
    this.requestedExpiry = init.requestedExpiry;
    this.answeredExpiry = init.answeredExpiry;
    this.direction = init.direction;
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      requestedExpiry: this.requestedExpiry,
      answeredExpiry: this.answeredExpiry,
      direction: this.direction,
    };
  }
}

/** `ZOHO_CLOSED`: the client was closed before or during the call. */
export class ZohoClosedError extends ZohoError {
  readonly code = "ZOHO_CLOSED";
}

/** True for every error raised by this client. */
export function isZohoError(value: unknown): value is ZohoError {
  return value instanceof ZohoError;
}

/**
 * True when a disable operation failed only because the channel (or event) is already gone, so a
 * caller deleting it can treat the outcome as done. This also covers a retry whose first attempt
 * succeeded but whose answer was lost.
 */
export function isAlreadyGone(error: unknown): boolean {
  return error instanceof ZohoNotFoundError;
}

/**
 * A copy of a lower-level error that keeps its name, code and (redacted) message but drops
 * everything else it may reference (sockets, request options), so inspecting `err.cause` cannot
 * reveal a secret either.
 */
export function sanitizeCause(error: unknown, redact: (text: string) => string): Error | undefined {
  if (!(error instanceof Error)) return undefined;
  const copy = new Error(redact(error.message));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    (copy as Error & { code?: string }).code = code;
  }
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}
