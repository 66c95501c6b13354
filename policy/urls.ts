/**
 * Notify URL helpers: parsing, the loopback test, host patterns, and a printable form that leaves
 * out the user info and query string (Zoho's own examples put keys there; the resource stores such
 * URLs as secrets, so violation messages must not print them).
 */
import { isLoopback, normalizeHost, printableUrl } from "../provider/channel/notify-url";
import { UNKNOWN, type Read } from "./channel";

// The loopback test and the printable form are the provider's: one definition for check and policy.
export { isLoopback, printableUrl };

/** The URL, when the value is a known, parseable URL. */
export function parseNotifyUrl(value: Read<string>): URL | undefined {
  if (value === undefined || value === UNKNOWN) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined; // The provider's check rejects it with its own message.
  }
}

/** A URL's host name in lower case, without IPv6 brackets or a trailing root dot. */
export function hostOf(url: URL): string {
  return normalizeHost(url.hostname);
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
