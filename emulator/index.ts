import "../provider/node-version"; // first: a clear error on a too old Node.js
import { ControlService } from "./control/service";
import type { EmulatorControls } from "./control/contract";
import { EmulatorCore } from "./runtime/core";
import type { OAuthCredentials } from "./zoho/oauth";
import { resolveOptions, type EmulatorOptions } from "./shared/options";
import { EmulatorServer } from "./runtime/server";
import { exposedHostWarning } from "./shared/loopback";

/**
 * A local emulator of Zoho CRM's watch API (`/crm/{v2..v8}/actions/watch`) and of Zoho's OAuth token
 * endpoint, with a control API to move its clock, simulate record changes, inject faults and inspect
 * state. Start one in process with {@link startEmulator}, or run `zoho-crm-emulator` and drive it
 * with {@link EmulatorControl}. See emulator/README.md.
 */

export { API_VERSIONS, type ApiVersion } from "./shared/api-versions";
export { EmulatorControl, EmulatorControlError, type EmulatorControlOptions } from "./control/client";
export {
  CONTROL_PREFIX,
  OPERATIONS,
  type ChannelSnapshot,
  type DeliveryRecord,
  type EmulatorControls,
  type FaultMatch,
  type FaultSpec,
  type InjectedFault,
  type NotificationBody,
  type Operation,
  type OrgSnapshot,
  type RecordChange,
  type RequestStats,
  type TimelineSnapshot,
} from "./control/contract";
export type { RecordOperation } from "./shared/events";
export { STANDARD_MODULES } from "./shared/modules";
export type { NotificationCondition } from "./zoho/notification-condition";
export type { OAuthCredentials, TokenRateLimit } from "./zoho/oauth";
export {
  DEFAULT_ORG_ID,
  DEFAULT_ORG_NAME,
  DEMO_CREDENTIALS,
  type EmulatorOptions,
  type OrgSpec,
} from "./shared/options";

/** A started emulator: its URL, the control methods, and `close()`. */
export interface RunningEmulator extends EmulatorControls {
  /** Base URL, e.g. `http://127.0.0.1:43117`: API domain and accounts server at once. */
  readonly url: string;
  /** The default org's credentials (see `orgs()` for the others). */
  readonly credentials: OAuthCredentials;
  /** Stops serving (open connections are cut) and writes the state file, if any. Idempotent. */
  close(): Promise<void>;
}

class LocalEmulator extends ControlService implements RunningEmulator {
  private closed: Promise<void> | undefined;

  constructor(
    core: EmulatorCore,
    private readonly server: EmulatorServer,
    readonly url: string,
  ) {
    super(core);
  }

  get credentials(): OAuthCredentials {
    return this.core.options.credentials;
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.server.close();
      await this.core.notifier.close();
      this.core.flush(true);
    })();
    return this.closed;
  }
}

function baseUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * Starts an emulator (by default on 127.0.0.1, a free port, with {@link DEMO_CREDENTIALS}).
 * With `stateFile`, the state it left there is restored first. Rejects on invalid options, an
 * unreadable state file, or a port in use. A `host` beyond loopback is warned about (through
 * `onWarning`) before the port opens: the control API has no authentication.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const core = new EmulatorCore(resolved);
  core.load();
  const warning = exposedHostWarning(resolved.host);
  if (warning !== undefined) resolved.onWarning(warning);
  const server = new EmulatorServer(core, new ControlService(core));
  const port = await server.listen(resolved.host, resolved.port);
  core.port = port;
  core.baseUrl = baseUrl(resolved.host, port);
  return new LocalEmulator(core, server, core.baseUrl);
}
