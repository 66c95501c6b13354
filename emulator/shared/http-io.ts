import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Reading request bodies and writing answers. Handlers return an {@link HttpAnswer} instead of
 * touching the response, which keeps them testable and lets the server apply faults around them.
 */

export interface HttpAnswer {
  readonly status: number;
  /** JSON-serialised; `undefined` sends an empty body (204). A string is sent as is. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Largest request body accepted; Zoho's own limits are far below this. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body exceeds ${MAX_BODY_BYTES} bytes`);
  }
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function json(status: number, body: unknown, headers?: Record<string, string>): HttpAnswer {
  return { status, body, headers };
}

export function send(response: ServerResponse, answer: HttpAnswer): void {
  if (response.headersSent || response.destroyed) return;
  const headers: Record<string, string> = { ...answer.headers };
  let payload: string | undefined;
  if (typeof answer.body === "string") {
    payload = answer.body;
  } else if (answer.body !== undefined) {
    payload = JSON.stringify(answer.body);
    headers["content-type"] ??= "application/json;charset=UTF-8";
  }
  if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));
  response.writeHead(answer.status, headers);
  response.end(payload);
}
