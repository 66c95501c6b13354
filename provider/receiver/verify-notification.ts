/**
 * The receiving end: is this POST to a notify_url a notification Zoho sent for a channel this stack
 * declared? And what does it say?
 *
 * Zoho signs nothing. The only proof of origin is the `token` the channel was created with, echoed in
 * every notification body next to the `channel_id`; so a receiver must compare both against what it
 * declared (the WatchChannel's `channelId` and `token` outputs) before trusting anything else in it.
 */
import "../node-version"; // first: a clear error on a too old Node.js
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ChannelIdSchema, formatIssues, type ChannelIdLike } from "../zoho/schemas";

/** A channel the receiver accepts notifications for: its id and the token it was declared with. */
export interface ExpectedChannel {
  /** The channel id (the WatchChannel's `channelId` output): a decimal string, or a bigint. */
  channelId: ChannelIdLike;
  /** The verification token (the WatchChannel's `token` output), 1–50 characters. */
  token: string;
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
export type RejectionCode = "MALFORMED_BODY" | "UNKNOWN_CHANNEL" | "MISSING_TOKEN" | "TOKEN_MISMATCH";

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

function readBody(body: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (typeof body === "string" || body instanceof Uint8Array) {
    const text = typeof body === "string" ? body : new TextDecoder().decode(body);
    if (text.trim() === "") return { ok: false, reason: "the body is empty" };
    try {
      return { ok: true, value: parseBody(text) };
    } catch {
      return { ok: false, reason: "the body is not JSON" };
    }
  }
  return { ok: true, value: body };
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
  return list.map((entry, index) => {
    const where = `expected[${index}]`;
    const channelId = ChannelIdSchema.safeParse(entry?.channelId);
    if (!channelId.success) {
      throw new TypeError(`${where}.channelId: ${formatIssues(channelId.error).join("; ")}`);
    }
    if (typeof entry.token !== "string" || entry.token.length === 0) {
      // A channel without a token cannot be told apart from a forgery: refuse to "verify" it.
      throw new TypeError(
        `${where}.token must be a non-empty string: a channel without a token cannot be verified; declare one on the WatchChannel`,
      );
    }
    return { channelId: channelId.data, tokenDigest: digest(entry.token) };
  });
}

// ---------------------------------------------------------------------------------------------

/** Verifies one notification body; made by {@link createNotificationVerifier}. */
export type NotificationVerifier = (body: unknown) => VerificationResult;

/**
 * Verifies notification bodies against the channels a stack declared and returns them typed.
 *
 * `body` is what arrived at the notify_url: the raw text or bytes (preferred: ids keep every digit),
 * or an object already parsed by a framework. `expected` is one `{channelId, token}` or several (every
 * channel of a stack, or the old and new token of one channel while a token change rolls out).
 *
 * Checks, in order: the body is a notification (else `MALFORMED_BODY`), its `channel_id` is expected
 * (`UNKNOWN_CHANNEL`), it carries a token (`MISSING_TOKEN`), the token matches one declared for that
 * channel, compared in constant time (`TOKEN_MISMATCH`). Never throws for anything in `body`; throws a
 * TypeError when `expected` itself is unusable (no entries, a bad channel id, an empty token).
 */
export function verifyNotification(
  body: unknown,
  expected: ExpectedChannel | readonly ExpectedChannel[],
): VerificationResult {
  return createNotificationVerifier(expected)(body);
}

/**
 * {@link verifyNotification} with `expected` checked once, up front: a receiver makes one at start
 * (a bad expectation fails there, not on the first request) and calls it for every request.
 */
export function createNotificationVerifier(
  expected: ExpectedChannel | readonly ExpectedChannel[],
): NotificationVerifier {
  const expectations = readExpectations(expected);
  return (body) => verify(body, expectations);
}

function verify(body: unknown, expectations: readonly Expectation[]): VerificationResult {
  const read = readBody(body);
  if (!read.ok) return reject("MALFORMED_BODY", read.reason);
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
    return reject(
      "TOKEN_MISMATCH",
      `the token does not match the one declared for channel ${wire.channel_id}`,
    );
  }
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
