import { isIP } from "node:net";

/**
 * Loopback addresses, in every spelling the emulator meets them: a notify URL's hostname (as WHATWG
 * URL normalises it, `[::1]` with brackets) or the `host` it is told to listen on.
 */

/** Whether a hostname is loopback: `localhost`, 127.0.0.0/8 or ::1 (brackets allowed). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "0:0:0:0:0:0:0:1";
}

/**
 * The warning for an emulator listening beyond loopback, or undefined when `host` is loopback. The
 * control API has no authentication: anyone who reaches it can delete every channel or revoke the
 * refresh token. Shared by `startEmulator` and the CLI so both say the same thing.
 */
export function exposedHostWarning(host: string): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  return (
    `the emulator listens on ${host}, beyond loopback: its control API (/__emulator/) has no ` +
    `authentication, so anyone who can reach ${host} can reset it or revoke its refresh token`
  );
}
