import * as z from "zod";
import { API_NAME_PATTERN, type ModuleCatalog } from "../shared/modules";
import {
  invalidData,
  itemJsonPath,
  mandatoryNotFound,
  zohoError,
  type ZohoDetails,
  type ZohoError,
} from "./errors";

/**
 * `notification_condition` (v6+): validation with the error codes of Zoho's OpenAPI examples,
 * normalisation into the shape GET answers show, and evaluation when a record changes.
 */

export type GroupOperator = "and" | "or";

export interface FieldRef {
  readonly api_name: string;
  readonly id: string;
}

/** A leaf names one field; a nested group combines nodes. Leaves carry explicit nulls, as in Zoho's GET. */
export type ConditionNode =
  | { readonly field: FieldRef; readonly group_operator: null; readonly group: null }
  | { readonly group_operator: GroupOperator; readonly group: readonly ConditionNode[] };

export interface NotificationCondition {
  readonly field_selection: {
    readonly group_operator: GroupOperator;
    readonly group: readonly ConditionNode[];
  };
  readonly module: { readonly api_name: string; readonly id: string };
  readonly type: "field_selection";
}

/** Limits from the reference: two objects directly in a field_selection, ten fields in all. */
export const MAX_TOP_LEVEL_GROUP_ITEMS = 2;
export const MAX_FIELDS = 10;
const MAX_DEPTH = 5;
/** Zoho's OpenAPI description of v8 (PATCH): API names of modules and fields, and their ids. */
export const MAX_API_NAME_LENGTH = 64;
export const MAX_ID_LENGTH = 32;

/** The keys each object of a condition may carry (the description's `additionalProperties: false`). */
const KEYS = {
  condition: ["type", "module", "field_selection"],
  ref: ["api_name", "id"],
  selection: ["group_operator", "group"],
  node: ["field", "group_operator", "group"],
} as const;

const fieldRefSchema = z.object({ api_name: z.string(), id: z.string() });
const nodeSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([
    z.object({ field: fieldRefSchema, group_operator: z.null(), group: z.null() }),
    z.object({ group_operator: z.enum(["and", "or"]), group: z.array(nodeSchema) }),
  ]),
);
/** Schema of a stored (already normalised) condition, used when reading a state file. */
export const storedConditionSchema: z.ZodType<NotificationCondition> = z.object({
  field_selection: z.object({ group_operator: z.enum(["and", "or"]), group: z.array(nodeSchema) }),
  module: fieldRefSchema,
  type: z.literal("field_selection"),
});

export type ConditionValidation =
  | { readonly ok: true; readonly value: NotificationCondition[] }
  | { readonly ok: false; readonly error: ZohoError };

export interface ConditionContext {
  /** Index of the item in `watch[]`, for json paths. */
  readonly index: number;
  /** Modules the item's events name: a condition may only refer to one of them. */
  readonly eventModules: readonly string[];
  readonly catalog: ModuleCatalog;
}

class Rejected extends Error {
  constructor(readonly zoho: ZohoError) {
    super(zoho.code);
  }
}

type Path = readonly PropertyKey[];

function isMissing(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Walks one item's conditions, throwing {@link Rejected} at the first problem (Zoho reports one per item). */
class ConditionReader {
  private fields = 0;

  constructor(private readonly context: ConditionContext) {}

  condition(raw: unknown, path: Path): NotificationCondition {
    const item = this.object(raw, path, KEYS.condition);
    const typePath = [...path, "type"];
    if (isMissing(item.type)) this.fail(mandatoryNotFound(this.at(typePath)));
    if (item.type !== "field_selection") {
      this.fail(invalidData({ ...this.at(typePath), supported_values: ["field_selection"] }));
    }
    const module = this.module(item.module, [...path, "module"]);
    const selectionPath = [...path, "field_selection"];
    if (isMissing(item.field_selection)) {
      this.fail(
        zohoError("DEPENDENT_FIELD_MISSING", "DEPENDENT_FIELD_MISSING", {
          ...this.at(selectionPath),
          dependee: this.at(typePath),
        }),
      );
    }
    const selection = this.object(item.field_selection, selectionPath, KEYS.selection);
    this.fields = 0;
    const groupOperator = this.operator(selection.group_operator, [...selectionPath, "group_operator"]);
    const group = this.group(selection.group, [...selectionPath, "group"], module.api_name, 1);
    if (this.fields > MAX_FIELDS)
      this.fail(invalidData({ ...this.at(selectionPath), maximum_length: MAX_FIELDS }));
    return { field_selection: { group_operator: groupOperator, group }, module, type: "field_selection" };
  }

  private module(raw: unknown, path: Path): NotificationCondition["module"] {
    const ref = this.object(raw, path, KEYS.ref);
    const namePath = [...path, "api_name"];
    const idPath = [...path, "id"];
    this.length(ref.api_name, namePath, MAX_API_NAME_LENGTH);
    this.length(ref.id, idPath, MAX_ID_LENGTH);
    if (isMissing(ref.api_name) && isMissing(ref.id)) {
      this.fail(
        zohoError("EXPECTED_FIELD_MISSING", "Specify atleast one field", {
          expected_fields: [this.at(namePath), this.at(idPath)],
        }),
      );
    }
    const { catalog } = this.context;
    let byName: string | undefined;
    if (!isMissing(ref.api_name)) {
      if (typeof ref.api_name !== "string")
        this.fail(invalidData({ ...this.at(namePath), expected_data_type: "string" }));
      if (!catalog.has(ref.api_name)) this.fail(invalidData(this.at(namePath)));
      byName = ref.api_name;
    }
    let byId: string | undefined;
    if (!isMissing(ref.id)) {
      if (typeof ref.id !== "string")
        this.fail(invalidData({ ...this.at(idPath), expected_data_type: "string" }));
      byId = catalog.nameOf(ref.id);
      if (byId === undefined) this.fail(invalidData(this.at(idPath)));
    }
    if (byName !== undefined && byId !== undefined && byName !== byId) {
      this.fail(
        zohoError("AMBIGUITY_DURING_PROCESSING", "AMBIGUITY_DURING_PROCESSING", {
          ambiguity_due_to: [this.at(namePath), this.at(idPath)],
        }),
      );
    }
    const name = byName ?? byId ?? "";
    // Zoho's own example answers this case with INVALID_DATA and the "required field not found" message.
    if (!this.context.eventModules.includes(name))
      this.fail(invalidData(this.at(path), "required field not found"));
    return { api_name: name, id: catalog.idOf(name) };
  }

  private group(raw: unknown, path: Path, module: string, depth: number): ConditionNode[] {
    if (isMissing(raw)) this.fail(mandatoryNotFound(this.at(path)));
    if (!Array.isArray(raw)) this.fail(invalidData({ ...this.at(path), expected_data_type: "jsonarray" }));
    if (raw.length === 0 || depth > MAX_DEPTH) this.fail(invalidData(this.at(path)));
    if (depth === 1 && raw.length > MAX_TOP_LEVEL_GROUP_ITEMS) {
      this.fail(invalidData({ ...this.at(path), maximum_length: MAX_TOP_LEVEL_GROUP_ITEMS }));
    }
    return raw.map((node, position) => this.node(node, [...path, position], module, depth));
  }

  private node(raw: unknown, path: Path, module: string, depth: number): ConditionNode {
    const node = this.object(raw, path, KEYS.node);
    if (!isMissing(node.field)) {
      const fieldPath = [...path, "field"];
      const field = this.object(node.field, fieldPath, KEYS.ref);
      const namePath = [...fieldPath, "api_name"];
      if (isMissing(field.api_name)) this.fail(mandatoryNotFound(this.at(namePath)));
      this.length(field.api_name, namePath, MAX_API_NAME_LENGTH);
      this.length(field.id, [...fieldPath, "id"], MAX_ID_LENGTH);
      if (typeof field.api_name !== "string" || !API_NAME_PATTERN.test(field.api_name)) {
        this.fail(invalidData(this.at(namePath)));
      }
      if (!isMissing(field.id) && typeof field.id !== "string") {
        this.fail(invalidData({ ...this.at([...fieldPath, "id"]), expected_data_type: "string" }));
      }
      this.fields += 1;
      const id =
        typeof field.id === "string" ? field.id : this.context.catalog.fieldId(module, field.api_name);
      return { field: { api_name: field.api_name, id }, group_operator: null, group: null };
    }
    if (!isMissing(node.group)) {
      const groupOperator = this.operator(node.group_operator, [...path, "group_operator"]);
      return {
        group_operator: groupOperator,
        group: this.group(node.group, [...path, "group"], module, depth + 1),
      };
    }
    return this.fail(mandatoryNotFound(this.at([...path, "field"])));
  }

  private operator(raw: unknown, path: Path): GroupOperator {
    if (isMissing(raw)) this.fail(mandatoryNotFound(this.at(path)));
    if (raw !== "and" && raw !== "or")
      this.fail(invalidData({ ...this.at(path), supported_values: ["or", "and"] }));
    return raw;
  }

  private object(raw: unknown, path: Path, keys: readonly string[]): Record<string, unknown> {
    if (isMissing(raw)) this.fail(mandatoryNotFound(this.at(path)));
    if (!isObject(raw)) this.fail(invalidData({ ...this.at(path), expected_data_type: "jsonobject" }));
    const unknownKey = Object.keys(raw).find((key) => !keys.includes(key));
    if (unknownKey !== undefined) this.fail(invalidData(this.at([...path, unknownKey])));
    return raw;
  }

  /** A string longer than `maximum` is refused with the limit, as Zoho's limit errors carry it. */
  private length(raw: unknown, path: Path, maximum: number): void {
    if (typeof raw === "string" && raw.length > maximum) {
      this.fail(invalidData({ ...this.at(path), maximum_length: maximum }));
    }
  }

  private at(path: Path): ZohoDetails {
    const apiName = [...path].reverse().find((key) => typeof key === "string");
    return { api_name: apiName, json_path: itemJsonPath(this.context.index, path) };
  }

  private fail(zoho: ZohoError): never {
    throw new Rejected(zoho);
  }
}

/** Validates and normalises an item's `notification_condition` array. */
export function validateNotificationConditions(
  raw: readonly unknown[],
  context: ConditionContext,
): ConditionValidation {
  const reader = new ConditionReader(context);
  try {
    const value: NotificationCondition[] = [];
    raw.forEach((item, position) => {
      const path = ["notification_condition", position];
      const condition = reader.condition(item, path);
      if (value.some((other) => other.module.api_name === condition.module.api_name)) {
        // One condition per module: a second one would make the outcome depend on order.
        throw new Rejected(
          invalidData({ api_name: "module", json_path: itemJsonPath(context.index, [...path, "module"]) }),
        );
      }
      value.push(condition);
    });
    return { ok: true, value };
  } catch (error) {
    if (error instanceof Rejected) return { ok: false, error: error.zoho };
    throw error;
  }
}

function nodeMatches(node: ConditionNode, changedFields: readonly string[]): boolean {
  if ("field" in node) return changedFields.includes(node.field.api_name);
  const results = node.group.map((child) => nodeMatches(child, changedFields));
  return node.group_operator === "and" ? results.every(Boolean) : results.some(Boolean);
}

/**
 * Whether an edit that changed `changedFields` of `module` passes the channel's condition for that
 * module (channels without one for the module always pass).
 */
export function conditionAllows(
  conditions: readonly NotificationCondition[] | null,
  module: string,
  changedFields: readonly string[],
): boolean {
  const condition = conditions?.find((candidate) => candidate.module.api_name === module);
  if (!condition) return true;
  return nodeMatches(
    { group_operator: condition.field_selection.group_operator, group: condition.field_selection.group },
    changedFields,
  );
}
