/**
 * Event lists as an operator reads them: grouped by module, `Module.all` spelt out.
 *
 * Zoho writes events back in its own form (`.all` expanded, its own order), so two lists are only
 * comparable as sets of single operations.
 */

export { expandEvents, sameEvents } from "./provider-settings";

/** What `Module.all` stands for. */
const OPERATIONS = ["create", "edit", "delete"] as const;

/** Operations per module, modules in order of first appearance: `{ Deals: ["create", "edit"] }`. */
export function eventsByModule(events: readonly string[]): Record<string, string[]> {
  const byModule: Record<string, string[]> = {};
  for (const event of events) {
    const dot = event.lastIndexOf(".");
    const module = dot > 0 ? event.slice(0, dot) : event;
    const operation = dot > 0 ? event.slice(dot + 1) : "";
    const operations = (byModule[module] ??= []);
    for (const op of operation === "all" ? OPERATIONS : [operation]) {
      if (!operations.includes(op)) operations.push(op);
    }
  }
  return byModule;
}
