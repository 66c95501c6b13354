/**
 * Zoho's OpenAPI description of the watch API (v8), read from `../shared/zoho-oas` beside the
 * repository (CI lays it there; it is not copied into the project), and the constraints it states.
 *
 * The contract tests are generated from {@link constraintsOf}: every `maxItems`, `maxLength` and
 * `additionalProperties: false` of every method's request becomes a case. A constraint that no test
 * knows how to probe fails the suite, so a new revision of the description cannot slip past.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";

/** Where the description is looked for: `ZOHO_OAS_DIR`, else `shared/zoho-oas` beside the clone. */
export function descriptionFile(): string {
  const dir =
    process.env.ZOHO_OAS_DIR ?? path.resolve(__dirname, "..", "..", "..", "..", "shared", "zoho-oas");
  return path.join(dir, "current", "v8.0", "notifications", "notifications.yaml");
}

/** A JSON-schema node of the description (only what the tests read is typed). */
export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  maxItems?: number;
  maxLength?: number;
  additionalProperties?: boolean | SchemaNode;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  [key: string]: unknown;
}

interface Parameter {
  name: string;
  in: string;
  schema: SchemaNode;
}

interface OperationNode {
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { content: { "application/json": { schema: SchemaNode } } };
  responses: Record<string, SchemaNode & { content?: { "application/json": { schema: SchemaNode } } }>;
}

/** The parsed description. */
export interface Description {
  readonly file: string;
  readonly document: Record<string, unknown>;
  readonly operations: Readonly<Record<string, OperationNode>>;
}

/**
 * A mocha suite over the description: `body` gets it. Without the folder (a clone without shared/
 * beside it) the suite is one test that says it skipped, and why, rather than passing silently.
 */
export function describeWithDescription(title: string, body: (description: Description) => void): void {
  describe(title, function () {
    const description = loadDescription();
    if (!description) {
      it(`is skipped: Zoho's OpenAPI description is not at ${descriptionFile()}`, function () {
        this.skip();
      });
      return;
    }
    body(description);
  });
}

/** The description, or undefined when the folder is not there (a clone without shared/). */
export function loadDescription(): Description | undefined {
  const file = descriptionFile();
  if (!existsSync(file)) return undefined;
  const document = load(readFileSync(file, "utf8")) as Record<string, unknown>;
  const paths = document.paths as Record<string, Record<string, OperationNode>>;
  const operations = paths["/actions/watch"];
  if (!operations) throw new Error(`${file} describes no /actions/watch`);
  return { file, document, operations };
}

/** Follows `#/components/...` references until a node without one. */
export function resolve<T>(description: Description, node: T | { $ref: string }): T {
  let current: unknown = node;
  while (current !== null && typeof current === "object" && "$ref" in current) {
    const ref = (current as { $ref: string }).$ref;
    if (!ref.startsWith("#/")) throw new Error(`unsupported reference ${ref}`);
    current = ref
      .slice(2)
      .split("/")
      .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], description.document);
  }
  return current as T;
}

/** A copy of `node` with every reference replaced by what it names (for a JSON-schema reader). */
export function inline(description: Description, node: unknown): unknown {
  const resolved = resolve<unknown>(description, node);
  if (Array.isArray(resolved)) return resolved.map((inner) => inline(description, inner));
  if (resolved !== null && typeof resolved === "object") {
    return Object.fromEntries(
      Object.entries(resolved).map(([key, inner]) => [key, inline(description, inner)]),
    );
  }
  return resolved;
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One constraint of a request. `path` names where it applies: `?name` for a query parameter, else
 * a body path such as `watch[].events[]` (`""` is the body itself).
 */
export interface Constraint {
  readonly method: Method;
  readonly path: string;
  readonly kind: "maxItems" | "maxLength" | "additionalProperties";
  /** The number, for maxItems and maxLength. */
  readonly limit?: number;
  /** The keys allowed, for additionalProperties. */
  readonly keys?: readonly string[];
}

/** `PATCH watch[].events maxItems`: how a constraint is named in tests and in the README. */
export function constraintId(constraint: Constraint): string {
  return `${constraint.method} ${constraint.path || "(body)"} ${constraint.kind}`;
}

/** Every request constraint of every method, in the description's order. */
export function constraintsOf(description: Description): Constraint[] {
  const found: Constraint[] = [];
  const walk = (method: Method, at: string, raw: SchemaNode): void => {
    const node = resolve<SchemaNode>(description, raw);
    for (const kind of ["maxItems", "maxLength"] as const) {
      const limit = node[kind];
      if (typeof limit === "number") found.push({ method, path: at, kind, limit });
    }
    if (node.additionalProperties === false) {
      found.push({
        method,
        path: at,
        kind: "additionalProperties",
        keys: Object.keys(node.properties ?? {}),
      });
    }
    for (const [key, inner] of Object.entries(node.properties ?? {})) {
      walk(method, at === "" ? key : `${at}.${key}`, inner);
    }
    if (node.items) walk(method, `${at}[]`, node.items);
  };
  for (const [name, operation] of Object.entries(description.operations)) {
    const method = name.toUpperCase() as Method;
    for (const raw of operation.parameters ?? []) {
      const parameter = resolve<Parameter>(description, raw);
      walk(method, `?${parameter.name}`, parameter.schema);
    }
    const body = operation.requestBody?.content["application/json"].schema;
    if (body) walk(method, "", body);
  }
  return found;
}

/**
 * Where the description and what Zoho is documented to do disagree, and what this project follows.
 * Each row is also a row of the emulator README's table (test/contract/emulator-limits.test.ts
 * checks that the two name the same rows). `constraint` names the description's constraint it
 * replaces, when it replaces one.
 */
export interface Deviation {
  readonly id: string;
  readonly constraint?: string;
}

export const DEVIATIONS: readonly Deviation[] = [
  { id: "token-length", constraint: "watch[].token maxLength" },
  { id: "channel-id-type", constraint: "watch[].channel_id maxLength" },
  { id: "get-channel-id-type", constraint: "?channel_id maxLength" },
  { id: "patch-body" },
  { id: "patch-channel-id-param", constraint: "?channel_id maxLength" },
  { id: "item-keys", constraint: "watch[] additionalProperties" },
  { id: "put-condition-keys", constraint: "watch[].notification_condition[] additionalProperties" },
  { id: "condition-group-shape", constraint: "watch[].notification_condition[].field_selection.group" },
  { id: "error-codes" },
  { id: "empty-get-204" },
  { id: "delete-events" },
  { id: "v2-all-error-202" },
];

/**
 * The description's PATCH body is one bare channel; Zoho's documentation, SDKs and the previous
 * revision of the description send `{"watch": [...]}` (deviation `patch-body`). Tests read PATCH's
 * constraints at the item paths the other writes use.
 */
export function itemPath(constraint: Constraint): string {
  if (constraint.method !== "PATCH" || constraint.path.startsWith("?")) return constraint.path;
  return constraint.path === "" ? "watch[]" : `watch[].${constraint.path}`;
}
