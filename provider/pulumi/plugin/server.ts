/**
 * The provider plugin: Pulumi's `ResourceProvider` gRPC service over the same core as the dynamic
 * door (engine/lifecycle.ts), for programs in every Pulumi language.
 *
 * Served directly with `@grpc/grpc-js` and the stubs `@pulumi/pulumi` ships, because the SDK's own
 * `provider.main()` drops the provider config, answers `CheckConfig`/`DiffConfig` with
 * UNIMPLEMENTED and never sends a detailed diff. What differs from the dynamic door, and why:
 *  - **a renewal is an update** (`~ channelExpiry`): the PUT the client already sends, with no
 *    create-before-delete of one channel id, so `protect` works and no delete ever races the renewal;
 *  - **`channelId` may be left out**: `check` keeps the stored one, or derives one from the URN
 *    (the dynamic door derives it in the program, which a plugin never sees);
 *  - **two resources with one id** are refused in `check`, by URN (the dynamic door refuses them in
 *    the program);
 *  - **import**: `Read` with an id and no state returns the live channel as inputs and outputs;
 *  - **secrets**: `acceptSecrets: true`, and every answer wraps what is secret (properties.ts);
 *  - **no Zoho call during a preview**: `Create` and `Update` previews are predicted from the plan.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as lifecycle from "../../engine/lifecycle";
import { ProviderRuntime } from "../../engine/runtime";
import {
  CONFIG_NAMESPACE,
  readConnections,
  readSettings,
  SettingsError,
  unknownSettingKeys,
  type ConfigSource,
} from "../../engine/settings";
import { deriveChannelId } from "../../channel/channel-id";
import { INPUT_NAMES } from "../../channel/model";
import { UNKNOWN, type WatchChannelInputs } from "../../channel/inputs";
import type { WatchChannelOutputs } from "../../channel/diff";
import { failuresForEngine } from "../check-failures";
import { fromStruct, secretKeys, toStruct } from "./properties";
import { packageSchema } from "./schema";

type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;

/** The settings of a provider instance, as the engine sends them. */
function configSource(variables: ReadonlyMap<string, string> | Map<string, string>): ConfigSource {
  return { get: (key) => variables.get(key) };
}

/** Provider inputs (`{ clientId: ... }`, from `CheckConfig`) as the `zoho-watch:*` config they are. */
function inputsAsConfig(values: Record<string, unknown>): Map<string, string> {
  const config = new Map<string, string>();
  for (const [key, value] of Object.entries(values)) {
    if (key === "version" || key.startsWith("__") || value === undefined || value === null) continue;
    config.set(`${CONFIG_NAMESPACE}:${key}`, typeof value === "string" ? value : JSON.stringify(value));
  }
  return config;
}

/** Keys of a WatchChannel's values that no door stores: the dynamic door's `__provider`, above all. */
function withoutEngineKeys(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !key.startsWith("__")));
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → its parts (what a derived channel id hashes). */
function urnParts(urn: string): { stack: string; project: string; name: string } {
  const [head = "", project = "", , name = ""] = urn.split("::");
  return { stack: head.split(":").at(-1) ?? "", project, name };
}

/**
 * `call`, failed when the resource's `customTimeouts` for `step` (`seconds`, 0 for none) pass first.
 * The call is not stopped: a write already sent may still land. Nothing is lost either way: state
 * keeps what it held, and the next `pulumi up` finds the channel live with the declared details and
 * takes it over as this stack's (the create's takeover rule), or rewrites it.
 */
function within<T>(seconds: number, step: string, id: string, call: () => Promise<T>): Promise<T> {
  if (!(seconds > 0)) return call();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `WatchChannel ${id}: ${step} did not finish within the resource's customTimeouts.${step} (${seconds} s); run \`pulumi up\` again: it finds the channel as Zoho holds it and completes the ${step}`,
          ),
        ),
      seconds * 1000,
    );
  });
  return Promise.race([call(), expired]).finally(() => clearTimeout(timer));
}

/** `1000000068001` or `emea/1000000068001` (a named connection's channel): what `pulumi import` takes. */
const IMPORT_ID = /^(?:([A-Za-z][A-Za-z0-9_-]*)\/)?(\d+)$/;

/**
 * One plugin process: one provider instance (the engine starts a process per explicit provider),
 * so one runtime, built by `Configure`.
 */
export class WatchChannelPlugin {
  private runtime: ProviderRuntime | undefined;
  private configError: Error | undefined;
  private engine: engineRpc.EngineClient | undefined;
  /** Which resource claims each channel id in this run, per connection: two must not share one. */
  private readonly claims = new Map<string, string>();

  constructor(
    private readonly version: string,
    engineAddress: string | undefined,
  ) {
    if (engineAddress)
      this.engine = new engineRpc.EngineClient(engineAddress, grpc.credentials.createInsecure());
  }

  /** The service's handlers, for `grpc.Server.addService`. */
  handlers(): grpc.UntypedServiceImplementation {
    return {
      getPluginInfo: this.unary(() => new pluginPb.PluginInfo().setVersion(this.version)),
      getSchema: this.unary(() =>
        new providerPb.GetSchemaResponse().setSchema(JSON.stringify(packageSchema(this.version))),
      ),
      checkConfig: this.unary((call: Call<providerPb.CheckRequest>) => this.checkConfig(call.request)),
      diffConfig: this.unary((call: Call<providerPb.DiffRequest>) => this.diffConfig(call.request)),
      configure: this.unary((call: Call<providerPb.ConfigureRequest>) => this.configure(call.request)),
      check: this.unary((call: Call<providerPb.CheckRequest>) => this.check(call.request)),
      diff: this.unary((call: Call<providerPb.DiffRequest>) => this.diff(call.request)),
      create: this.unary((call: Call<providerPb.CreateRequest>) => this.create(call.request)),
      read: this.unary((call: Call<providerPb.ReadRequest>) => this.read(call.request)),
      update: this.unary((call: Call<providerPb.UpdateRequest>) => this.update(call.request)),
      delete: this.unary((call: Call<providerPb.DeleteRequest>) => this.delete(call.request)),
      cancel: this.unary(() => this.cancel()),
    };
  }

  /** A unary handler from an async function; an error becomes the call's error, its message intact. */
  private unary<Req>(handler: (call: Call<Req>) => unknown): grpc.handleUnaryCall<Req, unknown> {
    return (call, callback) => {
      Promise.resolve()
        .then(() => handler(call))
        .then(
          (response) => callback(null, response),
          (error: unknown) =>
            callback({
              code: grpc.status.UNKNOWN,
              details: error instanceof Error ? error.message : String(error),
            }),
        );
    };
  }

  /** The runtime `Configure` built; a bad setting is every method's error. */
  private rt(): ProviderRuntime {
    if (this.configError) throw this.configError;
    this.runtime ??= ProviderRuntime.fromConfig(undefined);
    return this.runtime;
  }

  /** Says `message` on the resource `urn` in the engine's output (or on stderr without an engine). */
  private sayOn(urn: string): lifecycle.Say {
    return (message) => {
      const warning = message.startsWith("warning: ");
      const text = warning ? message.slice("warning: ".length) : message;
      if (!this.engine) {
        console.error(`zoho-watch: ${message}`);
        return;
      }
      const request = new enginePb.LogRequest()
        .setSeverity(warning ? enginePb.LogSeverity.WARNING : enginePb.LogSeverity.INFO)
        .setMessage(text)
        .setUrn(urn);
      this.engine.log(request, () => undefined);
    };
  }

  private checkConfig(request: providerPb.CheckRequest): providerPb.CheckResponse {
    const news = fromStruct(request.getNews());
    const response = new providerPb.CheckResponse();
    const config = inputsAsConfig(news.values);
    const failures: string[] = [];
    failures.push(...unknownSettingKeys(config.keys()));
    const known = [...config.values()].every((value) => value !== UNKNOWN);
    if (known && failures.length === 0) {
      try {
        readSettings(configSource(config));
        readConnections(configSource(config));
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    for (const reason of failures) response.addFailures(new providerPb.CheckFailure().setReason(reason));
    // Credentials are secrets wherever they come from; named connections hold credentials too.
    const secrets = new Set([...news.secrets, "clientSecret", "refreshToken", "connections"]);
    return response.setInputs(toStruct(news.values, secrets));
  }

  /**
   * Whether the provider's settings changed. Never a replacement: a channel belongs to its org,
   * whatever credentials or data centre reach it, and a setting that moves to another org is caught
   * per channel (the org of every delete is checked). An empty or foreign old config (a stack that
   * used the dynamic door) is no change at all.
   */
  private diffConfig(request: providerPb.DiffRequest): providerPb.DiffResponse {
    const olds = withoutEngineKeys(fromStruct(request.getOldInputs() ?? request.getOlds()).values);
    const news = withoutEngineKeys(fromStruct(request.getNews()).values);
    delete olds.version;
    delete news.version;
    const response = new providerPb.DiffResponse().setHasdetaileddiff(true);
    const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
      (key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
    );
    if (Object.keys(olds).length === 0 || changed.length === 0) {
      return response.setChanges(providerPb.DiffResponse.DiffChanges.DIFF_NONE);
    }
    for (const key of changed) {
      response.addDiffs(key);
      response
        .getDetaileddiffMap()
        .set(
          key,
          new providerPb.PropertyDiff().setKind(providerPb.PropertyDiff.Kind.UPDATE).setInputdiff(true),
        );
    }
    return response.setChanges(providerPb.DiffResponse.DiffChanges.DIFF_SOME);
  }

  private async configure(request: providerPb.ConfigureRequest): Promise<providerPb.ConfigureResponse> {
    // The engine names them `zoho-watch:config:clientId`; the settings read `zoho-watch:clientId`.
    const variables = new Map(
      request
        .getVariablesMap()
        .getEntryList()
        .map(([key, value]) => [key.replace(/^([^:]+):config:/, "$1:"), value] as const),
    );
    try {
      const problems = unknownSettingKeys(variables.keys());
      if (problems.length > 0) throw new SettingsError(problems.join("; "));
      const settings = readSettings(configSource(variables));
      const connections = readConnections(configSource(variables));
      if (!this.runtime?.sameSettings(settings, connections)) {
        await this.runtime?.close();
        this.runtime = new ProviderRuntime({ settings, connections });
      }
      this.configError = undefined;
    } catch (error) {
      this.configError = error instanceof Error ? error : new Error(String(error));
    }
    // Previews of Create and Update are answered from the plan alone (predictOutputs), never from
    // Zoho, so that a renewal's preview shows the expiry it asks for. Outputs are not accepted: the
    // plugin reads plain values, and the engine resolves outputs first.
    return new providerPb.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true);
  }

  private async check(request: providerPb.CheckRequest): Promise<providerPb.CheckResponse> {
    const urn = request.getUrn();
    const olds = withoutEngineKeys(fromStruct(request.getOlds()).values);
    const news = fromStruct(request.getNews());
    const values = withoutEngineKeys(news.values);
    const response = new providerPb.CheckResponse();
    if (this.configError) {
      response.addFailures(new providerPb.CheckFailure().setReason(this.configError.message));
      return response.setInputs(toStruct(values, secretKeys(values, news.secrets)));
    }
    if (values.channelId === undefined || values.channelId === null) {
      // Kept once chosen (as Pulumi's auto-naming keeps a name); derived from the URN the first time.
      values.channelId =
        typeof olds.channelId === "string"
          ? olds.channelId
          : deriveChannelId({ organization: "", ...urnParts(urn) });
    }
    const result = await lifecycle.check(
      this.rt(),
      Object.keys(olds).length > 0 ? (olds as unknown as WatchChannelInputs) : undefined,
      values as unknown as WatchChannelInputs,
      this.sayOn(urn),
    );
    const failures = [...(result.failures ?? [])];
    const claim = this.claim(urn, values);
    if (claim) failures.push({ property: "channelId", reason: claim });
    const inputs = result.inputs as unknown as Record<string, unknown>;
    const stored = withoutEngineKeys(fromStruct(request.getOldOutputs()).values);
    if (failures.length === 0 && typeof stored.channelExpiry === "string") {
      // The engine shows a detailed diff's new values from the inputs, and `channelExpiry` is an
      // output: carried here as the expiry a renewal or an update asks for, a preview shows
      // `~ channelExpiry: old => new`. Never sent to Zoho. Only when it moves: inputs equal to the
      // stored ones keep a resource that does not change cheap for the engine (measured: a
      // no-change preview of 500 channels took 13 s with the key always present, 8.5 s without).
      const expiry = lifecycle.predictOutputs(
        this.rt(),
        stored as unknown as WatchChannelOutputs,
        inputs as unknown as WatchChannelInputs,
      ).channelExpiry;
      if (expiry !== stored.channelExpiry) inputs.channelExpiry = expiry;
    }
    for (const failure of failuresForEngine(failures)) {
      response.addFailures(
        new providerPb.CheckFailure().setProperty(failure.property).setReason(failure.reason),
      );
    }
    return response.setInputs(toStruct(inputs, secretKeys(inputs, news.secrets)));
  }

  /** Why `urn` may not declare its channel id: another resource of this run already does. */
  private claim(urn: string, values: Record<string, unknown>): string | undefined {
    const id = values.channelId;
    if (typeof id !== "string" || id === UNKNOWN || values.connection === UNKNOWN) return undefined;
    const key = `${typeof values.connection === "string" ? values.connection : ""} ${id}`;
    const other = this.claims.get(key);
    if (other !== undefined && other !== urn) {
      return `channel ${id} is also declared by ${urnParts(other).name}; Zoho would merge the two into one channel. Give each its own channelId, or leave channelId out to derive one per resource.`;
    }
    this.claims.set(key, urn);
    return undefined;
  }

  private diff(request: providerPb.DiffRequest): providerPb.DiffResponse {
    const urn = request.getUrn();
    const olds = withoutEngineKeys(fromStruct(request.getOlds()).values) as unknown as WatchChannelOutputs;
    const news = withoutEngineKeys(fromStruct(request.getNews()).values);
    const plan = lifecycle.plan(this.rt(), olds, news as unknown as WatchChannelInputs);
    // A renewal is an update in this door: only what names another channel replaces.
    const replaces = plan.replaces.filter((key) => key !== "channelExpiry");
    const response = new providerPb.DiffResponse()
      .setChanges(
        plan.changes
          ? providerPb.DiffResponse.DiffChanges.DIFF_SOME
          : providerPb.DiffResponse.DiffChanges.DIFF_NONE,
      )
      .setReplacesList(replaces)
      .setDeletebeforereplace(false)
      .setHasdetaileddiff(true);
    const inputs: readonly string[] = INPUT_NAMES;
    const Kind = providerPb.PropertyDiff.Kind;
    for (const [key, reason] of Object.entries(plan.reasons)) {
      const replacing = replaces.includes(key);
      const before = (olds as unknown as Record<string, unknown>)[key];
      const after = news[key];
      const kind =
        inputs.includes(key) && before === undefined
          ? replacing
            ? Kind.ADD_REPLACE
            : Kind.ADD
          : inputs.includes(key) && after === undefined
            ? replacing
              ? Kind.DELETE_REPLACE
              : Kind.DELETE
            : replacing
              ? Kind.UPDATE_REPLACE
              : Kind.UPDATE;
      response.addDiffs(key);
      response
        .getDetaileddiffMap()
        .set(key, new providerPb.PropertyDiff().setKind(kind).setInputdiff(inputs.includes(key)));
      if (key === "channelExpiry") this.sayOn(urn)(`channel ${olds.channelId}: ${reason}`);
    }
    return response;
  }

  private async create(request: providerPb.CreateRequest): Promise<providerPb.CreateResponse> {
    const inputs = fromStruct(request.getProperties());
    const values = withoutEngineKeys(inputs.values) as unknown as WatchChannelInputs;
    if (request.getPreview()) {
      const predicted = lifecycle.predictOutputs(this.rt(), undefined, values);
      return new providerPb.CreateResponse().setProperties(
        toStruct(predicted, secretKeys(predicted, inputs.secrets)),
      );
    }
    const { id, outs } = await within(request.getTimeout(), "create", values.channelId, () =>
      lifecycle.create(this.rt(), values),
    );
    const props = outs as unknown as Record<string, unknown>;
    return new providerPb.CreateResponse()
      .setId(id)
      .setProperties(toStruct(props, secretKeys(props, inputs.secrets)));
  }

  private async read(request: providerPb.ReadRequest): Promise<providerPb.ReadResponse> {
    const state = fromStruct(request.getProperties());
    const props = withoutEngineKeys(state.values);
    const response = new providerPb.ReadResponse();
    if (Object.keys(props).length === 0) return this.import(request.getId(), response);
    const result = await lifecycle.read(this.rt(), request.getId(), props as unknown as WatchChannelOutputs);
    if (!result.id) return response.setId("");
    const outs = (result.props ?? {}) as Record<string, unknown>;
    const inputs = (result.inputs ?? {}) as Record<string, unknown>;
    return response
      .setId(result.id)
      .setProperties(toStruct(outs, secretKeys(outs, state.secrets)))
      .setInputs(toStruct(inputs, secretKeys(inputs, state.secrets)));
  }

  /** `pulumi import ... <channel id>` (or `<connection>/<channel id>`): the live channel, or not found. */
  private async import(id: string, response: providerPb.ReadResponse): Promise<providerPb.ReadResponse> {
    const match = IMPORT_ID.exec(id);
    if (!match) {
      throw new Error(
        `cannot import "${id}": the id of a WatchChannel is its Zoho channel id, a decimal string such as 1000000068001; for a named connection of the provider, write <connection>/<channel id>`,
      );
    }
    const imported = await lifecycle.importChannel(this.rt(), match[2]!, match[1]);
    if (!imported) return response.setId("");
    const outs = imported.outs as unknown as Record<string, unknown>;
    const inputs = imported.inputs as unknown as Record<string, unknown>;
    return response
      .setId(imported.id)
      .setProperties(toStruct(outs, secretKeys(outs)))
      .setInputs(toStruct(inputs, secretKeys(inputs)));
  }

  private async update(request: providerPb.UpdateRequest): Promise<providerPb.UpdateResponse> {
    const olds = fromStruct(request.getOlds());
    const news = fromStruct(request.getNews());
    const oldOutputs = withoutEngineKeys(olds.values) as unknown as WatchChannelOutputs;
    const newInputs = withoutEngineKeys(news.values) as unknown as WatchChannelInputs;
    if (request.getPreview()) {
      const predicted = lifecycle.predictOutputs(this.rt(), oldOutputs, newInputs);
      return new providerPb.UpdateResponse().setProperties(
        toStruct(predicted, secretKeys(predicted, news.secrets)),
      );
    }
    const { outs } = await within(request.getTimeout(), "update", request.getId(), () =>
      lifecycle.update(this.rt(), oldOutputs, newInputs),
    );
    const props = outs as unknown as Record<string, unknown>;
    return new providerPb.UpdateResponse().setProperties(toStruct(props, secretKeys(props, news.secrets)));
  }

  private async delete(request: providerPb.DeleteRequest): Promise<Empty> {
    const props = fromStruct(request.getProperties()).values;
    const connection = typeof props.connection === "string" ? props.connection : undefined;
    await within(request.getTimeout(), "delete", request.getId(), () =>
      lifecycle.remove(this.rt(), request.getId(), connection, this.sayOn(request.getUrn())),
    );
    return new Empty();
  }

  /** The engine is going away: stop what is in flight. */
  private async cancel(): Promise<Empty> {
    await this.runtime?.close({ abort: true });
    return new Empty();
  }

  /**
   * Closes the runtime, failing calls still in flight (the engine stops a plugin when it no longer
   * needs it, and a call it has given up on must not keep the process alive), and the engine
   * connection.
   */
  async close(): Promise<void> {
    await this.runtime?.close({ abort: true });
    this.engine?.close();
  }
}

/** The service definition the handlers implement. */
export const RESOURCE_PROVIDER_SERVICE = providerRpc.ResourceProviderService;
