import type { FaultSpec, InjectedFault, Operation } from "./contract";
import { ZOHO_BODIES, rateLimitBody, type RateLimitCode } from "../zoho/errors";
import { json, type HttpAnswer } from "../shared/http-io";

/**
 * Injected faults: the failures a real Zoho (or the network to it) produces now and then, on demand.
 */

export interface RequestFacts {
  readonly method: string;
  readonly path: string;
  readonly operation: Operation | undefined;
}

interface ActiveFault {
  readonly id: string;
  readonly spec: FaultSpec;
  remaining: number | null;
}

function matches(spec: FaultSpec, request: RequestFacts): boolean {
  const { method, path, operation } = spec.match ?? {};
  if (method !== undefined && method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (path !== undefined && !request.path.includes(path)) return false;
  if (operation !== undefined && operation !== request.operation) return false;
  return true;
}

export class FaultInjector {
  private active: ActiveFault[] = [];
  private nextId = 1;

  inject(spec: FaultSpec): InjectedFault {
    const fault: ActiveFault = { id: `fault-${this.nextId++}`, spec, remaining: spec.times ?? null };
    this.active.push(fault);
    return this.describe(fault);
  }

  /** The fault that applies to this request, if any, counting it as used. */
  take(request: RequestFacts): FaultSpec | undefined {
    const fault = this.active.find((candidate) => matches(candidate.spec, request));
    if (!fault) return undefined;
    if (fault.remaining !== null) {
      fault.remaining -= 1;
      if (fault.remaining === 0) this.active = this.active.filter((candidate) => candidate !== fault);
    }
    return fault.spec;
  }

  list(): InjectedFault[] {
    return this.active.map((fault) => this.describe(fault));
  }

  clear(): void {
    this.active = [];
  }

  private describe(fault: ActiveFault): InjectedFault {
    return { ...fault.spec, id: fault.id, remaining: fault.remaining };
  }
}

/**
 * The answer a "status" fault gives: Zoho-shaped JSON for 429/500, a load balancer's HTML page for
 * 502/503. A 429 carries the fault's `code`, or `defaultRateLimitCode` when it names none.
 */
export function faultAnswer(
  spec: Extract<FaultSpec, { kind: "status" }>,
  defaultRateLimitCode: RateLimitCode,
): HttpAnswer {
  const headers: Record<string, string> =
    spec.retryAfterSeconds === undefined ? {} : { "retry-after": String(spec.retryAfterSeconds) };
  switch (spec.status) {
    case 429:
      return json(429, rateLimitBody(spec.code ?? defaultRateLimitCode), headers);
    case 500:
      return json(500, ZOHO_BODIES.internalError, headers);
    case 502:
    case 503: {
      const title = spec.status === 502 ? "502 Bad Gateway" : "503 Service Temporarily Unavailable";
      return {
        status: spec.status,
        body: `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
        headers: { ...headers, "content-type": "text/html" },
      };
    }
  }
}
