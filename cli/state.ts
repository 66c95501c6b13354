/**
 * The channels a stack manages, read from `pulumi stack export`.
 *
 * An export holds secrets in one of two shapes: encrypted
 * (`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "..."}`)
 * or, with `--show-secrets`, decrypted (`{..., "plaintext": "<JSON of the value>"}`). A
 * {@link StateValue} keeps the difference: a plain or decrypted value can be compared with Zoho's,
 * an encrypted one cannot. Neither is ever printed.
 */
import * as z from "../provider/zod";

import {
  PLUGIN_WATCH_CHANNEL_TYPE,
  WATCH_CHANNEL_TYPE,
  WATCH_CHANNEL_TYPES,
} from "../provider/channel/resource-type";

/** The resource types of a watch channel in state: the dynamic `WatchChannel`'s and the plugin's. */
export { PLUGIN_WATCH_CHANNEL_TYPE, WATCH_CHANNEL_TYPE, WATCH_CHANNEL_TYPES };

/** Pulumi's marker key and value for a secret in serialized state. */
const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** A value from state: known (plain, or a secret exported with --show-secrets) or encrypted. */
export type StateValue<T> = { known: true; value: T; secret: boolean } | { known: false; secret: true };

/** A state file that is not a `pulumi stack export`; exit code 2. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

/** One WatchChannel of the stack, as its outputs record it. */
export interface ManagedChannel {
  /** The resource's name in the program (the last part of its URN). */
  name: string;
  urn: string;
  channelId: string;
  events: StateValue<string[]> | undefined;
  notifyUrl: StateValue<string> | undefined;
  /** Undefined when the program declared no token. */
  token: StateValue<string> | undefined;
  /** The expiry the stack last wrote, as Zoho answered it. */
  channelExpiry: string | undefined;
  /** The renewal window the stack last wrote (ISO-8601), which its next `pulumi up` judges by. */
  renewBefore: string | undefined;
}

const ResourceSchema = z.looseObject({
  urn: z.string(),
  type: z.string(),
  id: z.string().optional(),
  delete: z.boolean().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
});

const ExportSchema = z.looseObject({
  deployment: z.looseObject({ resources: z.array(ResourceSchema).nullish() }),
});

/** Reads the managed channels from the text of `pulumi stack export` (with or without --show-secrets). */
export function managedChannels(exportText: string, source: string): ManagedChannel[] {
  let json: unknown;
  try {
    json = JSON.parse(exportText);
  } catch {
    throw new StateFileError(
      `${source} is not JSON: pass the output of \`pulumi stack export\` (e.g. \`pulumi stack export | zoho-watch status --state -\`)`,
    );
  }
  const parsed = ExportSchema.safeParse(json);
  if (!parsed.success) {
    throw new StateFileError(
      `${source} is not a \`pulumi stack export\`: it has no deployment.resources; export the stack with \`pulumi stack export\``,
    );
  }
  const channels: ManagedChannel[] = [];
  for (const resource of parsed.data.deployment.resources ?? []) {
    // A resource marked `delete` is the old half of a replacement, waiting to be deleted.
    if (!WATCH_CHANNEL_TYPES.includes(resource.type) || resource.delete === true) continue;
    const props = resource.outputs ?? resource.inputs ?? {};
    const channelId = stateValue(props["channelId"], isString);
    const id = channelId?.known ? channelId.value : resource.id;
    if (id === undefined || id === "") continue; // never created: nothing live to compare
    channels.push({
      name: resource.urn.slice(resource.urn.lastIndexOf("::") + 2),
      urn: resource.urn,
      channelId: id,
      events: stateValue(props["events"], isStringArray),
      notifyUrl: stateValue(props["notifyUrl"], isString),
      token: stateValue(props["token"], isString),
      channelExpiry: typeof props["channelExpiry"] === "string" ? props["channelExpiry"] : undefined,
      renewBefore: typeof props["renewBefore"] === "string" ? props["renewBefore"] : undefined,
    });
  }
  return channels;
}

/** Reads one property; undefined when absent (or null: an optional input left out). */
function stateValue<T>(raw: unknown, is: (value: unknown) => value is T): StateValue<T> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "object" && !Array.isArray(raw)) {
    const record = raw as Record<string, unknown>;
    if (record[SECRET_SIGNATURE_KEY] === SECRET_SIGNATURE) {
      if (typeof record["plaintext"] !== "string") return { known: false, secret: true };
      const value = parsePlaintext(record["plaintext"]);
      if (value === undefined || value === null) return undefined;
      return is(value) ? { known: true, value, secret: true } : { known: false, secret: true };
    }
  }
  return is(raw) ? { known: true, value: raw, secret: false } : undefined;
}

/** `--show-secrets` stores the value as JSON text; be lenient with a bare string. */
function parsePlaintext(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}
