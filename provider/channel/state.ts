/**
 * State ↔ API: how the WatchChannel's inputs become a watch item, how Zoho's answers become the
 * outputs stored in state, and how a live channel compares with what a program declares.
 *
 * The comparisons ignore what Zoho adds or spells differently without changing what is subscribed
 * (`Deals.all` for its three operations, ids filled into a notification condition), so a refresh
 * reports only real out-of-band changes and a takeover check only real differences.
 */
import type { DateTime } from "luxon";
import type { WatchSuccess } from "../client/answers";
import type { WatchChannel as LiveChannel } from "../client/client";
import type { NotificationCondition, UpdateItem } from "../zoho/schemas";
import type { SubscribedModule, WatchChannelOutputs } from "./diff";
import { INPUT_KEYS, type WatchChannelInputs } from "./inputs";
import { sameEvents } from "./modules";
import { notifyHost } from "./notify-url";
import { defaultRenewBefore, safeExpiresIn } from "./expiry";
import { defaultNotifyOnRelatedAction, type ApiVersion } from "../zoho/rules";

/** The watch item that subscribes `inputs` until `expiry`: every detail, so a PUT keeps the token. */
export function toItem(inputs: WatchChannelInputs, expiry: DateTime): UpdateItem {
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

/** The outputs to store after Zoho accepted a write of `inputs`. */
export function outputsFromWrite(
  inputs: WatchChannelInputs,
  outcome: WatchSuccess,
  requested: DateTime,
  apiVersion: WatchChannelOutputs["apiVersion"],
): WatchChannelOutputs {
  // The expiry Zoho answered; the one asked for when an answer leaves it out (the client has already
  // refused an answer that differs from the request). Nothing that can fail runs after a successful
  // write, so a channel Zoho accepted is always recorded in state.
  const answered = outcome.resources.find((r) => r.channelExpiry !== undefined)?.channelExpiry;
  return {
    ...pickInputs(inputs),
    channelExpiry: formatZohoTime(answered ?? requested),
    apiVersion,
    modules: outcome.resources.map((r) => ({
      module: r.resourceName ?? "",
      resourceId: r.resourceId ?? "",
      resourceUri: r.resourceUri ?? "",
      resourceName: r.resourceName ?? "",
    })),
  };
}

/**
 * What `read` returns for a live channel: inputs as Zoho holds them, except where the live value
 * means the same as the stored one, and outputs with the live expiry and modules.
 */
export function stateFromLive(
  live: LiveChannel,
  props: WatchChannelOutputs,
): { inputs: WatchChannelInputs; outs: WatchChannelOutputs } {
  const inputs: WatchChannelInputs = {
    ...pickInputs(props),
    channelId: live.channelId,
    events: sameEvents(props.events, live.events) ? props.events : live.events,
    notifyUrl: live.notifyUrl,
    token: live.token ?? undefined,
    // Sent on every write, so the live value is what the channel does. For state from an earlier
    // release that left it out, it is Zoho's default for the version, the value `check` fills in.
    notifyOnRelatedAction: live.notifyOnRelatedAction ?? props.notifyOnRelatedAction,
    // Options the program left to Zoho's default stay unset, so refresh does not invent a diff.
    returnAffectedFieldValues:
      props.returnAffectedFieldValues === undefined ? undefined : live.returnAffectedFieldValues,
    notificationCondition: liveCondition(props.notificationCondition, live.notificationCondition),
  };
  const outs: WatchChannelOutputs = {
    ...inputs,
    channelExpiry: formatZohoTime(live.channelExpiry),
    apiVersion: props.apiVersion,
    modules: live.subscriptions.map((row): SubscribedModule => ({
      module: row.resourceName ?? moduleOf(row.events[0]),
      resourceId: row.resourceId ?? "",
      resourceUri: row.resourceUri ?? "",
      resourceName: row.resourceName ?? "",
    })),
  };
  return { inputs: stripUndefined(inputs), outs: stripUndefined(outs) };
}

/**
 * What `pulumi import` stores for a live channel that no state holds yet: its details as inputs,
 * and for what Zoho does not keep (`expiresIn`, `renewBefore`) the defaults `check` fills in.
 * Options left at Zoho's default stay unset, so the declaration Pulumi generates says only what the
 * channel holds.
 */
export function importedState(
  live: LiveChannel,
  apiVersion: ApiVersion,
  connection: string | undefined,
): { inputs: WatchChannelInputs; outs: WatchChannelOutputs } {
  const expiresIn = safeExpiresIn(apiVersion);
  const base: WatchChannelOutputs = {
    channelId: live.channelId,
    events: live.events,
    notifyUrl: live.notifyUrl,
    expiresIn: expiresIn.toISO() ?? "",
    renewBefore: defaultRenewBefore(expiresIn).toISO() ?? "",
    notifyOnRelatedAction: live.notifyOnRelatedAction ?? defaultNotifyOnRelatedAction(apiVersion),
    ...(live.returnAffectedFieldValues === true && { returnAffectedFieldValues: true }),
    ...(connection !== undefined && { connection }),
    channelExpiry: "",
    apiVersion,
    modules: [],
  };
  return stateFromLive(live, base);
}

/**
 * How a live channel differs from a declaration, one line per detail, safe to print: the token and
 * the URL are never shown (either may hold a credential), only that they differ and the URL's host.
 * Empty when the live channel already is what the program declares.
 */
export function differencesFromLive(live: LiveChannel, inputs: WatchChannelInputs): string[] {
  const differences: string[] = [];
  if (!sameEvents(inputs.events, live.events)) {
    differences.push(`events: live ${live.events.join(", ")}; declared ${inputs.events.join(", ")}`);
  }
  if (live.notifyUrl !== inputs.notifyUrl) {
    differences.push(
      `notifyUrl: live host ${notifyHost(live.notifyUrl)}; declared host ${notifyHost(inputs.notifyUrl)}`,
    );
  }
  if ((live.token ?? undefined) !== inputs.token) {
    differences.push(live.token === null ? "token: none live; one declared" : "token: differs");
  }
  if (
    inputs.notificationCondition !== undefined &&
    liveCondition(inputs.notificationCondition, live.notificationCondition) !== inputs.notificationCondition
  ) {
    differences.push("notificationCondition: differs");
  }
  for (const option of ["notifyOnRelatedAction", "returnAffectedFieldValues"] as const) {
    if (inputs[option] !== undefined && live[option] !== undefined && inputs[option] !== live[option]) {
      differences.push(`${option}: live ${String(live[option])}; declared ${String(inputs[option])}`);
    }
  }
  return differences;
}

/** Modules in a write's answer that the written item did not subscribe (a merge with a live channel). */
export function unexpectedModules(outcome: WatchSuccess, inputs: WatchChannelInputs): string[] {
  const declared = new Set(inputs.events.map(moduleOf));
  return outcome.resources
    .map((r) => r.resourceName)
    .filter((name): name is string => name !== undefined && !declared.has(name));
}

/** The inputs held in `source` (outputs or checked inputs), without outputs. */
export function pickInputs(source: WatchChannelInputs): WatchChannelInputs {
  const picked: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) {
    if (source[key] !== undefined) picked[key] = source[key];
  }
  return picked as unknown as WatchChannelInputs;
}

/** Zoho's time format: second precision, the org's offset kept. */
export function formatZohoTime(time: DateTime): string {
  return time.toISO({ suppressMilliseconds: true }) ?? String(time);
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

function moduleOf(event: string | undefined): string {
  return event?.split(".")[0] ?? "";
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
