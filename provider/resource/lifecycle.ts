/**
 * The WatchChannel lifecycle: what each dynamic-provider method does against Zoho.
 *
 * Loaded by name from the serialized provider (see provider.ts), once per provider process, so the
 * client below, with its access token, is shared by every resource of a run: one token request per
 * run, whatever the number of channels.
 *
 * The rules that shape it:
 *  - never a bare PATCH: Zoho nulls the token of a PATCH without one, so every write is a full
 *    POST (enable) or PUT (replace all details);
 *  - a renewal replaces the resource with one that has the *same* channel id. The engine creates the
 *    new one first (a PUT that moves the expiry, so the channel never lapses) and deletes the old one
 *    afterwards. That delete must not disable the renewed channel, so `remove` only disables a
 *    channel whose live expiry is still the one this resource stored;
 *  - creating a channel whose id is already live adopts it: the declared details overwrite it.
 */
import { Duration, type DateTime } from "luxon";
import type * as pulumi from "@pulumi/pulumi";
import { ZohoWatchClient } from "../zoho/client";
import { isAlreadyGone, isZohoError, ZohoNotFoundError } from "../zoho/errors";
import type { WatchSuccess } from "../zoho/answers";
import type { NotificationCondition, UpdateItem } from "../zoho/schemas";
import { BatchingWatchClient, storedExpiries } from "./batcher";
import { diffChannel, type SubscribedModule, type WatchChannelOutputs } from "./diff";
import { now } from "./expiry";
import { checkInputs, INPUT_KEYS, type WatchChannelInputs } from "./inputs";
import { expandEvents } from "./modules";
import { isDeepStrictEqual } from "node:util";
import { readSettings, requireCredentials, type ConfigSource, type ConnectionSettings } from "./settings";

let settings: ConnectionSettings | undefined;
let client: { key: string; instance: BatchingWatchClient } | undefined;

/** Reads connection settings from the stack config (with environment fallback). */
export function configure(req: { config: ConfigSource }): Promise<void> {
  settings = readSettings(req.config);
  return Promise.resolve();
}

function currentSettings(): ConnectionSettings {
  // configure is normally called first; without it (old engines) fall back to the environment.
  settings ??= readSettings(undefined);
  return settings;
}

/** The shared client for the current settings; constructing it makes no request. */
function zoho(): BatchingWatchClient {
  const current = currentSettings();
  const key = JSON.stringify(current);
  if (client?.key !== key) {
    void client?.instance.close();
    client = {
      key,
      instance: new BatchingWatchClient(
        new ZohoWatchClient({
          credentials: requireCredentials(current),
          dataCentre: current.dataCentre,
          environment: current.environment,
          accountsUrl: current.accountsUrl,
          apiDomain: current.apiDomain,
          apiVersion: current.apiVersion,
          concurrency: current.concurrency,
        }),
      ),
    };
  }
  return client.instance;
}

/** `check`: validation and defaults; no API call. */
export function check(
  _olds: WatchChannelInputs,
  news: WatchChannelInputs,
): Promise<pulumi.dynamic.CheckResult<WatchChannelInputs>> {
  // Raw values: anything the program passed, including the preview's unknown sentinel.
  const raw = news as unknown as Record<string, unknown>;
  const { inputs, failures } = checkInputs(raw, currentSettings().apiVersion);
  return Promise.resolve({ inputs: inputs as unknown as WatchChannelInputs, failures });
}

/** `diff`: pure; see diff.ts. */
export function diff(
  _id: string,
  olds: WatchChannelOutputs,
  news: WatchChannelInputs,
): Promise<pulumi.dynamic.DiffResult> {
  storedExpiries.note(olds.channelId, olds.channelExpiry);
  const result = diffChannel(
    olds,
    news as unknown as Record<string, unknown>,
    currentSettings().apiVersion,
    now(),
  );
  if (result.reasons.channelExpiry) {
    // Dynamic providers have no detailed diff (pulumi/pulumi#3080): say why on the provider's log too.
    console.error(`zoho-watch: channel ${olds.channelId}: ${result.reasons.channelExpiry}`);
  }
  return Promise.resolve({
    changes: result.changes,
    replaces: result.replaces,
    deleteBeforeReplace: result.deleteBeforeReplace,
  });
}

/** `create`: subscribes the channel (or adopts a live one with the same id) and stores Zoho's answer. */
export async function create(
  inputs: WatchChannelInputs,
): Promise<pulumi.dynamic.CreateResult<WatchChannelOutputs>> {
  const outs = await subscribe(inputs, "create");
  return { id: inputs.channelId, outs };
}

/** `update`: rewrites every detail with a PUT (which also renews the expiry). */
export async function update(
  _id: string,
  olds: WatchChannelOutputs,
  news: WatchChannelInputs,
): Promise<pulumi.dynamic.UpdateResult<WatchChannelOutputs>> {
  if (onlyRenewBeforeChanged(olds, news)) {
    // The window only matters to diff; Zoho has nothing to change.
    return { outs: { ...olds, renewBefore: news.renewBefore } };
  }
  storedExpiries.note(olds.channelId, olds.channelExpiry);
  return { outs: await subscribe(news, "update") };
}

/**
 * `read` (refresh): the live channel, or an empty id when it was deleted or expired out of band (the
 * engine then drops it from state and the next `up` recreates it). Returns inputs too, so that live
 * changes made outside Pulumi show as a diff on the next preview and nothing else does.
 */
export async function read(
  id: string,
  props: WatchChannelOutputs | undefined,
): Promise<pulumi.dynamic.ReadResult> {
  if (!props) {
    // Only `pulumi import` and `.get()` read without state; dynamic resources support neither.
    throw new Error(`WatchChannel ${id}: reading a channel without its state is not supported`);
  }
  const live = await withContext("refresh", id, () => zoho().get(id));
  if (!live) {
    return { id: "" };
  }
  const inputs: WatchChannelInputs = {
    ...pickInputs(props),
    channelId: live.channelId,
    events: sameEvents(props.events, live.events) ? props.events : live.events,
    notifyUrl: live.notifyUrl,
    token: live.token ?? undefined,
    // Options the program left to Zoho's default stay unset, so refresh does not invent a diff.
    notifyOnRelatedAction: props.notifyOnRelatedAction === undefined ? undefined : live.notifyOnRelatedAction,
    returnAffectedFieldValues:
      props.returnAffectedFieldValues === undefined ? undefined : live.returnAffectedFieldValues,
    notificationCondition: liveCondition(props.notificationCondition, live.notificationCondition),
  };
  const outs: WatchChannelOutputs = {
    ...inputs,
    channelExpiry: formatZohoTime(live.channelExpiry),
    apiVersion: props.apiVersion,
    modules: live.subscriptions.map((row) => ({
      module: row.resourceName ?? moduleOf(row.events[0]),
      resourceId: row.resourceId ?? "",
      resourceUri: row.resourceUri ?? "",
      resourceName: row.resourceName ?? "",
    })),
  };
  return { id: live.channelId, props: stripUndefined(outs), inputs: stripUndefined(inputs) };
}

/**
 * `delete`: disables the channel, unless it is already gone (done) or its live expiry is no longer
 * the one this resource stored — then a replacement renewed it and now owns it.
 */
export async function remove(id: string, props: WatchChannelOutputs): Promise<void> {
  const liveExpiry = await withContext("delete", id, () => zoho().liveExpiry(id));
  if (!liveExpiry) {
    return;
  }
  if (!sameInstant(liveExpiry, props.channelExpiry)) {
    console.error(
      `zoho-watch: channel ${id} was renewed to ${formatZohoTime(liveExpiry)} by its replacement; leaving it subscribed`,
    );
    return;
  }
  const [outcome] = await withContext("delete", id, () => zoho().disable(id));
  if (outcome && !outcome.ok && !isAlreadyGone(outcome.error)) {
    throw contextError("delete", id, outcome.error);
  }
}

/** POST or PUT the full details with a fresh expiry; returns the outputs to store. */
async function subscribe(
  inputs: WatchChannelInputs,
  verb: "create" | "update",
): Promise<WatchChannelOutputs> {
  const api = zoho();
  const expiry = now().plus(Duration.fromISO(inputs.expiresIn)).startOf("second");
  const item = toItem(inputs, expiry);
  const id = inputs.channelId;

  // PUT when the channel is live (adoption on create; a renewal; the usual update), POST when it is
  // not (a fresh create, or an update of a channel that expired or was deleted out of band).
  const live = await withContext(verb, id, () => api.isLive(id));
  let [outcome] = live
    ? await withContext(verb, id, () => api.update(item))
    : await withContext(verb, id, () => api.enable(item));
  if (live && outcome && !outcome.ok && outcome.error instanceof ZohoNotFoundError) {
    // It expired, or was deleted out of band, since it was last seen live (by a GET, or in state).
    [outcome] = await withContext(verb, id, () => api.enable(item));
  }
  if (!outcome) {
    throw new Error(`WatchChannel ${id}: ${verb}: Zoho answered no entry for the channel`);
  }
  if (!outcome.ok) {
    throw contextError(verb, id, outcome.error);
  }
  return {
    ...pickInputs(inputs),
    channelExpiry: expiryFrom(outcome, expiry),
    apiVersion: api.apiVersion,
    modules: modulesFrom(outcome),
  };
}

function toItem(inputs: WatchChannelInputs, expiry: DateTime): UpdateItem {
  return {
    channelId: inputs.channelId,
    events: inputs.events,
    notifyUrl: inputs.notifyUrl,
    channelExpiry: expiry,
    ...(inputs.token !== undefined && { token: inputs.token }),
    ...(inputs.notifyOnRelatedAction !== undefined && {
      notifyOnRelatedAction: inputs.notifyOnRelatedAction,
    }),
    ...(inputs.returnAffectedFieldValues !== undefined && {
      returnAffectedFieldValues: inputs.returnAffectedFieldValues,
    }),
    ...(inputs.notificationCondition !== undefined && {
      notificationCondition: inputs.notificationCondition,
    }),
  };
}

/**
 * The expiry Zoho answered; the one we asked for when an answer leaves it out. Nothing that can fail
 * runs after a successful write, so a channel Zoho accepted is always recorded in state.
 */
function expiryFrom(outcome: WatchSuccess, requested: DateTime): string {
  const answered = outcome.resources.find((r) => r.channelExpiry !== undefined)?.channelExpiry;
  return formatZohoTime(answered ?? requested);
}

function modulesFrom(outcome: WatchSuccess): SubscribedModule[] {
  return outcome.resources.map((r) => ({
    module: r.resourceName ?? "",
    resourceId: r.resourceId ?? "",
    resourceUri: r.resourceUri ?? "",
    resourceName: r.resourceName ?? "",
  }));
}

function pickInputs(source: WatchChannelInputs): WatchChannelInputs {
  const picked: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) {
    if (source[key] !== undefined) picked[key] = source[key];
  }
  return picked as unknown as WatchChannelInputs;
}

function onlyRenewBeforeChanged(olds: WatchChannelOutputs, news: WatchChannelInputs): boolean {
  const { reasons } = diffChannel(
    olds,
    news as unknown as Record<string, unknown>,
    currentSettings().apiVersion,
    now(),
  );
  const keys = Object.keys(reasons);
  return keys.length === 1 && keys[0] === "renewBefore";
}

/**
 * The live notification condition in the form to store. Zoho fills in module and field ids the
 * program may have left out; a live condition that matches the declared one apart from those is the
 * declared one, so refresh does not invent a diff.
 */
function liveCondition(
  declared: NotificationCondition[] | undefined,
  live: NotificationCondition[] | null,
): NotificationCondition[] | undefined {
  if (live === null) return undefined;
  return declared !== undefined && matchesIgnoringAddedIds(declared, live) ? declared : live;
}

/**
 * Deep equality, except that what Zoho adds is ignored: an `id` present only on the live side, and
 * keys the program left out that Zoho echoes as null (`group_operator: null` beside a field).
 */
function matchesIgnoringAddedIds(declared: unknown, live: unknown): boolean {
  if (Array.isArray(declared) || Array.isArray(live)) {
    return (
      Array.isArray(declared) &&
      Array.isArray(live) &&
      declared.length === live.length &&
      declared.every((item, i) => matchesIgnoringAddedIds(item, live[i]))
    );
  }
  if (declared !== null && live !== null && typeof declared === "object" && typeof live === "object") {
    const d = declared as Record<string, unknown>;
    const l = live as Record<string, unknown>;
    const keys = new Set([...Object.keys(d), ...Object.keys(l)]);
    return [...keys].every((key) =>
      d[key] === undefined && (key === "id" || l[key] === null)
        ? true
        : matchesIgnoringAddedIds(d[key], l[key]),
    );
  }
  return declared === live;
}

/** Whether two event lists subscribe to the same thing (`Deals.all` = create + edit + delete). */
function sameEvents(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && isDeepStrictEqual(expandEvents(a), expandEvents(b));
}

function sameInstant(live: DateTime, stored: string | undefined): boolean {
  if (stored === undefined) return true;
  return live.toMillis() === Date.parse(stored);
}

/** ISO-8601 in the offset Zoho used, whole seconds, as Zoho writes it. */
function formatZohoTime(value: DateTime): string {
  return value.toISO({ suppressMilliseconds: true }) ?? String(value);
}

function moduleOf(event: string | undefined): string {
  return event?.split(".")[0] ?? "";
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Runs a client call, prefixing any error with the resource and the step. */
async function withContext<T>(step: string, id: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw contextError(step, id, error);
  }
}

function contextError(step: string, id: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = new Error(`WatchChannel ${id}: ${step} failed: ${message}`);
  if (isZohoError(error)) {
    // Keep the stable code for callers; the client's messages are already free of secrets.
    Object.assign(wrapped, { code: error.code });
  }
  return wrapped;
}
