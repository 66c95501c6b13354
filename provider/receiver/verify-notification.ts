/**
 * The receiving end: is this POST to a notify_url a notification Zoho sent for a channel this stack
 * declared? And what does it say?
 *
 * Zoho signs nothing. The only proof of origin is the `token` the channel was created with, echoed in
 * every notification body next to the `channel_id`; so a receiver must compare both against what it
 * declared (the WatchChannel's `channelId` and `token` outputs) before trusting anything else in it.
 * A token proves nothing about *when* a body was sent: a captured notification replays with its
 * token intact, which the optional maximum age (against `server_time`) bounds but cannot prevent.
 */
import "../node-version"; // first: a clear error on a too old Node.js
import { createHash, timingSafeEqual } from "node:crypto";
import * as z from "../zod";
import { ChannelIdSchema, formatIssues, type ChannelIdLike } from "../zoho/schemas";
import { checkFreshness, DEFAULT_CLOCK_SKEW_MS, readDuration, type FreshnessPolicy } from "./freshness";
import type { DurationLike } from "./freshness";

export { DEFAULT_CLOCK_SKEW_MS, type DurationLike };

/** A channel the receiver accepts notifications for: its id and the token(s) it was declared with. */
export interface ExpectedChannel {
  /** The channel id (the WatchChannel's `channelId` output): a decimal string, or a bigint. */
  channelId: ChannelIdLike;
  /**
   * The verification token (the WatchChannel's `token` output), 1–50 characters; or several while a
   * token change rolls out (the old and the new one: see docs/receiving.md, "Rotating the token"). Each is
   * compared in constant time.
   */
  token: string | readonly string[];
}

/**
 * The largest body {@link verifyNotification} reads by default: 256 KiB. A notification names a
 * channel, a module and the changed record ids (with their changed values when the channel asked
 * for them): a few hundred bytes to a few KiB. Parsing keeps every digit of Zoho's ids, which costs
 * far more per byte than a plain `JSON.parse`, so an oversized body is refused before it is parsed.
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** Options of {@link verifyNotification} and {@link createNotificationVerifier}. */
export interface VerifierOptions {
  /**
   * Largest raw body (string or Buffer) accepted, in bytes; larger ones are refused with
   * `BODY_TOO_LARGE` before parsing. Default {@link DEFAULT_MAX_BODY_BYTES}; `Infinity` turns the
   * cap off. An object parsed elsewhere is not measured: cap the body where it is read.
   */
  maxBodyBytes?: number;
  /**
   * Refuse notifications whose `server_time` is older than this (`TOO_OLD`): milliseconds or an
   * ISO-8601 duration such as `"PT5M"`. Off by default. It bounds how long a captured notification
   * can be replayed; keep it well above Zoho's delivery delay plus the clocks' skew.
   */
  maxAge?: DurationLike;
  /**
   * With {@link maxAge}: how far ahead of the receiver's clock `server_time` may be before the
   * notification is refused (`FROM_THE_FUTURE`). Default one minute.
   */
  clockSkew?: DurationLike;
  /** The receiver's clock in epoch milliseconds, for {@link maxAge}. Default `Date.now`. */
  now?: () => number;
}

/** What a record change was, as the notification says it (not the subscription verbs create/edit). */
export type NotificationOperation = "insert" | "update" | "delete";

/** The fields an edit changed on one record (`affected_fields`). */
export interface AffectedFields {
  recordId: string;
  fields: string[];
}

/** The new values of one record (`affected_values`, channels with `returnAffectedFieldValues`). */
export interface AffectedValues {
  recordId: string;
  values: Record<string, unknown>;
}

/** A verified notification, camelCase. Every id is a decimal string: Zoho ids exceed 2^53. */
export interface ZohoNotification {
  /** When Zoho sent it, epoch milliseconds (`server_time`). */
  serverTime: number;
  /** {@link serverTime} as a Date. */
  serverDate: Date;
  /** The notify_url's query string, as Zoho echoes it. */
  queryParams: Record<string, string>;
  /** Module API name, e.g. `Deals`. */
  module: string;
  /** e.g. `https://www.zohoapis.com/crm/v2/Deals` (Zoho says v2 whatever version subscribed). */
  resourceUri: string;
  /** The changed records. */
  ids: string[];
  affectedFields: AffectedFields[];
  /** Present only for channels created with `returnAffectedFieldValues`. */
  affectedValues?: AffectedValues[];
  operation: NotificationOperation;
  channelId: string;
  /** The token, already verified. */
  token: string;
}

/** Why a notification was refused; stable, switch on it. */
export type RejectionCode =
  | "BODY_TOO_LARGE"
  | "MALFORMED_BODY"
  | "UNKNOWN_CHANNEL"
  | "MISSING_TOKEN"
  | "TOKEN_MISMATCH"
  | "TOO_OLD"
  | "FROM_THE_FUTURE";

/** The outcome of {@link verifyNotification}. A `reason` never contains a token, expected or received. */
export type VerificationResult =
  { ok: true; notification: ZohoNotification } | { ok: false; code: RejectionCode; reason: string };

/** A refused notification: {@link VerificationResult} when `ok` is false. */
export type NotificationRejection = Extract<VerificationResult, { ok: false }>;

// ---------------------------------------------------------------------------------------------
// The body, as Zoho sends it

const DECIMAL = /^\d+$/;

/**
 * A record or channel id. A JSON number that was already rounded (above 2^53) cannot be recovered:
 * raw bodies (string or Buffer) are read with the digits kept, so only pre-parsed objects hit this.
 */
const WireIdSchema = z
  .union([z.string(), z.number()], { error: "an id must be a decimal string" })
  .transform((value, ctx) => {
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) {
        ctx.addIssue({
          code: "custom",
          message:
            "an id above 2^53 arrived as a JavaScript number and is already rounded; pass the raw body (string or Buffer) instead",
        });
        return z.NEVER;
      }
      value = String(value);
    }
    if (!DECIMAL.test(value)) {
      ctx.addIssue({ code: "custom", message: "an id must be a decimal string" });
      return z.NEVER;
    }
    return value;
  });

const WireNotificationSchema = z.looseObject({
  server_time: z.number().int().nonnegative(),
  query_params: z
    .record(z.string(), z.string())
    .nullish()
    .transform((value) => value ?? {}),
  module: z.string().min(1),
  resource_uri: z.string(),
  ids: z.array(WireIdSchema),
  affected_fields: z
    .array(z.record(z.string().regex(DECIMAL, "affected_fields keys are record ids"), z.array(z.string())))
    .nullish()
    .transform((list) =>
      (list ?? []).flatMap((entry) =>
        Object.entries(entry).map(([recordId, fields]) => ({ recordId, fields })),
      ),
    ),
  affected_values: z
    .array(z.looseObject({ record_id: WireIdSchema, values: z.record(z.string(), z.unknown()) }))
    .optional(),
  operation: z.enum(["insert", "update", "delete"]),
  channel_id: WireIdSchema,
  token: z.string().nullish(),
});

type WireNotification = z.output<typeof WireNotificationSchema>;

interface ReviverContext {
  source?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `JSON.parse` that keeps ids exact where Zoho puts them (`channel_id`, the elements of `ids`,
 * `affected_values[].record_id`): a JSON number there becomes its decimal source text. Every other
 * number, record values included, is parsed as usual.
 */
function parseBody(text: string): unknown {
  // JSON.parse rounds numbers above 2^53 before any schema sees them, but hands the reviver each
  // number's source text (Node >= 21): remember it per holder, then put it back at the id places.
  const sources = new WeakMap<object, Map<string, string>>();
  const root = JSON.parse(
    text,
    function remember(this: unknown, key: string, value: unknown, context?: ReviverContext) {
      if (
        typeof value === "number" &&
        context?.source !== undefined &&
        typeof this === "object" &&
        this !== null
      ) {
        const known = sources.get(this) ?? new Map<string, string>();
        known.set(key, context.source);
        sources.set(this, known);
      }
      return value;
    },
  ) as unknown;
  const exact = (holder: object, key: string) => {
    const value = (holder as Record<string, unknown>)[key];
    return typeof value === "number" ? (sources.get(holder)?.get(key) ?? value) : value;
  };
  if (!isRecord(root)) return root;
  if (typeof root.channel_id === "number") root.channel_id = exact(root, "channel_id");
  const ids = root.ids;
  if (Array.isArray(ids)) root.ids = ids.map((_: unknown, index) => exact(ids, String(index)));
  if (Array.isArray(root.affected_values)) {
    for (const entry of root.affected_values as unknown[]) {
      if (isRecord(entry) && typeof entry.record_id === "number") entry.record_id = exact(entry, "record_id");
    }
  }
  return root;
}

type ReadOutcome =
  { ok: true; value: unknown } | { ok: false; code: "BODY_TOO_LARGE" | "MALFORMED_BODY"; reason: string };

function readBody(body: unknown, maxBodyBytes: number): ReadOutcome {
  if (typeof body === "string" || body instanceof Uint8Array) {
    const size = byteLength(body, maxBodyBytes);
    if (size > maxBodyBytes) {
      return {
        ok: false,
        code: "BODY_TOO_LARGE",
        reason: `the body is larger than ${maxBodyBytes} bytes (maxBodyBytes); a Zoho notification is a few KiB`,
      };
    }
    const text = typeof body === "string" ? body : new TextDecoder().decode(body);
    if (text.trim() === "") return { ok: false, code: "MALFORMED_BODY", reason: "the body is empty" };
    try {
      return { ok: true, value: parseBody(text) };
    } catch {
      return { ok: false, code: "MALFORMED_BODY", reason: "the body is not JSON" };
    }
  }
  return { ok: true, value: body };
}

/** The body's size in UTF-8 bytes; stops counting once it is clearly above `limit`. */
function byteLength(body: string | Uint8Array, limit: number): number {
  if (typeof body !== "string") return body.byteLength;
  // A UTF-16 code unit never encodes to fewer than one UTF-8 byte: a long string is over the limit
  // without walking it.
  if (body.length > limit) return body.length;
  return Buffer.byteLength(body, "utf8");
}

// ---------------------------------------------------------------------------------------------
// What the receiver expects

interface Expectation {
  channelId: string;
  tokenDigest: Buffer;
}

/** Tokens are compared as SHA-256 digests: equal lengths for timingSafeEqual, whatever the inputs. */
function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

function readExpectations(expected: ExpectedChannel | readonly ExpectedChannel[]): Expectation[] {
  const list: readonly ExpectedChannel[] = Array.isArray(expected)
    ? (expected as readonly ExpectedChannel[])
    : [expected as ExpectedChannel];
  if (list.length === 0) {
    throw new TypeError("expected must name at least one {channelId, token}");
  }
  return list.flatMap((entry, index) => {
    const where = `expected[${index}]`;
    const channelId = ChannelIdSchema.safeParse(entry?.channelId);
    if (!channelId.success) {
      throw new TypeError(`${where}.channelId: ${formatIssues(channelId.error).join("; ")}`);
    }
    const tokens: readonly unknown[] = Array.isArray(entry.token) ? entry.token : [entry.token];
    if (tokens.length === 0) {
      throw new TypeError(
        `${where}.token lists no token: give the channel's token, or its old and new token while a change rolls out`,
      );
    }
    return tokens.map((token, position) => {
      if (typeof token !== "string" || token.length === 0) {
        // A channel without a token cannot be told apart from a forgery: refuse to "verify" it.
        const at = Array.isArray(entry.token) ? `${where}.token[${position}]` : `${where}.token`;
        throw new TypeError(
          `${at} must be a non-empty string: a channel without a token cannot be verified; declare one on the WatchChannel`,
        );
      }
      return { channelId: channelId.data, tokenDigest: digest(token) };
    });
  });
}

interface Limits {
  maxBodyBytes: number;
  freshness?: FreshnessPolicy;
}

function readOptions(options: VerifierOptions): Limits {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (typeof maxBodyBytes !== "number" || Number.isNaN(maxBodyBytes) || maxBodyBytes < 1) {
    throw new TypeError(
      "options.maxBodyBytes must be a positive number of bytes (Infinity turns the cap off)",
    );
  }
  if (options.maxAge === undefined) {
    if (options.clockSkew !== undefined) {
      throw new TypeError("options.clockSkew only applies with options.maxAge: set both, or neither");
    }
    return { maxBodyBytes };
  }
  const now = options.now ?? Date.now;
  if (typeof now !== "function") throw new TypeError("options.now must be a function returning epoch ms");
  return {
    maxBodyBytes,
    freshness: {
      maxAgeMs: readDuration(options.maxAge, "options.maxAge"),
      maxFutureMs:
        options.clockSkew === undefined
          ? DEFAULT_CLOCK_SKEW_MS
          : readDuration(options.clockSkew, "options.clockSkew"),
      now,
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** Verifies one notification body; made by {@link createNotificationVerifier}. */
export type NotificationVerifier = (body: unknown) => VerificationResult;

/**
 * Verifies notification bodies against the channels a stack declared and returns them typed.
 *
 * `body` is what arrived at the notify_url: the raw text or bytes (preferred: ids keep every digit),
 * or an object already parsed by a framework. `expected` is one `{channelId, token}` or several (every
 * channel of a stack); a channel's `token` may list several tokens (the old and the new one while a
 * token change rolls out).
 *
 * Checks, in order: a raw body is at most `options.maxBodyBytes` (else `BODY_TOO_LARGE`, before any
 * parsing), the body is a notification (`MALFORMED_BODY`), its `channel_id` is expected
 * (`UNKNOWN_CHANNEL`), it carries a token (`MISSING_TOKEN`), the token matches one declared for that
 * channel, compared in constant time with each (`TOKEN_MISMATCH`), and, with `options.maxAge`, its
 * `server_time` is neither older than that (`TOO_OLD`) nor ahead of the receiver's clock by more than
 * `options.clockSkew` (`FROM_THE_FUTURE`). Never throws for anything in `body`; throws a TypeError
 * when `expected` or `options` is unusable (no entries, a bad channel id, an empty token, a bad
 * duration).
 */
export function verifyNotification(
  body: unknown,
  expected: ExpectedChannel | readonly ExpectedChannel[],
  options: VerifierOptions = {},
): VerificationResult {
  return createNotificationVerifier(expected, options)(body);
}

/**
 * {@link verifyNotification} with `expected` checked once, up front: a receiver makes one at start
 * (a bad expectation fails there, not on the first request) and calls it for every request.
 */
export function createNotificationVerifier(
  expected: ExpectedChannel | readonly ExpectedChannel[],
  options: VerifierOptions = {},
): NotificationVerifier {
  const expectations = readExpectations(expected);
  const limits = readOptions(options);
  return (body) => verify(body, expectations, limits);
}

function verify(body: unknown, expectations: readonly Expectation[], limits: Limits): VerificationResult {
  const read = readBody(body, limits.maxBodyBytes);
  if (!read.ok) return reject(read.code, read.reason);
  const parsed = WireNotificationSchema.safeParse(read.value);
  if (!parsed.success) {
    return reject(
      "MALFORMED_BODY",
      `the body is not a Zoho notification: ${formatIssues(parsed.error).join("; ")}`,
    );
  }
  const wire = parsed.data;
  const candidates = expectations.filter((e) => e.channelId === wire.channel_id);
  if (candidates.length === 0) {
    // The id passed the schema (digits only), so it is safe to show.
    return reject("UNKNOWN_CHANNEL", `channel ${wire.channel_id} is not one this receiver expects`);
  }
  if (wire.token === null || wire.token === undefined || wire.token === "") {
    return reject(
      "MISSING_TOKEN",
      `the notification for channel ${wire.channel_id} carries no token (was the channel updated without one?)`,
    );
  }
  const received = digest(wire.token);
  // Compare with every candidate, without stopping early: timing says nothing about which matched.
  const matched = candidates.reduce((found, c) => timingSafeEqual(received, c.tokenDigest) || found, false);
  if (!matched) {
    return reject("TOKEN_MISMATCH", `the token does not match any declared for channel ${wire.channel_id}`);
  }
  // Freshness only after the token: a forged body is reported as forged, whatever its date.
  const stale = limits.freshness && checkFreshness(wire.server_time, limits.freshness);
  if (stale) return reject(stale.code, stale.reason);
  return { ok: true, notification: toNotification(wire, wire.token) };
}

function reject(code: RejectionCode, reason: string): NotificationRejection {
  return { ok: false, code, reason };
}

function toNotification(wire: WireNotification, token: string): ZohoNotification {
  const notification: ZohoNotification = {
    serverTime: wire.server_time,
    serverDate: new Date(wire.server_time),
    queryParams: wire.query_params,
    module: wire.module,
    resourceUri: wire.resource_uri,
    ids: wire.ids,
    affectedFields: wire.affected_fields,
    operation: wire.operation,
    channelId: wire.channel_id,
    token,
  };
  if (wire.affected_values !== undefined) {
    notification.affectedValues = wire.affected_values.map((entry) => ({
      recordId: entry.record_id,
      values: entry.values,
    }));
  }
  return notification;
}
