/**
 * What may be shown of a notify URL. Zoho's own examples carry an auth token in the query string,
 * so a URL is treated as possibly secret: the resource stores such a URL as a secret, and errors,
 * the status report and adopted programs show only its host. Loads nothing but Node's URL, so the
 * `zoho-watch` CLI can share it without loading `@pulumi/pulumi`.
 */

/** True for URLs whose user info or query string may carry credentials (Zoho's own examples do). */
export function urlHoldsCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== "" || parsed.password !== "" || parsed.search !== "";
  } catch {
    // Unparseable: check will reject it; until then, err on the side of secrecy.
    return true;
  }
}

/** The host (and port) of a notify URL: never its path, query or user info. */
export function notifyHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(unreadable URL)";
  }
}
