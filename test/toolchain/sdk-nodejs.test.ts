// The Node SDK as it ships (the package's `pulumi-zoho-watch/plugin`, compiled by scripts/build.sh
// into dist/sdk/nodejs): no install scripts a user's `npm install` would run, and its TSDoc is the
// schema's description, so an editor shows what the provider plugin documents.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { repoRoot } from "../../harness/pulumi-stack";

/** npm's lifecycle scripts that run on install (of the package, or from git). */
const INSTALL_SCRIPTS = [
  "preinstall",
  "install",
  "postinstall",
  "prepublish",
  "preprepare",
  "prepare",
  "postprepare",
];

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(repoRoot, file), "utf8")) as Record<string, unknown>;
}

/** The TSDoc text of a property of an exported interface in a .d.ts file. */
async function propertyDoc(file: string, iface: string, property: string): Promise<string> {
  const source = ts.createSourceFile(
    file,
    await readFile(path.join(repoRoot, file), "utf8"),
    ts.ScriptTarget.Latest,
    true,
  );
  const declaration = source.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === iface,
  );
  assert.ok(declaration, `${file} declares no interface ${iface}`);
  const member = declaration.members.find(
    (m) => ts.isPropertySignature(m) && ts.isIdentifier(m.name) && m.name.text === property,
  );
  assert.ok(member, `${iface} in ${file} has no property ${property}`);
  const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
  assert.equal(docs.length, 1, `${iface}.${property} in ${file} has ${docs.length} TSDoc comments`);
  return ts.getTextOfJSDocComment(docs[0]!.comment) ?? "";
}

describe("sdk/nodejs: the Node SDK ships without install scripts and with the schema's docs", function () {
  for (const file of ["sdk/nodejs/package.json", "dist/sdk/nodejs/package.json"]) {
    it(`${file} has no install scripts`, async function () {
      const scripts = ((await readJson(file)).scripts ?? {}) as Record<string, string>;
      const found = INSTALL_SCRIPTS.filter((name) => name in scripts);
      assert.deepEqual(found, [], `${file} runs scripts on install: ${found.join(", ")}`);
    });
  }

  it("WatchChannelArgs.events' TSDoc in the compiled .d.ts is the schema's description", async function () {
    const schema = (await readJson("provider/pulumi/plugin/schema.json")) as {
      resources: Record<string, { inputProperties: Record<string, { description?: string }> }>;
    };
    const want = schema.resources["zoho-watch:index:WatchChannel"]?.inputProperties.events?.description;
    assert.ok(want, "the schema has no description for WatchChannel's events input");
    assert.equal(await propertyDoc("dist/sdk/nodejs/watchChannel.d.ts", "WatchChannelArgs", "events"), want);
  });
});
