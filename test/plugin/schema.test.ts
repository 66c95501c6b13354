// The plugin's committed package schema against a fresh derivation from the model, and the secret
// envelope's constants against the SDK's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { packageSchema } from "../../provider/pulumi/plugin/schema";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../provider/pulumi/plugin/properties";
import { schemaText } from "../../scripts/gen-schema";
import { PACKAGE_VERSION, REPO_ROOT } from "./support";

const SCHEMA_FILE = path.join(REPO_ROOT, "provider", "pulumi", "plugin", "schema.json");
const HINT = "provider/pulumi/plugin/schema.json is stale: run `npm run gen-schema` and commit the result";

describe("plugin schema", () => {
  it("the committed schema.json is the schema derived from the model, for package.json's version", () => {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    assert.deepEqual(JSON.parse(committed), packageSchema(PACKAGE_VERSION), HINT);
    assert.equal(committed, schemaText(), `${HINT} (it differs in layout only)`);
  });

  it("the secret envelope's constants are the SDK's specialSigKey and specialSecretSig", () => {
    assert.equal(SECRET_SIG_KEY, specialSigKey);
    assert.equal(SECRET_SIG, specialSecretSig);
  });
});
