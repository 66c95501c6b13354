import { networkInterfaces } from "node:os";
import { CONTROL_PREFIX } from "../control/contract";
import { isLoopbackHost } from "../shared/loopback";

/**
 * Which notify URLs the emulator may call. A notification is a POST chosen by whoever created the
 * channel, so without these rules a channel could aim it at the emulator's own control API and reset
 * every channel or revoke the refresh token whenever a record changes. Refused URLs are recorded as
 * deliveries with the reason as their status, never called.
 */

/** Where the emulator itself listens. */
export interface OwnAddress {
  /** The host it was told to listen on (`127.0.0.1`, `::1`, `0.0.0.0`, a name...). */
  readonly host: string;
  readonly port: number;
}

export interface DeliveryPolicy {
  /** Also call non-loopback receivers. */
  readonly allowExternalDelivery: boolean;
  /** Undefined until the emulator listens. */
  readonly ownAddress: OwnAddress | undefined;
}

export const REFUSED = {
  ownAddress: "skipped: the emulator's own address",
  controlPath: "skipped: an emulator control API path",
  notLoopback: "skipped: not loopback",
} as const;

function bare(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
}

function effectivePort(url: URL): number {
  if (url.port !== "") return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

/** Whether `hostname` reaches the interface(s) the emulator listens on. */
function reachesOwnHost(hostname: string, listenHost: string): boolean {
  const host = bare(hostname);
  const listen = bare(listenHost);
  if (isLoopbackHost(host) || host === listen) return true;
  // Listening on every interface: any of this machine's addresses reaches the emulator.
  if (listen === "0.0.0.0" || listen === "::") {
    return Object.values(networkInterfaces()).some((addresses) =>
      (addresses ?? []).some((address) => bare(address.address) === host),
    );
  }
  return false;
}

/** Whether the path is under the control prefix, however it is spelled (case, percent-encoding). */
function isControlPath(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = pathname;
  }
  return decoded.toLowerCase().startsWith(CONTROL_PREFIX.replace(/\/$/, ""));
}

/** Why the URL must not be called (the status to record), or undefined when it may be. */
export function deliveryRefusal(url: URL, policy: DeliveryPolicy): string | undefined {
  const own = policy.ownAddress;
  // The emulator itself, at any path: nothing a receiver needs lives there.
  if (own && effectivePort(url) === own.port && reachesOwnHost(url.hostname, own.host)) {
    return REFUSED.ownAddress;
  }
  // Another way to the same place (a DNS name for this machine) or another emulator's control API.
  if (isControlPath(url.pathname)) return REFUSED.controlPath;
  if (!policy.allowExternalDelivery && !isLoopbackHost(url.hostname)) return REFUSED.notLoopback;
  return undefined;
}
