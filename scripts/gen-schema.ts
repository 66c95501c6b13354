/**
 * Writes the provider plugin's package schema, derived from the resource model, to
 * `provider/pulumi/plugin/schema.json`, where the SDK generators read it (`npm run gen-sdk`).
 * A test fails when the committed file differs from a fresh derivation.
 *
 *   node dist/scripts/gen-schema.js     (npm run gen-schema)
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { packageSchema } from "../provider/pulumi/plugin/schema";

const root = path.resolve(__dirname, "..", "..");

/** The schema as committed: two-space JSON and a final newline. */
export function schemaText(): string {
  const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
  };
  return `${JSON.stringify(packageSchema(version), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(path.join(root, "provider", "pulumi", "plugin", "schema.json"), schemaText());
}
