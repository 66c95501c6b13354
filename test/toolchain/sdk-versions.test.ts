// One version everywhere: the npm package's version is the provider plugin's (schema.json and the
// plugin folder dist/plugin) and every SDK's, so `pulumi plugin install resource zoho-watch <version>`
// and an SDK's request for its plugin name the same thing. scripts/gen-schema.ts writes the schema's
// version from package.json, and `npm run gen-sdk` carries it into the SDKs (respectSchemaVersion).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../../harness/pulumi-stack";

async function read(file: string): Promise<string> {
  return readFile(path.join(repoRoot, file), "utf8");
}

async function jsonField(file: string, ...keys: string[]): Promise<unknown> {
  let value: unknown = JSON.parse(await read(file));
  for (const key of keys) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

describe("versions: the SDKs and the plugin carry the npm package's version", function () {
  let version: string;
  before(async function () {
    version = (await jsonField("package.json", "version")) as string;
    assert.match(version, /^\d+\.\d+\.\d+/);
  });

  const places: [string, () => Promise<unknown>][] = [
    [
      "provider/pulumi/plugin/schema.json version",
      () => jsonField("provider/pulumi/plugin/schema.json", "version"),
    ],
    ["sdk/nodejs/package.json version", () => jsonField("sdk/nodejs/package.json", "version")],
    [
      "sdk/nodejs/package.json pulumi.version",
      () => jsonField("sdk/nodejs/package.json", "pulumi", "version"),
    ],
    [
      "dist/sdk/nodejs/package.json pulumi.version",
      () => jsonField("dist/sdk/nodejs/package.json", "pulumi", "version"),
    ],
    [
      "sdk/python/pyproject.toml version",
      async () => /^\s*version\s*=\s*"([^"]*)"/m.exec(await read("sdk/python/pyproject.toml"))?.[1],
    ],
    [
      "sdk/python/pulumi_zoho_watch/pulumi-plugin.json version",
      () => jsonField("sdk/python/pulumi_zoho_watch/pulumi-plugin.json", "version"),
    ],
    [
      "sdk/go/zohowatch/pulumi-plugin.json version",
      () => jsonField("sdk/go/zohowatch/pulumi-plugin.json", "version"),
    ],
    ["dist/plugin/package.json version", () => jsonField("dist/plugin/package.json", "version")],
    ["dist/plugin/schema.json version", () => jsonField("dist/plugin/schema.json", "version")],
  ];
  for (const [where, read] of places) {
    it(`${where} is package.json's`, async function () {
      assert.equal(await read(), version, `${where} differs from package.json's version`);
    });
  }
});
