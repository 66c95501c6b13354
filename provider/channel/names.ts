/**
 * "Did you mean": the one spelling helper of the model and the engine's settings. Its own file,
 * importing nothing, so the settings (loaded by the package's main entry) stay free of the inputs'
 * validation and zod.
 */

/**
 * The name of `known` that `name` most probably meant: the same but for case, `-` and `_`
 * (`clientid`, `client_id` → `clientId`), or undefined. Used for config keys and resource inputs.
 */
export function nameMeant<T extends string>(name: string, known: readonly T[]): T | undefined {
  const folded = name.toLowerCase().replace(/[-_]/g, "");
  return known.find((candidate) => candidate.toLowerCase() === folded);
}
