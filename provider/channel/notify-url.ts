/**
 * What may be shown of a notify URL. Zoho's own examples carry an auth token in the query string,
 * so a URL is treated as possibly secret: the resource stores such a URL as a secret, and errors,
 * the status report and adopted programs show only its host. Loads nothing but Node's URL, so the
 * `zoho-watch` CLI can share it without loading `@pulumi/pulumi`.
 */

import { isIPv4, isIPv6 } from "node:net";

/**
 * True for hosts that always mean this machine: `localhost` and `*.localhost` (RFC 6761),
 * 127.0.0.0/8, `::1` and IPv4-mapped 127.x addresses. The URL parser has already turned other
 * spellings (`2130706433`, `0x7f.1`, `[0:0:0:0:0:0:0:1]`) into these forms.
 */
export function isLoopback(host: string): boolean {
  const bare = normalizeHost(host);
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (isIPv4(bare)) return bare.startsWith("127.");
  if (isIPv6(bare)) return bare === "::1" || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(bare);
  return false;
}

/** A host name in lower case, without IPv6 brackets or a trailing root dot. */
export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

/** Scheme, host and path: what a message may show of a notify URL (no user info, no query). */
export function printableUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Why a plain-http notify URL to a host other than this machine is unsafe, or undefined when the URL
 * is https or loopback. Shared by `check` (which refuses it unless the resource allows plain http)
 * and the policy pack's `notify-url-https` (which refuses it always).
 */
export function plainHttpReason(url: URL): string | undefined {
  if (url.protocol !== "http:" || isLoopback(url.hostname)) return undefined;
  return (
    `${printableUrl(url)} is plain http to ${normalizeHost(url.hostname)}: Zoho would send every notification, ` +
    `verification token included, unencrypted. Serve the receiver over https and use ` +
    `https://${url.host}${url.pathname} (plain http is only for loopback hosts such as localhost and 127.0.0.1)`
  );
}

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
