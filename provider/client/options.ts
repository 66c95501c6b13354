/**
 * The options of `ZohoWatchClient`, validated once at construction.
 *
 * A bad option used to surface far from its cause: `tokenRefreshMarginMs: NaN` made a token
 * request per call, `timeouts.operationMs: -1` threw a raw ERR_OUT_OF_RANGE from a timer,
 * `timeouts.headersMs: "abc"` looked like a network error. The schema names the option and what
 * it accepts, and lists every problem at once. Messages never include a value (credentials may be
 * among them).
 */
import { DateTime } from "luxon";
import type { Dispatcher } from "undici";
import * as z from "../zod";
import { DATA_CENTRE_NAMES, normaliseOrigin, type DataCentre } from "../zoho/data-centres";
import type { RetryTimer } from "./retry";
import { API_VERSIONS } from "../zoho/rules";
import { formatIssues } from "../zoho/schemas";

// Node's timers hold at most 2^31 - 1 ms (about 24.8 days); a longer delay fires after 1 ms.
const MAX_TIMER_MS = 2_147_483_647;

// Messages follow the option's path (`timeouts.operationMs: must be ...`) and never quote a value.
const timerMs = () =>
  z
    .number({ error: "must be a number of milliseconds" })
    .int("must be a whole number of milliseconds")
    .min(1, "must be at least 1 ms")
    .max(MAX_TIMER_MS, `may be at most ${MAX_TIMER_MS} ms (about 24 days)`);

const durationMs = () =>
  z
    .number({ error: "must be a number of milliseconds" })
    .min(0, "must not be negative")
    .max(MAX_TIMER_MS, `may be at most ${MAX_TIMER_MS} ms (about 24 days)`);

const nonEmpty = () =>
  z.string({ error: "is required (a string)" }).refine((value) => value.trim() !== "", "is required");

const baseUrl = (what: string) =>
  z.string({ error: `${what} must be an http(s) URL` }).superRefine((value, ctx) => {
    try {
      normaliseOrigin(value, what);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message.replace(`${what} `, "") });
    }
  });

/** The message for keys a strict object does not know: a typo would otherwise be ignored. */
function unknownKeys(what: string) {
  return (issue: z.core.$ZodRawIssue): string | undefined =>
    issue.code === "unrecognized_keys"
      ? `unknown ${what}${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}`
      : undefined;
}

const CredentialsSchema = z.object(
  { clientId: nonEmpty(), clientSecret: nonEmpty(), refreshToken: nonEmpty() },
  { error: "is required: { clientId, clientSecret, refreshToken }" },
);

/** Time bounds, all in milliseconds. */
const TimeoutsSchema = z.strictObject(
  {
    /** TCP+TLS connect. Default 10 s. */
    connectMs: timerMs().optional(),
    /** From request sent to response headers received. Default 30 s (undici checks it about once a second). */
    headersMs: timerMs().optional(),
    /** Longest gap between body chunks. Default 30 s. */
    bodyMs: timerMs().optional(),
    /**
     * Overall deadline of one API request: the token fetch it waits for, every attempt and every
     * backoff wait. Each page of a `list` and each request of a split write is one request. Default 60 s.
     */
    operationMs: timerMs().optional(),
  },
  { error: unknownKeys("timeout") },
);

const RetrySchema = z.strictObject(
  {
    /**
     * Attempts in all, the first included. Default 4. `1` disables retries. A 429 or 503 with
     * Retry-After does not count: it is retried while the wait fits `timeouts.operationMs`.
     */
    maxAttempts: z
      .number({ error: "must be a whole number" })
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .optional(),
    /** Base of the exponential backoff. Default 500 ms. */
    baseDelayMs: durationMs().optional(),
    /** Cap of one backoff wait (before jitter). Default 10 s. */
    maxDelayMs: durationMs().optional(),
    /** Longest Retry-After honoured; a longer one ends the call with `ZOHO_RATE_LIMITED`. Default 60 s. */
    maxRetryAfterMs: durationMs().optional(),
  },
  { error: unknownKeys("retry option") },
);

/** The validated options of `ZohoWatchClient`; see {@link ZohoWatchClientOptions} for each key. */
export const ZohoWatchClientOptionsSchema = z.strictObject(
  {
    /** Refresh-token grant credentials. Never logged, never put in an error. */
    credentials: CredentialsSchema,
    /** The org's data centre. Default `US`. */
    dataCentre: z
      .enum(DATA_CENTRE_NAMES as [DataCentre, ...DataCentre[]], {
        error: `must be one of ${DATA_CENTRE_NAMES.join(", ")}`,
      })
      .optional(),
    /** `sandbox` and `developer` orgs use `sandbox.` / `developer.zohoapis.*`. Default `production`. */
    environment: z
      .enum(["production", "sandbox", "developer"], { error: "must be production, sandbox or developer" })
      .optional(),
    /** Accounts server override (emulator, proxy), e.g. `http://127.0.0.1:4000`. */
    accountsUrl: baseUrl("accountsUrl").optional(),
    /** API origin override; when set, the token answer's `api_domain` is ignored. */
    apiDomain: baseUrl("apiDomain").optional(),
    /** Default `v8`. */
    apiVersion: z.enum(API_VERSIONS, { error: `must be one of ${API_VERSIONS.join(", ")}` }).optional(),
    /**
     * Requests in flight at once. Default 5: Zoho's lowest concurrency tier (Free edition); raise it
     * to your edition's limit (Standard 10, Professional 15, Enterprise 20, Ultimate 25).
     */
    concurrency: z
      .number({ error: "must be a whole number" })
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .optional(),
    retry: RetrySchema.optional(),
    timeouts: TimeoutsSchema.optional(),
    /** Renew the access token this long before it expires. Default 60 s. */
    tokenRefreshMarginMs: durationMs().optional(),
    /** After the accounts server throttled token requests, fail fast for this long. Default 60 s. */
    tokenThrottleCooldownMs: durationMs().optional(),
    /** Use this undici dispatcher instead of an own keep-alive Agent (it is not closed by `close()`). */
    dispatcher: z
      .custom<Dispatcher>(
        (value) =>
          value !== null && typeof value === "object" && typeof (value as Dispatcher).request === "function",
        "must be an undici Dispatcher (an Agent, Pool or MockAgent)",
      )
      .optional(),
    /** Default `pulumi-zoho-watch`. */
    userAgent: z
      .string({ error: "must be a string" })
      .regex(/^[\x20-\x7e]+$/, "must be non-empty printable ASCII (it is sent as the User-Agent header)")
      .optional(),
    /**
     * "Now" for the expiry checks: a `channelExpiry` beyond the version's maximum from this instant is
     * refused before sending. Default: the system clock. A provider whose clock is shifted (e.g. for
     * an emulator whose clock was advanced) passes the same clock here.
     */
    clock: z
      .custom<() => DateTime>(
        (value) => typeof value === "function",
        "must be a function returning a luxon DateTime",
      )
      .optional(),
    /**
     * How retries tell time and wait: `now()` (epoch ms) for the operation deadline and Retry-After
     * dates, `sleep(ms, signal)` for backoff and Retry-After waits. Default: the system clock and
     * timers. For tests and simulations that check the waits asked for without spending them.
     */
    timer: z
      .custom<RetryTimer>(
        (value) =>
          value !== null &&
          typeof value === "object" &&
          typeof (value as RetryTimer).now === "function" &&
          typeof (value as RetryTimer).sleep === "function",
        "must be { now(): number, sleep(ms, signal): Promise<void> }",
      )
      .optional(),
    /**
     * How far an answered `channel_expiry` may differ from the requested one before the item fails
     * with `ZOHO_EXPIRY_MISMATCH`. Default {@link DEFAULT_EXPIRY_TOLERANCE_MS} (5 minutes).
     */
    expiryToleranceMs: durationMs().optional(),
  },
  { error: unknownKeys("option") },
);

/** Options of `ZohoWatchClient` (every key but `credentials` is optional). */
export type ZohoWatchClientOptions = z.input<typeof ZohoWatchClientOptionsSchema>;

/** The options after validation. */
export type ValidClientOptions = z.output<typeof ZohoWatchClientOptionsSchema>;

/**
 * The tolerance of the expiry check: 5 minutes. A faithful answer echoes the requested instant
 * (sent in whole seconds; only the offset may differ), so the tolerance only has to absorb rounding
 * Zoho might apply server-side. A silent cut to one hour is always at least 23 hours off (it only
 * happens beyond a maximum of one or seven days), and the one-hour shift an integrator reported is
 * 60 minutes off: 5 minutes stays far from both while leaving room for any rounding to the minute.
 */
export const DEFAULT_EXPIRY_TOLERANCE_MS = 5 * 60_000;

/** Validates `options`; throws a TypeError naming every bad option and what it accepts. */
export function parseClientOptions(options: unknown): ValidClientOptions {
  const parsed = ZohoWatchClientOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issues = formatIssues(parsed.error);
  throw new TypeError(`invalid ZohoWatchClient options:\n  ${issues.join("\n  ")}`);
}

/** The system clock, in UTC. */
export function systemClock(): DateTime {
  return DateTime.utc();
}
