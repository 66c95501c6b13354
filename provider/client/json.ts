/**
 * Reading Zoho's JSON without losing channel ids.
 *
 * Zoho's docs type `channel_id` as a long, and real ids exceed 2^53 (e.g. 1105420521999070702).
 * `JSON.parse` would round such a number before any schema sees it, so ids are recovered from the
 * source text with the reviver's third argument (`context.source`, Node >= 21) and kept as
 * decimal strings.
 */

/** Keys whose numeric values are ids: always returned as decimal strings. */
const ID_KEYS: ReadonlySet<string> = new Set(["channel_id", "resource_id", "id"]);

interface ReviverContext {
  source?: string;
}

/** Thrown by {@link parseZohoJson} when text is not JSON or an id cannot be read exactly. */
export class JsonReadError extends Error {}

/**
 * `JSON.parse` where numbers under id keys (`channel_id`, `resource_id`, `id`) become their exact
 * decimal text. Other numbers are parsed as usual.
 */
export function parseZohoJson(text: string): unknown {
  try {
    return JSON.parse(text, function revive(key: string, value: unknown, context?: ReviverContext): unknown {
      if (typeof value !== "number" || !ID_KEYS.has(key)) return value;
      if (context?.source !== undefined) return context.source;
      if (Number.isSafeInteger(value)) return String(value);
      // Only on runtimes without source access (Node < 21), which package.json already excludes.
      throw new JsonReadError(`cannot read ${key} exactly: this runtime's JSON.parse lacks source access`);
    });
  } catch (error) {
    if (error instanceof JsonReadError) throw error;
    throw new JsonReadError("answer is not valid JSON");
  }
}
