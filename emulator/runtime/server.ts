import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { isApiVersion, type ApiVersion } from "../shared/api-versions";
import { CONTROL_PREFIX, type Operation } from "../control/contract";
import { answerControlRequest, type ControlService } from "../control/service";
import type { EmulatorCore } from "./core";
import { faultAnswer } from "../control/faults";
import { BodyTooLargeError, MAX_BODY_BYTES, json, readBody, send, type HttpAnswer } from "../shared/http-io";
import { parseRequestBody, type RequestBody } from "../zoho/json-body";
import { readTokenParams, scopeAllows } from "../zoho/oauth";
import { isDeleteEventsBody, type WatchOperation } from "../zoho/watch-api";
import { orgAnswer } from "../zoho/org-api";
import { ZOHO_BODIES, invalidData, rateLimitBody } from "../zoho/errors";

/**
 * The HTTP pipeline. For a request to the emulated Zoho, in order:
 * count it in flight → read the body → classify the operation → count it → apply an injected fault →
 * refuse it beyond the concurrency limit → route (404 / bad method) → authenticate → answer →
 * persist → send (or drop the response, for that fault).
 * Control calls under `/__emulator/` skip everything but routing.
 */

type Route =
  | { readonly kind: "watch"; readonly version: ApiVersion; readonly operation: WatchOperation }
  | { readonly kind: "org"; readonly version: ApiVersion }
  | { readonly kind: "token" }
  | { readonly kind: "bad-method" }
  | { readonly kind: "unknown" };

const WATCH_PATH = /^\/crm\/([^/]+)\/actions\/watch$/;
const ORG_PATH = /^\/crm\/([^/]+)\/org$/;
const TOKEN_PATH = "/oauth/v2/token";
const WATCH_METHODS: Readonly<Record<string, WatchOperation>> = {
  GET: "list",
  POST: "enable",
  PUT: "update",
  PATCH: "patch",
  DELETE: "disable",
};

function resolveRoute(method: string, pathname: string): Route {
  if (pathname === TOKEN_PATH) return method === "POST" ? { kind: "token" } : { kind: "bad-method" };
  const orgVersion = ORG_PATH.exec(pathname)?.[1];
  if (orgVersion !== undefined && isApiVersion(orgVersion)) {
    return method === "GET" ? { kind: "org", version: orgVersion } : { kind: "bad-method" };
  }
  const version = WATCH_PATH.exec(pathname)?.[1];
  if (version === undefined || !isApiVersion(version)) return { kind: "unknown" };
  const operation = WATCH_METHODS[method];
  return operation ? { kind: "watch", version, operation } : { kind: "bad-method" };
}

export class EmulatorServer {
  private readonly server: Server;
  /** Aborts latency faults still sleeping when the emulator closes. */
  private readonly closing = new AbortController();

  constructor(
    private readonly core: EmulatorCore,
    private readonly control: ControlService,
  ) {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.server.on("clientError", (_error, socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
      else socket.destroy();
    });
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    this.closing.abort();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? "/", "http://emulator.invalid");
      const method = (request.method ?? "GET").toUpperCase();
      if (url.pathname.startsWith(CONTROL_PREFIX)) {
        send(
          response,
          await answerControlRequest(
            this.control,
            method,
            url.pathname,
            await readBody(request),
            url.searchParams,
          ),
        );
        return;
      }
      await this.handleZohoRequest(request, response, url, method);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        const tooLarge = invalidData({ maximum_length: MAX_BODY_BYTES }, "the request body is too large");
        send(response, json(413, tooLarge, { connection: "close" }));
        return;
      }
      send(response, json(500, ZOHO_BODIES.internalError));
    }
  }

  private async handleZohoRequest(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    method: string,
  ): Promise<void> {
    const { core } = this;
    const route = resolveRoute(method, url.pathname);
    let overLimit = false;
    // The concurrency limit is Zoho's per org and app, for every API call.
    if (route.kind === "watch" || route.kind === "org") {
      const slot = core.concurrency.enter();
      overLimit = slot.overLimit;
      response.on("close", slot.release);
    }
    const rawBody = await readBody(request);
    const body = route.kind === "watch" ? parseRequestBody(rawBody) : undefined;
    let operation: Operation | undefined;
    if (route.kind === "token") operation = "token";
    if (route.kind === "org") operation = "org";
    if (route.kind === "watch") {
      operation =
        route.operation === "patch" && body && isDeleteEventsBody(body) ? "disableEvents" : route.operation;
    }
    core.stats.count(operation);

    const fault = core.faults.take({ method, path: url.pathname, operation });
    if (fault?.kind === "drop-connection") {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === "status") {
      if (fault.status === 429) core.stats.countRejected429();
      send(response, faultAnswer(fault, core.options.rateLimitCode));
      return;
    }
    if (fault?.kind === "latency") {
      try {
        await sleep(fault.ms, undefined, { signal: this.closing.signal });
      } catch {
        return; // closing: the socket is going away anyway
      }
    }

    let answer: HttpAnswer;
    if (overLimit) {
      core.stats.countRejected429();
      answer = json(429, rateLimitBody(core.options.rateLimitCode));
    } else {
      answer = await this.answer(route, operation, request, url, rawBody, body);
    }
    core.flush();
    if (fault?.kind === "drop-response") {
      request.socket.destroy();
      return;
    }
    send(response, answer);
  }

  private async answer(
    route: Route,
    operation: Operation | undefined,
    request: IncomingMessage,
    url: URL,
    rawBody: Buffer,
    body: RequestBody | undefined,
  ): Promise<HttpAnswer> {
    const { core } = this;
    switch (route.kind) {
      case "unknown":
        return json(404, ZOHO_BODIES.invalidUrlPattern);
      case "bad-method":
        return json(400, ZOHO_BODIES.invalidRequestMethod);
      case "token":
        return core.oauth.grant(
          await readTokenParams(url.searchParams, request.headers["content-type"], rawBody),
        );
      case "org": {
        const caller = core.oauth.authenticate(request.headers.authorization);
        if (!caller) return json(401, ZOHO_BODIES.invalidToken);
        if (!scopeAllows(caller.scopes, "org")) return json(401, ZOHO_BODIES.oauthScopeMismatch);
        return orgAnswer(core.orgs.get(caller.orgId));
      }
      case "watch": {
        const watchOperation =
          operation === undefined || operation === "token" || operation === "org"
            ? route.operation
            : operation;
        const caller = core.oauth.authenticate(request.headers.authorization);
        if (!caller) return json(401, ZOHO_BODIES.invalidToken);
        if (!scopeAllows(caller.scopes, watchOperation)) return json(401, ZOHO_BODIES.oauthScopeMismatch);
        // The access token says which org's channels the call acts on.
        return core.orgs
          .get(caller.orgId)
          .watchApi.handle(watchOperation, route.version, url.searchParams, body ?? { kind: "empty" });
      }
    }
  }
}
