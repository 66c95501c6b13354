/**
 * Event strings (`"{Module}.{op}"`) and the set operations the watch API performs on them.
 *
 * Channels store events in Zoho's canonical form, the one its GET answers show: `.all` expanded into
 * the three operations, grouped by module in order of first subscription, operations ordered
 * edit, create, delete. Comparing events as sets is therefore the only safe thing a client can do.
 */

/** A record operation a channel can subscribe to. */
export type RecordOperation = "create" | "edit" | "delete";

/** Operation order in Zoho's GET answers. */
const OPERATION_ORDER: readonly RecordOperation[] = ["edit", "create", "delete"];

const EVENT_PATTERN = /^([A-Za-z][A-Za-z0-9_]*)\.(create|edit|delete|all)$/;

export interface ParsedEvent {
  readonly module: string;
  readonly operation: RecordOperation | "all";
}

export function parseEvent(event: string): ParsedEvent | undefined {
  const match = EVENT_PATTERN.exec(event);
  if (!match) return undefined;
  return { module: match[1] ?? "", operation: (match[2] ?? "all") as RecordOperation | "all" };
}

type Subscriptions = Map<string, Set<RecordOperation>>;

function toSubscriptions(events: readonly string[]): Subscriptions {
  const subscriptions: Subscriptions = new Map();
  for (const event of events) {
    const parsed = parseEvent(event);
    if (!parsed) continue;
    const ops = subscriptions.get(parsed.module) ?? new Set<RecordOperation>();
    for (const op of parsed.operation === "all" ? OPERATION_ORDER : [parsed.operation]) ops.add(op);
    subscriptions.set(parsed.module, ops);
  }
  return subscriptions;
}

function toEvents(subscriptions: Subscriptions): string[] {
  const events: string[] = [];
  for (const [module, ops] of subscriptions) {
    for (const op of OPERATION_ORDER) if (ops.has(op)) events.push(`${module}.${op}`);
  }
  return events;
}

/** Canonical form of a validated event list. */
export function canonicalEvents(events: readonly string[]): string[] {
  return toEvents(toSubscriptions(events));
}

/** Union: what a POST upsert or a PATCH does to a channel's events. */
export function mergeEvents(current: readonly string[], added: readonly string[]): string[] {
  return canonicalEvents([...current, ...added]);
}

/** Difference: what `_delete_events` does; removing `X.all` removes every operation of X. */
export function removeEvents(current: readonly string[], removed: readonly string[]): string[] {
  const subscriptions = toSubscriptions(current);
  for (const [module, ops] of toSubscriptions(removed)) {
    const kept = subscriptions.get(module);
    if (!kept) continue;
    for (const op of ops) kept.delete(op);
    if (kept.size === 0) subscriptions.delete(module);
  }
  return toEvents(subscriptions);
}

/** Modules named by the events, in order of first appearance. */
export function modulesOf(events: readonly string[]): string[] {
  return [...toSubscriptions(events).keys()];
}

/** Events of one module only (a GET row shows only its module's events). */
export function eventsOfModule(events: readonly string[], module: string): string[] {
  return events.filter((event) => parseEvent(event)?.module === module);
}

export function subscribesTo(events: readonly string[], module: string, operation: RecordOperation): boolean {
  return toSubscriptions(events).get(module)?.has(operation) ?? false;
}
