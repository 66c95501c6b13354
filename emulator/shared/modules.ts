/**
 * The emulated org's modules: the standard ones every Zoho CRM org has, custom modules named in the
 * options, and any `*__c` name. Each module gets a stable id so responses carry `resource_id` values
 * that look and behave like Zoho's (long integers as strings).
 */

/** Standard module API names of a Zoho CRM org (v7 list). */
export const STANDARD_MODULES = [
  "Leads",
  "Accounts",
  "Contacts",
  "Deals",
  "Campaigns",
  "Tasks",
  "Cases",
  "Meetings",
  "Calls",
  "Solutions",
  "Products",
  "Vendors",
  "Price_Books",
  "Quotes",
  "Sales_Orders",
  "Purchase_Orders",
  "Invoices",
  "Appointments",
  "Services",
] as const;

/** Shape of a module or field API name. */
export const API_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Longest module API name (Zoho's OpenAPI description of v8: `module` maxLength 64). */
export const MAX_MODULE_NAME_LENGTH = 64;

const CUSTOM_SUFFIX_PATTERN = /^[A-Za-z][A-Za-z0-9_]*__c$/;

// Made-up org prefix, shaped like real Zoho ids (org-specific prefix + sequence).
const ID_PREFIX = "5725767000000";

function stableDigits(text: string, length: number): string {
  // FNV-1a: tiny and deterministic, so ids survive restarts without being stored.
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % 10 ** length).padStart(length, "0");
}

export class ModuleCatalog {
  private readonly idByName = new Map<string, string>();
  private readonly nameById = new Map<string, string>();

  constructor(customModules: readonly string[] = []) {
    STANDARD_MODULES.forEach((name, index) =>
      this.register(name, ID_PREFIX + String(125 + 2 * index).padStart(6, "0")),
    );
    for (const name of customModules) {
      if (!API_NAME_PATTERN.test(name) || name.length > MAX_MODULE_NAME_LENGTH) {
        throw new Error(
          `customModules: "${name}" is not a module API name of at most ${MAX_MODULE_NAME_LENGTH} characters`,
        );
      }
      this.registerCustom(name);
    }
  }

  /** Whether the org has a module with this API name (case-sensitive, as Zoho's API names are). */
  has(name: string): boolean {
    if (name.length > MAX_MODULE_NAME_LENGTH) return false;
    return this.idByName.has(name) || CUSTOM_SUFFIX_PATTERN.test(name);
  }

  /** The module's id; only call for names {@link has} accepts. */
  idOf(name: string): string {
    return this.idByName.get(name) ?? this.registerCustom(name);
  }

  nameOf(id: string): string | undefined {
    return this.nameById.get(id);
  }

  /** A stable id for a field of a module (the emulator has no field metadata, only names). */
  fieldId(module: string, field: string): string {
    return ID_PREFIX + "1" + stableDigits(`${module}.${field}`, 5);
  }

  private registerCustom(name: string): string {
    const existing = this.idByName.get(name);
    if (existing !== undefined) return existing;
    return this.register(name, ID_PREFIX + "9" + stableDigits(name, 5));
  }

  private register(name: string, id: string): string {
    this.idByName.set(name, id);
    this.nameById.set(id, name);
    return id;
  }
}
