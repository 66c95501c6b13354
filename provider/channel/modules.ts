/**
 * Zoho CRM module names and the "did you mean" hint for a misspelt one.
 *
 * Zoho lets every org add custom modules, so an unknown name cannot be rejected outright. What we can
 * catch is the common mistake: a name that is *almost* a standard module ("Deal", "contacts",
 * "Sales_Order"), which Zoho would reject only at apply time, or worse, accept for a custom module
 * that never fires.
 */

import { isDeepStrictEqual } from "node:util";
import { STANDARD_MODULES } from "../zoho/rules";

export { EVENT_OPERATIONS, STANDARD_MODULES, type EventOperation } from "../zoho/rules";

/**
 * The standard module `name` most probably meant, when it is not one itself: a case-insensitive
 * match, or one within two edits (which catches singular/plural and one-letter typos).
 */
export function suggestModule(name: string): string | undefined {
  if ((STANDARD_MODULES as readonly string[]).includes(name)) {
    return undefined;
  }
  const lower = name.toLowerCase();
  let best: { module: string; distance: number } | undefined;
  for (const module of STANDARD_MODULES) {
    const distance = editDistance(lower, module.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) {
      best = { module, distance };
    }
  }
  return best?.module;
}

/** Levenshtein distance; the names are short, so the plain two-row algorithm is plenty. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The events a list subscribes to, with `Module.all` spelt out as create, edit and delete, so two
 * lists can be compared however Zoho chose to write them back.
 */
export function expandEvents(events: readonly string[]): string[] {
  const expanded = new Set<string>();
  for (const event of events) {
    const [module, operation] = event.split(".");
    if (operation === "all") {
      for (const op of ["create", "edit", "delete"]) expanded.add(`${module}.${op}`);
    } else {
      expanded.add(event);
    }
  }
  return [...expanded].sort();
}

/** Whether two event lists subscribe to the same operations, however they are written. */
export function sameEvents(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && isDeepStrictEqual(expandEvents(a), expandEvents(b));
}
