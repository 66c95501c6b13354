/**
 * Property values on the wire: the engine's protobuf `Struct`s to plain values and back, with
 * secrets.
 *
 * The plugin answers `acceptSecrets: true`, so a secret reaches it wrapped in Pulumi's secret
 * envelope (`{ [specialSigKey]: specialSecretSig, value }`), and the engine stores as secret only
 * what the plugin wraps in its answers: it copies no secretness itself (an import's `Read` has no
 * old state to copy it from). So values are unwrapped once on the way in, remembering which
 * top-level properties were secret, and every answer wraps them again, plus those the model makes
 * secret (the token always, the notify URL when it carries credentials).
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ALWAYS_SECRET_NAMES } from "../../channel/model";
import { urlHoldsCredentials } from "../../channel/notify-url";

/**
 * Pulumi's secret envelope: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. The same constants as
 * `@pulumi/pulumi/runtime/rpc`'s `specialSigKey` and `specialSecretSig` (a test compares them),
 * written here so that the plugin's bundle does not carry the SDK's whole runtime for two strings.
 */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Plain values of a Struct's properties, and which of them arrived secret. */
export interface Unwrapped {
  values: Record<string, unknown>;
  secrets: Set<string>;
}

/** A Struct (possibly absent) as plain values, secrets unwrapped and noted. */
export function fromStruct(struct: Struct | undefined): Unwrapped {
  const raw = (struct?.toJavaScript() ?? {}) as Record<string, unknown>;
  const secrets = new Set<string>();
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (containsSecret(value)) secrets.add(key);
    values[key] = unwrap(value);
  }
  return { values, secrets };
}

function isSecret(value: unknown): value is { value?: unknown } {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG
  );
}

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}

function unwrap(value: unknown): unknown {
  if (isSecret(value)) return unwrap(value.value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  return value;
}

/** `value` in Pulumi's secret envelope. */
function secret(value: unknown): Record<string, unknown> {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/**
 * Which top-level properties of a WatchChannel's values are secret: those the model makes secret,
 * a notify URL that holds credentials, and any that arrived secret (`also`).
 */
export function secretKeys(values: Record<string, unknown>, also: Iterable<string> = []): Set<string> {
  const keys = new Set<string>(also);
  for (const name of ALWAYS_SECRET_NAMES) keys.add(name);
  if (typeof values.notifyUrl === "string" && urlHoldsCredentials(values.notifyUrl)) keys.add("notifyUrl");
  return keys;
}

/**
 * Plain values as a Struct, the `secrets` among their top-level keys wrapped. Undefined values are
 * left out (a Struct has no undefined), also inside arrays' objects.
 */
export function toStruct(values: Record<string, unknown>, secrets: ReadonlySet<string> = new Set()): Struct {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const clean = withoutUndefined(value);
    out[key] = secrets.has(key) ? secret(clean) : clean;
  }
  return Struct.fromJavaScript(out as Parameters<typeof Struct.fromJavaScript>[0]);
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    );
  }
  return value;
}
