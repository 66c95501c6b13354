/**
 * Reading Zoho's answers into per-item outcomes.
 *
 * Zoho answers a write with one entry per item and an HTTP status that depends on the version and
 * the mix (201/200 all success, 202 on v2/v2.1 or 400 on v3+ when all failed, 207 when mixed), so
 * the status says little: each entry's own `status` decides its item's outcome.
 */
import type * as z from "../zod";
import {
  ZohoApiError,
  ZohoAuthError,
  ZohoNotFoundError,
  ZohoRateLimitError,
  ZohoValidationError,
  type ZohoError,
  type ZohoErrorInit,
  type ZohoOperation,
} from "../zoho/errors";
import { isRateLimitCode } from "./pipeline";
import type { Redactor } from "./redact";
import { WireResourceSchema, type WatchResource, type WireEntrySchema } from "../zoho/schemas";

/** An item Zoho accepted. */
export interface WatchSuccess {
  readonly ok: true;
  /** The item's channel id (decimal string). */
  readonly channelId: string;
  /** Zoho's code, normally `SUCCESS`. */
  readonly code: string;
  readonly message: string;
  /** One per subscribed module (enable/update/patch) or per unsubscribed module (disable). */
  readonly resources: readonly WatchResource[];
}

/** An item Zoho refused; `error` is the typed error for this item alone. */
export interface WatchFailure {
  readonly ok: false;
  readonly channelId: string;
  readonly error: ZohoError;
}

/** The outcome of one item of a write, in the order of the items sent. */
export type WatchOutcome = WatchSuccess | WatchFailure;

type WireEntry = z.output<typeof WireEntrySchema>;

// Zoho codes that mean "the request was malformed or refers to something invalid".
const VALIDATION_CODES = new Set([
  "MANDATORY_NOT_FOUND",
  "INVALID_DATA",
  "EXPECTED_FIELD_MISSING",
  "DEPENDENT_FIELD_MISSING",
  "REQUIRED_PARAM_MISSING",
  "AMBIGUITY_DURING_PROCESSING",
  "ALREADY_USED",
  "INVALID_MODULE",
]);
const AUTH_CODES = new Set([
  "INVALID_TOKEN",
  "AUTHENTICATION_FAILURE",
  "OAUTH_SCOPE_MISMATCH",
  "NO_PERMISSION",
]);

/** Facts about where an error occurred, for messages. */
export interface ErrorContext {
  operation: ZohoOperation;
  status: number;
  attempts: number;
  redactor: Redactor;
  channelId?: string | undefined;
}

/**
 * The typed error for a Zoho error (an entry, or a top-level error answer). Zoho's message and
 * details are redacted; the message names the code, the field and where it is in the request,
 * never a value.
 */
export function zohoErrorFor(
  code: string,
  message: string | undefined,
  rawDetails: Record<string, unknown> | null | undefined,
  context: ErrorContext,
): ZohoError {
  const details = (context.redactor.value(rawDetails ?? {}) ?? {}) as Record<string, unknown>;
  const init: ZohoErrorInit = {
    operation: context.operation,
    status: context.status,
    zohoCode: code,
    details,
    attempts: context.attempts,
    channelId: context.channelId,
  };
  const what = context.channelId ? `${context.operation} channel ${context.channelId}` : context.operation;
  const said = message ? ` (${context.redactor.text(message)})` : "";
  const apiName = typeof details["api_name"] === "string" ? details["api_name"] : undefined;
  const jsonPath = typeof details["json_path"] === "string" ? details["json_path"] : undefined;
  const field = apiName
    ? ` for ${apiName}${jsonPath ? ` at ${jsonPath}` : ""}`
    : jsonPath
      ? ` at ${jsonPath}`
      : "";
  const text = `${what}: Zoho answered ${code}${said}${field}`;

  if (code === "NOT_SUBSCRIBED") {
    const removing = context.operation === "disable" || context.operation === "disableEvents";
    return new ZohoNotFoundError(
      removing ? `${text}; it is already gone, which a removal can treat as done` : text,
      init,
    );
  }
  if (VALIDATION_CODES.has(code)) return new ZohoValidationError(text, init);
  if (isRateLimitCode(code)) return new ZohoRateLimitError(text, init);
  if (AUTH_CODES.has(code)) {
    const scope = code === "OAUTH_SCOPE_MISMATCH" || code === "NO_PERMISSION";
    const needs =
      context.operation === "org"
        ? "the ZohoCRM.org.READ scope (generate the refresh token with ZohoCRM.notifications.ALL,ZohoCRM.org.READ)"
        : "the ZohoCRM.notifications.ALL scope (or READ/CREATE/UPDATE/DELETE as needed)";
    return new ZohoAuthError(
      scope
        ? `${text}; the token needs ${needs} and the user the permission`
        : `${text}; Zoho refused the access token even after a refresh: check that the data centre / apiDomain is the org's`,
      { ...init, credential: scope ? "scope" : "accessToken" },
    );
  }
  if (code === "INVALID_URL_PATTERN") {
    return new ZohoApiError(`${text}; check the API version and apiDomain`, init);
  }
  return new ZohoApiError(text, init);
}

function resourcesOf(details: Record<string, unknown> | null | undefined): WatchResource[] {
  if (!details) return [];
  const events = details["events"];
  const raw = Array.isArray(events) ? (events as unknown[]) : "channel_id" in details ? [details] : [];
  const out: WatchResource[] = [];
  for (const item of raw) {
    const parsed = WireResourceSchema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** Turns one entry into an outcome for `channelId`. */
export function entryOutcome(entry: WireEntry, channelId: string, context: ErrorContext): WatchOutcome {
  if (entry.status.toLowerCase() === "success") {
    return {
      ok: true,
      channelId,
      code: entry.code,
      message: entry.message ?? "",
      resources: resourcesOf(entry.details),
    };
  }
  return {
    ok: false,
    channelId,
    error: zohoErrorFor(entry.code, entry.message, entry.details, { ...context, channelId }),
  };
}

/**
 * Outcomes of an item-per-entry write (enable, update, patch, disableEvents): entry i answers
 * item i. An answer with a different number of entries cannot be matched safely and is an error.
 */
export function itemOutcomes(
  entries: readonly WireEntry[],
  channelIds: readonly string[],
  context: ErrorContext,
): WatchOutcome[] {
  if (entries.length !== channelIds.length) {
    throw new ZohoApiError(
      `${context.operation}: Zoho answered ${entries.length} entries for ${channelIds.length} items; cannot tell which item each belongs to`,
      { operation: context.operation, status: context.status, attempts: context.attempts },
    );
  }
  return entries.map((entry, i) => entryOutcome(entry, channelIds[i] ?? "", context));
}

/**
 * Outcomes of a DELETE: Zoho answers one success entry per channel × module (details carry the
 * channel_id) and error entries that may or may not name the channel. Each requested channel gets
 * one outcome: success with all its modules, or the error naming it; an error naming no channel
 * is given to the channels no entry accounted for, in order.
 */
export function disableOutcomes(
  entries: readonly WireEntry[],
  channelIds: readonly string[],
  context: ErrorContext,
): WatchOutcome[] {
  const byChannel = new Map<string, WatchOutcome>();
  const anonymous: WireEntry[] = [];
  for (const entry of entries) {
    const named = entry.details?.["channel_id"];
    const id = typeof named === "string" || typeof named === "number" ? String(named) : undefined;
    if (id === undefined || !channelIds.includes(id)) {
      anonymous.push(entry);
      continue;
    }
    const outcome = entryOutcome(entry, id, context);
    const previous = byChannel.get(id);
    if (previous?.ok && outcome.ok) {
      byChannel.set(id, { ...previous, resources: [...previous.resources, ...outcome.resources] });
    } else if (!previous || (previous.ok && !outcome.ok)) {
      byChannel.set(id, outcome);
    }
  }
  for (const id of channelIds) {
    if (byChannel.has(id)) continue;
    const entry = anonymous.shift();
    if (entry) byChannel.set(id, entryOutcome(entry, id, context));
  }
  return channelIds.map(
    (id) =>
      byChannel.get(id) ?? {
        ok: false,
        channelId: id,
        error: new ZohoApiError(`disable channel ${id}: Zoho's answer has no entry for this channel`, {
          operation: context.operation,
          status: context.status,
          attempts: context.attempts,
          channelId: id,
        }),
      },
  );
}

/** Throws the first failure's error, or returns the successes: for callers that want all-or-nothing. */
export function requireSuccess(outcomes: readonly WatchOutcome[]): WatchSuccess[] {
  for (const outcome of outcomes) {
    if (!outcome.ok) throw outcome.error;
  }
  return outcomes as WatchSuccess[];
}
