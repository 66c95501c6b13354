/**
 * Splitting a call into requests Zoho accepts (issue 12): at most `LIMITS.maxItemsPerWrite` items
 * per POST/PUT/PATCH, and a DELETE `channel_ids` parameter of at most
 * `LIMITS.maxChannelIdsParamLength` characters.
 *
 * The requests of one call are sent one after another, in order, so two requests of one call
 * never race for the same channel and outcomes come back in the order of the items.
 */
import type { WatchOutcome } from "./answers";
import { isZohoError } from "../zoho/errors";

/** `items` in consecutive groups of at most `size`. */
export function chunkBySize<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * `ids` in consecutive groups whose comma-joined text (`1,2,3`) has at most `maxLength`
 * characters. An id longer than `maxLength` on its own still gets a group (Zoho ids are at most
 * 19 digits, far below the limit).
 */
export function chunkByJoinedLength(ids: readonly string[], maxLength: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const id of ids) {
    const added = current.length === 0 ? id.length : length + 1 + id.length;
    if (current.length > 0 && added > maxLength) {
      chunks.push(current);
      current = [id];
      length = id.length;
    } else {
      current.push(id);
      length = added;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Sends one request per chunk, in order, and returns every item's outcome in order.
 *
 * A request that fails as a whole (network, auth, rate limit after retries) fails the items of
 * its chunk, each with that error, and the next chunks are still sent: other chunks' outcomes
 * stay visible. Only when every chunk failed as a whole does the call throw (the first error), so
 * a call of one chunk behaves exactly as a single request always did. A caller's abort, or any
 * error that is not a Zoho error, is rethrown at once.
 */
export async function sendChunks<C>(
  chunks: readonly C[],
  send: (chunk: C) => Promise<WatchOutcome[]>,
  channelIdsOf: (chunk: C) => readonly string[],
): Promise<WatchOutcome[]> {
  const outcomes: WatchOutcome[] = [];
  let firstError: unknown;
  let failedChunks = 0;
  for (const chunk of chunks) {
    try {
      outcomes.push(...(await send(chunk)));
    } catch (error) {
      if (!isZohoError(error)) throw error;
      firstError ??= error;
      failedChunks += 1;
      for (const channelId of channelIdsOf(chunk)) outcomes.push({ ok: false, channelId, error });
    }
  }
  if (failedChunks === chunks.length && failedChunks > 0) throw firstError;
  return outcomes;
}
