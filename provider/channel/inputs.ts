/**
 * The WatchChannel's inputs as the provider sees them, and `check`: their validation.
 *
 * Validation happens once, here, before any API call: each problem becomes a Pulumi CheckFailure
 * naming the property as the user wrote it (`events[1]`) and what to do. Values that are still
 * unknown during a preview arrive as a sentinel string and are let through untouched.
 */
import { isDeepStrictEqual } from "node:util";
import { defaultNotifyOnRelatedAction, EVENT_SHAPE_PATTERN, LIMITS, unsupportedReason } from "../zoho/rules";
import {
  CHANNEL_ID_DIGITS,
  isChannelIdText,
  NotificationConditionListSchema,
  type NotificationCondition,
} from "../zoho/schemas";
import { Duration } from "luxon";
import { CLOCK_SKEW_MARGIN, defaultRenewBefore, maxExpiresIn, parseDuration, safeExpiresIn } from "./expiry";
import { EVENT_OPERATIONS, suggestModule } from "./modules";
import { nameMeant } from "./names";
import { plainHttpReason } from "./notify-url";
import type { ApiVersion } from "../zoho/rules";
import {
  INPUT_NAMES,
  OUTPUT_ONLY_NAMES,
  REQUIRED_INPUT_NAMES,
  UPDATING_INPUT_NAMES,
  type InputName,
  type KeysMatch,
} from "./model";

/** The value the engine sends for inputs not yet known during a preview (pulumi/pulumi#6310). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// Zoho's limits (token and URL lengths, events) and version gates come from the rulebook; the
// channel-id rule from the wire schemas, which the client applies too.
const {
  maxTokenLength: MAX_TOKEN_LENGTH,
  maxNotifyUrlLength: MAX_NOTIFY_URL_LENGTH,
  maxEventsPerItem: MAX_EVENTS,
  maxEventLength: MAX_EVENT_LENGTH,
  maxModuleNameLength: MAX_MODULE_NAME_LENGTH,
} = LIMITS;
/** How the version gates name whose version it is. */
const STACK_VERSION = "this stack (zoho-watch:apiVersion, or the resource's connection)";

/** Inputs after `check`: what the state stores and what create/update send. */
export interface WatchChannelInputs {
  channelId: string;
  events: string[];
  notifyUrl: string;
  token?: string | undefined;
  /** ISO-8601 duration; `check` fills in the version's maximum. */
  expiresIn: string;
  /** ISO-8601 duration; `check` fills in half of `expiresIn`. */
  renewBefore: string;
  /**
   * Sent on every write; `check` fills in Zoho's default for the API version. Absent only in state
   * written by an earlier release for a program that left it out (see `storedNotifyOnRelatedAction`).
   */
  notifyOnRelatedAction?: boolean | undefined;
  returnAffectedFieldValues?: boolean | undefined;
  notificationCondition?: NotificationCondition[] | undefined;
  /** Take over a live channel with this id even though its details differ (the stand-in for import). */
  adopt?: boolean | undefined;
  /** Accept a plain-http notify URL to a host other than this machine (refused by default). */
  allowPlainHttp?: boolean | undefined;
  /** A named connection of `zoho-watch:connections`; the unnamed settings when left out. */
  connection?: string | undefined;
}

/**
 * The model (model.ts) and this interface name the same inputs: a key added to one and not the
 * other fails to compile here.
 */
const inputsMatchModel: KeysMatch<keyof WatchChannelInputs, InputName> = true;
void inputsMatchModel;

/** A check failure in Pulumi's shape. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** The result of {@link checkInputs}. */
export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
  /**
   * Zoho limits that the inputs break but that this stack's state already holds unchanged: said,
   * not refused, so that a limit learned after a channel was made never stops its renewals.
   */
  warnings: CheckFailure[];
}

const isUnknown = (value: unknown): boolean => value === UNKNOWN;

/** Every input, in the order the state shows them (from the model). */
export const INPUT_KEYS = INPUT_NAMES;

/**
 * Inputs an update in place can change (the model's `update` and `store` inputs): all but those
 * that name the channel and its org (`channelId`, `connection`: a change replaces) and those only
 * `check` or a create reads (`adopt`, `allowPlainHttp`: never sent to Zoho).
 */
export const UPDATABLE_KEYS = UPDATING_INPUT_NAMES;

/** Inputs a program may leave out. */
const OPTIONAL_KEYS = INPUT_KEYS.filter((key) => !(REQUIRED_INPUT_NAMES as readonly string[]).includes(key));

/** Keys the resource itself passes beside the inputs: the outputs it declares. */
const RESOURCE_KEYS: readonly string[] = OUTPUT_ONLY_NAMES;

/**
 * The shortest `expiresIn` accepted. Zoho takes whole seconds and a channel must outlive the run
 * that renews it; ten minutes is the least that a scheduled `pulumi up` can keep alive.
 */
export const MIN_EXPIRES_IN = Duration.fromObject({ minutes: 10 });

/**
 * Validates news for the given API version and fills in defaults. Never throws for bad input: every
 * problem is a failure, so `pulumi preview` lists them all at once.
 *
 * `olds` are the inputs this stack's state holds (none for a new resource). A value past one of
 * Zoho's published limits is a failure when it is new or changed, and only a warning when `olds`
 * already hold it unchanged: the channel was made with it, and refusing it now would stop the
 * renewals that keep it subscribed.
 */
export function checkInputs(
  news: Record<string, unknown>,
  version: ApiVersion,
  olds?: Record<string, unknown>,
): CheckResult {
  const failures: CheckFailure[] = [];
  const warnings: CheckFailure[] = [];
  const fail = (property: string, reason: string, limit = false) => {
    const key = topLevelKey(property);
    const held = limit && olds !== undefined && key in olds && isDeepStrictEqual(olds[key], news[key]);
    (held ? warnings : failures).push({ property, reason });
  };
  const inputs: Record<string, unknown> = { ...news };
  // An optional Output that resolved to undefined reaches the provider as null: treat it as left out.
  for (const key of OPTIONAL_KEYS) {
    if (inputs[key] === null) delete inputs[key];
  }
  news = inputs;

  checkUnknownKeys(news, fail);
  checkChannelId(news.channelId, fail);
  if (news.connection !== undefined && !isUnknown(news.connection) && typeof news.connection !== "string") {
    fail(
      "connection",
      `must be the name of a connection in zoho-watch:connections, not ${JSON.stringify(news.connection)}`,
    );
  }
  checkEvents(news.events, fail);
  checkNotifyUrl(news.notifyUrl, news.allowPlainHttp === true, fail);
  checkToken(news.token, fail);
  for (const flag of [
    "notifyOnRelatedAction",
    "returnAffectedFieldValues",
    "adopt",
    "allowPlainHttp",
  ] as const) {
    const value = news[flag];
    if (value !== undefined && !isUnknown(value) && typeof value !== "boolean") {
      fail(flag, `must be true or false, not ${JSON.stringify(value)}`);
    }
  }
  // Sent on every write, so no channel depends on which default Zoho applies: left out, it is
  // the version's documented default, made explicit (see WatchChannelArgs.notifyOnRelatedAction).
  if (news.notifyOnRelatedAction === undefined) {
    inputs.notifyOnRelatedAction = defaultNotifyOnRelatedAction(version);
  }
  const affectedValuesGate = unsupportedReason(version, "returnAffectedFieldValues", STACK_VERSION);
  if (news.returnAffectedFieldValues === true && affectedValuesGate) {
    fail("returnAffectedFieldValues", affectedValuesGate);
  }
  checkNotificationCondition(news.notificationCondition, version, fail);
  checkConditionModules(news.notificationCondition, news.events, fail);

  // expiresIn defaults to the version's maximum less a margin for clock skew: Zoho silently cuts
  // anything past the maximum (by its own clock) to one hour.
  const max = safeExpiresIn(version);
  let expiresIn = max;
  if (news.expiresIn !== undefined && !isUnknown(news.expiresIn)) {
    const parsed = typeof news.expiresIn === "string" ? parseDuration(news.expiresIn) : undefined;
    if (!parsed) {
      fail(
        "expiresIn",
        `must be a positive ISO-8601 duration such as "P7D" or "PT12H", not ${JSON.stringify(news.expiresIn)}`,
      );
    } else if (parsed.toMillis() > max.toMillis()) {
      fail(
        "expiresIn",
        `${news.expiresIn as string} is longer than ${max.toISO()}: API ${version} allows ${maxExpiresIn(version).toISO()}, ` +
          `and the provider keeps ${CLOCK_SKEW_MARGIN.toISO()} below it so that a clock running ahead of Zoho's ` +
          `cannot make Zoho silently cut the channel to one hour; use at most ${max.toISO()}, or leave expiresIn out`,
      );
    } else if (parsed.toMillis() < MIN_EXPIRES_IN.toMillis()) {
      fail(
        "expiresIn",
        `${news.expiresIn as string} is shorter than ${MIN_EXPIRES_IN.toISO()}: the channel would lapse before a scheduled pulumi up could renew it; use at least ${MIN_EXPIRES_IN.toISO()}`,
      );
    } else {
      expiresIn = parsed;
    }
  } else if (news.expiresIn === undefined) {
    inputs.expiresIn = max.toISO();
  }

  if (news.renewBefore !== undefined && !isUnknown(news.renewBefore)) {
    const parsed = typeof news.renewBefore === "string" ? parseDuration(news.renewBefore) : undefined;
    if (!parsed) {
      fail(
        "renewBefore",
        `must be a positive ISO-8601 duration such as "P3D", not ${JSON.stringify(news.renewBefore)}`,
      );
    } else if (!isUnknown(news.expiresIn) && parsed.toMillis() >= expiresIn.toMillis()) {
      fail(
        "renewBefore",
        `${news.renewBefore as string} is not shorter than expiresIn (${expiresIn.toISO()}): the channel would be due for renewal as soon as it is made; use a shorter window or a longer expiresIn`,
      );
    }
  } else if (news.renewBefore === undefined && !isUnknown(news.expiresIn)) {
    inputs.renewBefore = defaultRenewBefore(expiresIn).toISO();
  }

  return { inputs, failures, warnings };
}

/** `events[3]` → `events`; `notificationCondition[0].module` → `notificationCondition`. */
function topLevelKey(property: string): string {
  return /^[^[.]*/.exec(property)?.[0] ?? property;
}

/** How a check reports a problem; `limit` marks a value past one of Zoho's published limits. */
type Fail = (property: string, reason: string, limit?: boolean) => void;

function checkChannelId(value: unknown, fail: Fail): void {
  if (isUnknown(value)) return;
  if (typeof value === "string" && /^\d+$/.test(value) && value.length > CHANNEL_ID_DIGITS) {
    fail(
      "channelId",
      `has ${value.length} digits; a Zoho channel id is a Java long, at most ${CHANNEL_ID_DIGITS} digits (below 2^63): use a shorter id, or leave channelId out to derive a stable one`,
      true,
    );
    return;
  }
  if (typeof value !== "string" || !isChannelIdText(value)) {
    fail(
      "channelId",
      `must be a positive whole number below 2^63, written as a string (e.g. "1000000068001"), not ${JSON.stringify(value)}; or leave it out to derive a stable id`,
    );
  }
}

function checkEvents(value: unknown, fail: Fail): void {
  if (isUnknown(value)) return;
  if (!Array.isArray(value) || value.length === 0) {
    fail("events", `must be a non-empty list such as ["Deals.all", "Contacts.create"]`);
    return;
  }
  if (value.length > MAX_EVENTS) {
    fail(
      "events",
      `lists ${value.length} events; Zoho accepts at most ${MAX_EVENTS} per channel: split them across two WatchChannels`,
      true,
    );
  }
  const seen = new Map<string, number>();
  const modulesWithAll = new Set<string>();
  value.forEach((event: unknown, i) => {
    const property = `events[${i}]`;
    if (isUnknown(event)) return;
    if (typeof event !== "string") {
      fail(property, `must be a string like "Deals.create", not ${JSON.stringify(event)}`);
      return;
    }
    if (event.length > MAX_EVENT_LENGTH) {
      fail(
        property,
        `is ${event.length} characters long; Zoho accepts events of at most ${MAX_EVENT_LENGTH} ("Module.operation")`,
        true,
      );
      return;
    }
    const match = EVENT_SHAPE_PATTERN.exec(event);
    if (!match) {
      fail(property, `"${event}" is not "<Module>.<operation>", e.g. "Deals.create"`);
      return;
    }
    const [, module, operation] = match as unknown as [string, string, string];
    if (module.length > MAX_MODULE_NAME_LENGTH) {
      fail(
        property,
        `names a module of ${module.length} characters; Zoho's module API names have at most ${MAX_MODULE_NAME_LENGTH}: use the module's API name from Setup > Developer Hub > APIs`,
        true,
      );
      return;
    }
    if (!(EVENT_OPERATIONS as readonly string[]).includes(operation)) {
      fail(
        property,
        `"${event}" has unknown operation "${operation}"; use one of ${EVENT_OPERATIONS.join(", ")}`,
      );
      return;
    }
    const suggestion = suggestModule(module);
    if (suggestion) {
      fail(property, `"${event}" names no Zoho CRM module; did you mean "${suggestion}.${operation}"?`);
      return;
    }
    const earlier = seen.get(event);
    if (earlier !== undefined) {
      fail(property, `"${event}" is listed twice (also events[${earlier}]); remove one`);
      return;
    }
    seen.set(event, i);
    if (operation === "all") modulesWithAll.add(module);
  });
  // "Deals.all" already covers "Deals.create": listing both hides which one the author meant.
  for (const [event, i] of seen) {
    const [module, operation] = event.split(".") as [string, string];
    if (operation !== "all" && modulesWithAll.has(module)) {
      fail(`events[${i}]`, `"${event}" is already covered by "${module}.all"; remove one of them`);
    }
  }
}

function checkNotifyUrl(value: unknown, allowPlainHttp: boolean, fail: Fail): void {
  if (isUnknown(value)) return;
  if (value === undefined || value === null || value === "") {
    fail("notifyUrl", "is required: the http(s) URL Zoho will POST notifications to");
    return;
  }
  if (typeof value !== "string") {
    fail("notifyUrl", `must be a string holding an http(s) URL, not ${JSON.stringify(value)}`);
    return;
  }
  // Said first, before any detail of the text: what is needed is a URL, and which kind. The value
  // itself is not echoed, since a notify URL may carry credentials in its query.
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[\\/]{2}/.test(value.trim())) {
    fail(
      "notifyUrl",
      'is not a URL (it has no scheme such as https://): use an https URL such as "https://hooks.example.com/zoho", or http for a receiver on this machine such as "http://127.0.0.1:8080/zoho"',
    );
    return;
  }
  // The URL is sent to Zoho exactly as written, so check what a URL parser would silently repair:
  // surrounding or inner whitespace, control characters and backslashes.
  if (value.trim() !== value) {
    fail("notifyUrl", "has whitespace before or after it; remove it (the URL is sent to Zoho as written)");
    return;
  }
  if (/\s/.test(value) || hasControlCharacter(value)) {
    fail("notifyUrl", "contains a space, tab or control character; percent-encode it (%20) or remove it");
    return;
  }
  if (value.includes("\\")) {
    fail("notifyUrl", "contains a backslash; use forward slashes (or %5C inside a query value)");
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail("notifyUrl", "is not a valid absolute URL; use e.g. https://hooks.example.com/zoho");
    return;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    fail("notifyUrl", `must use http or https, not ${url.protocol.replace(/:$/, "")}`);
  }
  const plainHttp = plainHttpReason(url);
  if (plainHttp && !allowPlainHttp) {
    // A rule added after stacks were made with such URLs: a held URL warns (see checkInputs).
    fail(
      "notifyUrl",
      `${plainHttp}; or set allowPlainHttp: true on this WatchChannel if the receiver cannot serve https`,
      true,
    );
  }
  if (value.length > MAX_NOTIFY_URL_LENGTH) {
    fail(
      "notifyUrl",
      `is ${value.length} characters long; Zoho accepts at most ${MAX_NOTIFY_URL_LENGTH}`,
      true,
    );
  }
}

function checkToken(value: unknown, fail: Fail): void {
  if (value === undefined || isUnknown(value)) return;
  if (typeof value !== "string" || value.length === 0) {
    fail("token", "must be a non-empty string (or left out)");
  } else if (hasControlCharacter(value)) {
    // Never echo the token itself: it is a secret.
    fail(
      "token",
      "contains a control character (a newline or tab?); Zoho echoes the token verbatim, use printable characters",
    );
  } else if (value.length > MAX_TOKEN_LENGTH) {
    // Never echo the token itself: it is a secret.
    fail("token", `is ${value.length} characters long; Zoho accepts at most ${MAX_TOKEN_LENGTH}`);
  }
}

/** Whether `text` holds a C0 control character or DEL (a newline, a tab, NUL...). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Every key the program passed that is no input of WatchChannel, with the input it most likely meant. */
function checkUnknownKeys(news: Record<string, unknown>, fail: Fail): void {
  const known: readonly string[] = INPUT_KEYS;
  for (const key of Object.keys(news)) {
    if (key.startsWith("__") || known.includes(key) || RESOURCE_KEYS.includes(key)) continue;
    const near = nameMeant(key, known);
    fail(
      key,
      `is not an input of WatchChannel${near ? `; did you mean ${near}?` : `; the inputs are ${known.join(", ")}`}`,
    );
  }
}

/** A condition on a module that no event subscribes would never fire. */
function checkConditionModules(conditions: unknown, events: unknown, fail: Fail): void {
  if (!Array.isArray(conditions) || !Array.isArray(events) || events.some(isUnknown)) return;
  const modules = new Set(
    events.filter((e): e is string => typeof e === "string").map((e) => e.split(".")[0]),
  );
  conditions.forEach((condition: unknown, i) => {
    const apiName = (condition as { module?: { apiName?: unknown } } | null)?.module?.apiName;
    if (typeof apiName === "string" && !isUnknown(apiName) && !modules.has(apiName)) {
      fail(
        `notificationCondition[${i}].module`,
        `"${apiName}" is not among the modules of events (${[...modules].join(", ")}); add a "${apiName}.edit" event or remove the condition`,
      );
    }
  });
}

function checkNotificationCondition(value: unknown, version: ApiVersion, fail: Fail): void {
  if (value === undefined || isUnknown(value)) return;
  const gate = unsupportedReason(version, "notificationCondition", STACK_VERSION);
  if (gate) {
    fail("notificationCondition", gate);
    return;
  }
  // One validation path: the client's zod schema (group shape and width included), its issues
  // mapped to the property path the program wrote.
  const parsed = NotificationConditionListSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const limit = issue.code === "too_big";
      const said = limit ? `${issue.message}; this one has ${sizeAt(value, issue.path)}` : issue.message;
      fail(propertyPath("notificationCondition", issue.path), said, limit);
    }
  }
}

/** How large the value at `path` below `root` is: "3 entries" or "65 characters". */
function sizeAt(root: unknown, path: readonly PropertyKey[]): string {
  let value: unknown = root;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  if (Array.isArray(value)) return `${value.length} entries`;
  return typeof value === "string" ? `${value.length} characters` : "more";
}

/** `notificationCondition` + ["0", "module"] → `notificationCondition[0].module`. */
function propertyPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`),
    root,
  );
}
