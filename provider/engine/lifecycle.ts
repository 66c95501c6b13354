/**
 * The WatchChannel lifecycle: what each dynamic-provider method does against Zoho, given the
 * {@link ProviderRuntime} of the provider process (see provider-runtime.ts for how the serialized
 * provider reaches these functions).
 *
 * The rules that shape it:
 *  - never a bare PATCH: Zoho nulls the token of a PATCH without one, so every write is a full
 *    POST (enable) or PUT (replace all details);
 *  - a renewal replaces the resource with one that has the *same* channel id. The engine creates the
 *    new one first (a PUT that moves the expiry, so the channel never lapses) and deletes the old one
 *    afterwards, once the program has finished. That delete must not disable the renewed channel, so
 *    `remove` leaves subscribed a channel that a resource of the program being run declares, and
 *    disables every other. The decision rests on what the program declares, never on timestamps;
 *  - a create takes over a live channel only when this stack's state already holds it (a renewal,
 *    possibly with other changes), when its details already are the declared ones, or when the
 *    program says `adopt: true`. Anything else may be another stack's channel: a clear error.
 */
import { Duration } from "luxon";
import type * as pulumi from "@pulumi/pulumi";
import { isAlreadyGone, isZohoError, ZohoNotFoundError } from "../zoho/errors";
import { parseExpiry } from "../zoho/dates";
import type { WatchOutcome } from "../client/answers";
import {
  diffChannel,
  storedNotifyOnRelatedAction,
  type ChannelDiff,
  type WatchChannelOutputs,
} from "../channel/diff";
import { checkInputs, UNKNOWN, type WatchChannelInputs } from "../channel/inputs";
import { declarerInSameOrg } from "./org-scope";
import { connectionLabel, unknownConnectionReason, type ProviderRuntime } from "./runtime";
import { requireCredentials, SettingsError, type ApiVersion } from "./settings";
import type { ChannelMemory } from "./run-memory";
import {
  differencesFromLive,
  formatZohoTime,
  importedState,
  outputsFromWrite,
  stateFromLive,
  toItem,
  unexpectedModules,
} from "../channel/state";

/**
 * Where the lifecycle says what is no failure (a held value past a limit, why a renewal is due).
 * The dynamic door has no resource URN to say it with: the provider's stderr, which the engine shows
 * under the stack. The plugin passes its engine log, bound to the resource.
 */
export type Say = (message: string) => void;

const toStderr: Say = (message) => console.error(`zoho-watch: ${message}`);

/** `check`: validation and defaults; no API call. */
export function check(
  rt: ProviderRuntime,
  olds: WatchChannelInputs | undefined,
  news: WatchChannelInputs,
  say: Say = toStderr,
): Promise<pulumi.dynamic.CheckResult<WatchChannelInputs>> {
  // Raw values: anything the program passed, including the preview's unknown sentinel.
  const raw = news as unknown as Record<string, unknown>;
  const connection = connectionOf(rt, raw.connection);
  if (connection === UNUSABLE && typeof raw.connection === "string" && raw.connection !== UNKNOWN) {
    const { inputs } = checkInputs(raw, rt.settings.apiVersion);
    return Promise.resolve({
      inputs: inputs as unknown as WatchChannelInputs,
      failures: [{ property: "connection", reason: unknownConnectionReason(raw.connection, rt.connections) }],
    });
  }
  // Version-dependent rules follow the connection the resource uses.
  const held = heldInputs(rt, olds, raw);
  const { inputs, failures, warnings } = checkInputs(raw, apiVersionOf(rt, raw.connection), held);
  for (const warning of warnings) {
    // A check answer carries failures only, so a warning goes to the provider's stderr, which the
    // engine shows under the stack (a dynamic provider is given no resource URN): the channel id
    // says which resource it is about.
    say(
      `warning: ${warning.property} ${warning.reason} (channel ${String(raw.channelId)}). ` +
        `This stack's state already holds this value, so the channel keeps being renewed with it; ` +
        `change it before Zoho refuses it.`,
    );
  }
  // A preview with missing credentials would pass and only the `up` would fail: say it here, where
  // a pull request's preview shows it, before any call is made.
  const credentials = missingCredentials(rt, raw.connection);
  if (credentials) failures.push({ property: "", reason: credentials });
  // Two resources declaring one id are refused by WatchChannel itself, in the program: `check`
  // cannot tell them apart from one resource checked twice (the engine re-checks a replacement).
  declare(rt, inputs as unknown as WatchChannelInputs);
  return Promise.resolve({ inputs: inputs as unknown as WatchChannelInputs, failures });
}

/**
 * The inputs this stack's state holds for the channel being checked. A new resource has none. A
 * replacement is checked twice, the second time without old inputs: it gets those of the first.
 */
function heldInputs(
  rt: ProviderRuntime,
  olds: WatchChannelInputs | undefined,
  news: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (typeof news.channelId !== "string" || news.channelId === UNKNOWN) return undefined;
  const key = `${typeof news.connection === "string" ? news.connection : ""} ${news.channelId}`;
  if (olds && Object.keys(olds).length > 0) {
    rt.heldInputs.set(key, olds as unknown as Record<string, unknown>);
    return olds as unknown as Record<string, unknown>;
  }
  return rt.heldInputs.get(key);
}

/**
 * The plan for a change: the pure {@link diffChannel}, plus what this run learns: the stack holds
 * `olds`, and the program declares `news`. Each door shapes it for its engine protocol.
 */
export function plan(rt: ProviderRuntime, olds: WatchChannelOutputs, news: WatchChannelInputs): ChannelDiff {
  memoryOf(rt, olds.connection)?.noteStored(olds.channelId, olds.channelExpiry);
  declare(rt, news);
  return diffChannel(
    olds,
    news as unknown as Record<string, unknown>,
    apiVersionOf(rt, news.connection),
    rt.clock(),
  );
}

/** `diff` in the dynamic provider's shape: a renewal is a replacement. */
export function diff(
  rt: ProviderRuntime,
  olds: WatchChannelOutputs,
  news: WatchChannelInputs,
  say: Say = toStderr,
): Promise<pulumi.dynamic.DiffResult> {
  const result = plan(rt, olds, news);
  if (result.reasons.channelExpiry) {
    // Dynamic providers have no detailed diff (pulumi/pulumi#3080): say why on the provider's log too.
    say(`channel ${olds.channelId}: ${result.reasons.channelExpiry}`);
  }
  return Promise.resolve({
    changes: result.changes,
    replaces: result.replaces,
    deleteBeforeReplace: result.deleteBeforeReplace,
  });
}

/** `create`: subscribes the channel, or takes over a live one when that is safe, and stores Zoho's answer. */
export async function create(
  rt: ProviderRuntime,
  inputs: WatchChannelInputs,
): Promise<pulumi.dynamic.CreateResult<WatchChannelOutputs>> {
  const id = inputs.channelId;
  declare(rt, inputs);
  // This stack already holds the channel (a renewal or a replacement of its own resource) or wrote
  // it in this run: rewrite it. Otherwise look before writing: it may be someone else's.
  const known = rt.channels(inputs.connection);
  const owned = known.isStored(id) || known.writtenExpiry(id) !== undefined;
  const live = owned
    ? await withContext("create", id, () => rt.zoho(inputs.connection).isLive(id))
    : await withContext("create", id, () => liveForTakeover(rt, inputs));
  return { id, outs: await subscribe(rt, inputs, "create", live) };
}

/**
 * Whether a channel that this stack does not hold is live, refusing a takeover that the program
 * did not ask for: only a live channel whose details are already the declared ones, or one the
 * program adopts explicitly, is rewritten.
 */
async function liveForTakeover(rt: ProviderRuntime, inputs: WatchChannelInputs): Promise<boolean> {
  const live = await rt.zoho(inputs.connection).lookup(inputs.channelId);
  if (!live) return false;
  const differences = differencesFromLive(live, inputs);
  if (differences.length > 0 && inputs.adopt !== true) {
    throw new Error(
      `channel ${inputs.channelId} is already subscribed in Zoho and this stack does not manage it ` +
        `(another stack's, or made outside Pulumi). It differs from this declaration: ${differences.join("; ")}. ` +
        `To take it over and replace its details, set \`adopt: true\` on this WatchChannel ` +
        `(\`npx zoho-watch adopt\` prints a declaration matching it); otherwise choose another channelId, ` +
        `or leave channelId out to derive one.`,
    );
  }
  return true;
}

/** `update`: rewrites every detail with a PUT (which also renews the expiry). */
export async function update(
  rt: ProviderRuntime,
  olds: WatchChannelOutputs,
  news: WatchChannelInputs,
): Promise<pulumi.dynamic.UpdateResult<WatchChannelOutputs>> {
  memoryOf(rt, olds.connection)?.noteStored(olds.channelId, olds.channelExpiry);
  declare(rt, news);
  const { reasons } = diffChannel(
    olds,
    news as unknown as Record<string, unknown>,
    apiVersionOf(rt, news.connection),
    rt.clock(),
  );
  if (Object.keys(reasons).every((key) => key === "renewBefore")) {
    // The window only matters to diff (and `adopt` only to create): Zoho has nothing to change.
    const outs: WatchChannelOutputs = { ...olds, renewBefore: news.renewBefore };
    // `adopt` follows the declaration; an undefined value cannot cross the engine's RPC.
    if (news.adopt === undefined) delete outs.adopt;
    else outs.adopt = news.adopt;
    // State from an earlier release may lack the flag: the output always carries the effective value.
    const notifyOnRelatedAction = storedNotifyOnRelatedAction(olds);
    if (notifyOnRelatedAction !== undefined) outs.notifyOnRelatedAction = notifyOnRelatedAction;
    return { outs };
  }
  const live = await withContext("update", news.channelId, () =>
    rt.zoho(news.connection).isLive(news.channelId),
  );
  return { outs: await subscribe(rt, news, "update", live) };
}

/**
 * What a create (`olds` undefined) or an update of `news` would store, predicted without calling
 * Zoho: for a preview that shows the new values, a renewal's new `channelExpiry` above all. What
 * only Zoho's answer can say is unknown (a new channel's expiry and modules, or modules when the
 * events change).
 */
export function predictOutputs(
  rt: ProviderRuntime,
  olds: WatchChannelOutputs | undefined,
  news: WatchChannelInputs,
): Record<string, unknown> {
  const apiVersion = apiVersionOf(rt, news.connection);
  if (!olds) return { ...news, channelExpiry: UNKNOWN, apiVersion, modules: UNKNOWN };
  const { reasons } = diffChannel(olds, news as unknown as Record<string, unknown>, apiVersion, rt.clock());
  if (Object.keys(reasons).every((key) => key === "renewBefore")) return { ...olds, ...news };
  const expiresIn = news.expiresIn === UNKNOWN ? undefined : Duration.fromISO(news.expiresIn);
  const stored = parseExpiry(olds.channelExpiry);
  // In the org's offset, as Zoho will answer it (the one the stored expiry has).
  const expiry = expiresIn?.isValid
    ? formatZohoTime(
        rt
          .clock()
          .plus(expiresIn)
          .startOf("second")
          .setZone(stored.isValid ? stored.zone : "utc"),
      )
    : UNKNOWN;
  return {
    ...news,
    channelExpiry: expiry,
    apiVersion,
    modules: reasons.events === undefined ? olds.modules : UNKNOWN,
  };
}

/**
 * `read` (refresh): the live channel, or an empty id when it was deleted or expired out of band (the
 * engine then drops it from state and the next `up` recreates it). Returns inputs too, so that live
 * changes made outside Pulumi show as a diff on the next preview and nothing else does.
 */
export async function read(
  rt: ProviderRuntime,
  id: string,
  props: WatchChannelOutputs | undefined,
): Promise<pulumi.dynamic.ReadResult> {
  if (!props) {
    // Only `pulumi import` and `.get()` read without state; dynamic resources support neither.
    throw new Error(
      `WatchChannel ${id}: reading a channel without its state is not supported; declare it with channelId and adopt: true instead`,
    );
  }
  memoryOf(rt, props.connection)?.noteStored(id, props.channelExpiry);
  const live = await withContext("refresh", id, () => rt.zoho(props.connection).get(id));
  if (!live) {
    return { id: "" };
  }
  const { inputs, outs } = stateFromLive(live, props);
  return { id: live.channelId, props: outs, inputs };
}

/**
 * `read` without state (`pulumi import`): the live channel as inputs and outputs, or undefined when
 * no channel with this id is live. Taking it over is explicit here: the user names the id.
 */
export async function importChannel(
  rt: ProviderRuntime,
  id: string,
  connection: string | undefined,
): Promise<{ id: string; inputs: WatchChannelInputs; outs: WatchChannelOutputs } | undefined> {
  if (connection !== undefined && !(connection in rt.connections)) {
    throw new Error(
      `WatchChannel ${id}: import failed: ${unknownConnectionReason(connection, rt.connections)}`,
    );
  }
  const api = rt.zoho(connection);
  const live = await withContext("import", id, () => api.get(id));
  if (!live) return undefined;
  rt.channels(connection).noteStored(id, formatZohoTime(live.channelExpiry));
  return { id: live.channelId, ...importedState(live, api.apiVersion, connection) };
}

/**
 * `delete`: disables the channel, unless a resource of the program being run declares it in the
 * same org — then it belongs to that resource (the replacement of a renewal, one that took the id
 * over, or one that moved to another connection to the same org). Declared through a connection to
 * another org, it is another channel, and this one is disabled. When the org cannot be learned, the
 * delete fails and changes nothing (see org-scope.ts). A channel already gone counts as deleted.
 * `pulumi destroy` runs no program, so it always disables, without asking for any org.
 */
export async function remove(
  rt: ProviderRuntime,
  id: string,
  connection?: string,
  say: Say = toStderr,
): Promise<void> {
  let keeper: string | undefined;
  try {
    keeper = await declarerInSameOrg({
      connection: connection ?? "",
      declaredThrough: rt.memory.declaredThrough(id),
      endpointOf: (other) => rt.endpointOf(other === "" ? undefined : other),
      orgOf: (other) => rt.orgOf(other === "" ? undefined : other),
    });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
    throw new Error(
      `WatchChannel ${id}: delete failed: a resource of this program also declares channel ${id} ` +
        `(through ${rt.memory.declaredThrough(id).map(connectionLabel).join(", ")}), and whether that ` +
        `is this channel depends on the org each connection acts in. ${message}. Nothing was disabled ` +
        `and the resource stays in the stack; fix that and run \`pulumi up\` again (the provider asks ` +
        `Zoho for the org with GET /crm/{version}/org, which needs the ZohoCRM.org.READ scope besides ` +
        `ZohoCRM.notifications.ALL).`,
      // The cause's text is the client's, already free of secrets.
      { cause: error },
    );
  }
  if (keeper !== undefined) {
    say(
      `channel ${id} is declared by a resource of this program in the same org (through ${connectionLabel(keeper)}); leaving it subscribed`,
    );
    return;
  }
  const [outcome] = await withContext("delete", id, () => rt.zoho(connection).disable(id));
  if (outcome && !outcome.ok && !isAlreadyGone(outcome.error)) {
    throw contextError("delete", id, outcome.error);
  }
}

/** POST or PUT the full details with a fresh expiry; returns the outputs to store. */
async function subscribe(
  rt: ProviderRuntime,
  inputs: WatchChannelInputs,
  verb: "create" | "update",
  live: boolean,
): Promise<WatchChannelOutputs> {
  const api = rt.zoho(inputs.connection);
  const expiry = rt.clock().plus(Duration.fromISO(inputs.expiresIn)).startOf("second");
  const item = toItem(inputs, expiry);
  const id = inputs.channelId;

  // PUT when the channel is live (a renewal, an adoption, the usual update), POST when it is not (a
  // fresh create, or an update of a channel that expired or was deleted out of band).
  let [outcome]: WatchOutcome[] = live
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
  const foreign = unexpectedModules(outcome, inputs);
  if (foreign.length > 0) {
    // A POST merges into a channel that went live since we looked: someone else subscribed it.
    throw new Error(
      `WatchChannel ${id}: ${verb} failed: Zoho merged this channel with a live one that also watches ${foreign.join(", ")}; ` +
        `another stack or tool subscribed channel ${id} at the same moment. Check who owns it (\`npx zoho-watch status\`), ` +
        `then run \`pulumi up\` again with another channelId or with \`adopt: true\`.`,
    );
  }
  return outputsFromWrite(inputs, outcome, expiry, api.apiVersion);
}

/** A `connection` input that names no usable connection: unknown during a preview, or not configured. */
const UNUSABLE = Symbol("no usable connection");

/** The connection a `connection` input selects: a name, undefined for the unnamed one, or {@link UNUSABLE}. */
function connectionOf(rt: ProviderRuntime, value: unknown): string | undefined | typeof UNUSABLE {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" && value !== UNKNOWN && value in rt.connections ? value : UNUSABLE;
}

/** The API version of a resource's connection (the unnamed one's while it is unusable). */
function apiVersionOf(rt: ProviderRuntime, value: unknown): ApiVersion {
  const connection = connectionOf(rt, value);
  return connection === UNUSABLE ? rt.settings.apiVersion : rt.connection(connection).apiVersion;
}

/** Why the connection a resource uses cannot authenticate (every missing key, and how to set it), if it cannot. */
function missingCredentials(rt: ProviderRuntime, value: unknown): string | undefined {
  const connection = connectionOf(rt, value);
  if (connection === UNUSABLE) return undefined;
  try {
    requireCredentials(rt.connection(connection), connection);
    return undefined;
  } catch (error) {
    if (error instanceof SettingsError) return error.message;
    throw error;
  }
}

/** Records that the program declares `news.channelId` through its connection. */
function declare(rt: ProviderRuntime, news: WatchChannelInputs): void {
  const channelId: unknown = news.channelId;
  const connection = connectionOf(rt, news.connection);
  if (typeof channelId === "string" && channelId !== UNKNOWN && connection !== UNUSABLE)
    rt.memory.declare(connection ?? "", channelId);
}

/** The run's memory of a connection's org, or undefined while the connection is unusable. */
function memoryOf(rt: ProviderRuntime, value: unknown): ChannelMemory | undefined {
  const connection = connectionOf(rt, value);
  return connection === UNUSABLE ? undefined : rt.channels(connection);
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
  const prefix = `WatchChannel ${id}: ${step} failed: `;
  const wrapped = new Error(message.startsWith(prefix) ? message : `${prefix}${message}`);
  if (isZohoError(error)) {
    // Keep the stable code for callers; the client's messages are already free of secrets.
    Object.assign(wrapped, { code: error.code });
  }
  return wrapped;
}
