/**
 * How both doors hand `check`'s failures to the engine.
 *
 * A failure's property goes into the reason and the property is left empty: the engine resolves
 * only top-level keys (`events[0]` is printed as `value {<nil>}`) and would print a top-level
 * input's value, a secret's included. So each failure reads
 * `resource 'orders' has a problem: events[0]: "Dealz.create" names no Zoho CRM module; …`.
 */
import type { CheckFailure } from "../channel/inputs";

/** `failures` as the engine should show them. */
export function failuresForEngine(failures: readonly CheckFailure[]): CheckFailure[] {
  return failures.map(({ property, reason }) => ({
    property: "",
    reason: property === "" ? reason : `${property}: ${reason}`,
  }));
}
