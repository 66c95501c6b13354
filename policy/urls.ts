/**
 * Notify URL helpers: parsing, the loopback test, host patterns, and a printable form that leaves
 * out the user info and query string (Zoho's own examples put keys there; the resource stores such
 * URLs as secrets, so violation messages must not print them).
 */
import { isIPv4, isIPv6 } from "node:net";
import { UNKNOWN, type Read } from "./channel";

/** The URL, when the value is a known, parseable URL. */
export function parseNotifyUrl(value: Read<string>): URL | undefined {
  if (value === undefined || value === UNKNOWN) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined; // The provider's check rejects it with its own message.
  }
}

/** Scheme, host and path: what a message may show of a notify URL. */
export function printableUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** A URL's host name in lower case, without IPv6 brackets or a trailing root dot. */
export function hostOf(url: URL): string {
  return normalizeHost(url.hostname);
}

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

/** True when `host` is `pattern`, or, for a `*.example.com` pattern, any subdomain of example.com. */
export function hostMatches(host: string, pattern: string): boolean {
  const bareHost = normalizeHost(host);
  const barePattern = normalizeHost(pattern);
  if (barePattern.startsWith("*.")) {
    return bareHost.endsWith(barePattern.slice(1));
  }
  return bareHost === barePattern;
}

function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}
