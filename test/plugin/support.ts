/**
 * The provider plugin over real gRPC, as the Pulumi engine drives it but without the CLI: a
 * `grpc.Server` serving `WatchChannelPlugin.handlers()` on 127.0.0.1:0, and the generated
 * `ResourceProviderClient` calling it. Each `PluginUnderTest` is one plugin process (one Pulumi
 * operation): start a new one for the next `pulumi up`, `refresh` or `destroy`.
 */
import * as grpc from "@grpc/grpc-js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import type * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import { providerConfig } from "../../harness/emulator";
import { RESOURCE_PROVIDER_SERVICE, WatchChannelPlugin } from "../../provider/pulumi/plugin/server";

/** The repository root, from dist/test/plugin. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The npm package's version (what the plugin reports, and the schema carries). */
export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;

/** Pulumi's secret envelope, as the engine sends it and expects it back (written out, on purpose). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export function secret(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** The value the engine sends for what a preview does not know yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Plain values as the engine's Struct. */
export function struct(values: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(values as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** A Struct (possibly absent) as plain values, secrets still wrapped. */
export function plain(value: Struct | undefined): Record<string, unknown> {
  return value?.toJavaScript() ?? {};
}

/** A WatchChannel's URN in stack `dev` of project `orders` (or the given ones). */
export function urnOf(name: string, stack = "dev", project = "orders"): string {
  return `urn:pulumi:${stack}::${project}::zoho-watch:index:WatchChannel::${name}`;
}

/**
 * The `Configure` variables the engine sends for a provider pointed at an emulator: every
 * `zoho-watch:<key>` of `providerConfig(url)` as `zoho-watch:config:<key>`, plus `extra` (keys
 * written the same way; `undefined` leaves a key out).
 */
export function engineVariables(
  url: string,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const { config, secrets } = providerConfig(url);
  const variables: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries({ ...config, ...secrets })) {
    variables[key.replace(/^zoho-watch:/, "zoho-watch:config:")] = value;
  }
  Object.assign(variables, extra);
  return Object.fromEntries(
    Object.entries(variables).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

type Callback<Res> = (error: grpc.ServiceError | null, response: Res) => void;

/** A unary call as a promise. */
function rpc<Res>(invoke: (callback: Callback<Res>) => void): Promise<Res> {
  return new Promise((resolve, reject) =>
    invoke((error, response) => (error ? reject(error) : resolve(response))),
  );
}

/** One plugin "process": the server and a client connected to it. */
export class PluginUnderTest {
  private constructor(
    private readonly plugin: WatchChannelPlugin,
    private readonly server: grpc.Server,
    readonly client: ResourceProviderClient,
  ) {}

  /** Serves a plugin reporting `version`, with no engine to log to. */
  static async start(version = PACKAGE_VERSION): Promise<PluginUnderTest> {
    const plugin = new WatchChannelPlugin(version, undefined);
    const server = new grpc.Server();
    server.addService(RESOURCE_PROVIDER_SERVICE, plugin.handlers());
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PluginUnderTest(plugin, server, client);
  }

  /** A plugin configured with `variables` (see {@link engineVariables}). */
  static async configured(variables: Record<string, string>): Promise<PluginUnderTest> {
    const plugin = await PluginUnderTest.start();
    await plugin.configure(variables);
    return plugin;
  }

  async close(): Promise<void> {
    this.client.close();
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    await this.plugin.close();
  }

  configure(variables: Record<string, string>): Promise<providerPb.ConfigureResponse> {
    const request = new providerPb.ConfigureRequest();
    for (const [key, value] of Object.entries(variables)) request.getVariablesMap().set(key, value);
    return rpc((cb) => this.client.configure(request, cb));
  }

  checkConfig(
    news: Record<string, unknown>,
    olds: Record<string, unknown> = {},
  ): Promise<providerPb.CheckResponse> {
    const request = new providerPb.CheckRequest()
      .setUrn("urn:pulumi:dev::orders::pulumi:providers:zoho-watch::default")
      .setOlds(struct(olds))
      .setNews(struct(news));
    return rpc((cb) => this.client.checkConfig(request, cb));
  }

  diffConfig(
    oldInputs: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<providerPb.DiffResponse> {
    const request = new providerPb.DiffRequest()
      .setUrn("urn:pulumi:dev::orders::pulumi:providers:zoho-watch::default")
      .setOldInputs(struct(oldInputs))
      .setOlds(struct(oldInputs))
      .setNews(struct(news));
    return rpc((cb) => this.client.diffConfig(request, cb));
  }

  check(
    urn: string,
    news: Record<string, unknown>,
    olds: Record<string, unknown> = {},
    oldOutputs?: Record<string, unknown>,
  ): Promise<providerPb.CheckResponse> {
    const request = new providerPb.CheckRequest().setUrn(urn).setOlds(struct(olds)).setNews(struct(news));
    if (oldOutputs) request.setOldOutputs(struct(oldOutputs));
    return rpc((cb) => this.client.check(request, cb));
  }

  diff(
    urn: string,
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<providerPb.DiffResponse> {
    const request = new providerPb.DiffRequest()
      .setUrn(urn)
      .setId(id)
      .setOlds(struct(olds))
      .setNews(struct(news));
    return rpc((cb) => this.client.diff(request, cb));
  }

  create(
    urn: string,
    properties: Record<string, unknown>,
    preview = false,
    timeoutSeconds = 0,
  ): Promise<providerPb.CreateResponse> {
    const request = new providerPb.CreateRequest()
      .setUrn(urn)
      .setProperties(struct(properties))
      .setPreview(preview)
      .setTimeout(timeoutSeconds);
    return rpc((cb) => this.client.create(request, cb));
  }

  read(
    urn: string,
    id: string,
    properties?: Record<string, unknown>,
    inputs?: Record<string, unknown>,
  ): Promise<providerPb.ReadResponse> {
    const request = new providerPb.ReadRequest().setUrn(urn).setId(id);
    if (properties) request.setProperties(struct(properties));
    if (inputs) request.setInputs(struct(inputs));
    return rpc((cb) => this.client.read(request, cb));
  }

  update(
    urn: string,
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    preview = false,
  ): Promise<providerPb.UpdateResponse> {
    const request = new providerPb.UpdateRequest()
      .setUrn(urn)
      .setId(id)
      .setOlds(struct(olds))
      .setNews(struct(news))
      .setPreview(preview);
    return rpc((cb) => this.client.update(request, cb));
  }

  delete(urn: string, id: string, properties: Record<string, unknown>): Promise<Empty> {
    const request = new providerPb.DeleteRequest().setUrn(urn).setId(id).setProperties(struct(properties));
    return rpc((cb) => this.client.delete(request, cb));
  }

  getSchema(): Promise<providerPb.GetSchemaResponse> {
    return rpc((cb) => this.client.getSchema(new providerPb.GetSchemaRequest(), cb));
  }

  getPluginInfo(): Promise<pluginPb.PluginInfo> {
    return rpc((cb) => this.client.getPluginInfo(new Empty(), cb));
  }
}

/** A check's failures as `{ property, reason }`. */
export function failuresOf(response: providerPb.CheckResponse): { property: string; reason: string }[] {
  return response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
}
