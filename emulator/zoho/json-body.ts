/**
 * JSON parsing that keeps channel ids exact.
 *
 * Real channel ids exceed 2^53, and `JSON.parse` rounds such numbers. Ids sent as strings survive any
 * parser; for ids sent as bare numbers we take the digits from the source text (the reviver's
 * `context.source`, Node >= 21), so they survive too. Without source access the number's JS rendering
 * is used, which for a rounded id is not an integer string and is then refused as INVALID_DATA rather
 * than silently stored as another channel's id.
 */

/** A request body: absent (or blank), JSON, or not JSON at all. */
export type RequestBody =
  | { readonly kind: "empty" }
  | { readonly kind: "json"; readonly value: unknown }
  | { readonly kind: "invalid" };

const ID_KEYS = new Set(["channel_id"]);

function keepIdDigits(this: unknown, key: string, value: unknown, context?: { source?: string }): unknown {
  if (ID_KEYS.has(key) && typeof value === "number") return context?.source ?? String(value);
  return value;
}

export function parseRequestBody(raw: Buffer): RequestBody {
  const text = raw.toString("utf8");
  if (text.trim() === "") return { kind: "empty" };
  try {
    return { kind: "json", value: JSON.parse(text, keepIdDigits) as unknown };
  } catch {
    return { kind: "invalid" };
  }
}
