// The committed SDKs under sdk/ are what `npm run gen-sdk` makes of the plugin's schema with the
// pinned code generators: this generates them again into a scratch directory and compares file by
// file, naming the first file that differs. Run `npm run gen-sdk` and commit the result to fix it.
// It needs Go the first time (scripts/gen-sdk.sh builds the generator once into the toolchain cache),
// which puts it in the real-CLI tier (scripts/test-tiers.sh).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot, run } from "../../harness/pulumi-stack";

const script = path.join(repoRoot, "scripts", "gen-sdk.sh");
const committed = path.join(repoRoot, "sdk");

/** Files under dir, relative to it with "/" separators, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** The files of sdk/ a commit would hold: tracked and not ignored (no sdk/nodejs/bin, node_modules). */
async function committedFiles(): Promise<string[]> {
  const listed = await run(
    "git",
    ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "sdk"],
    repoRoot,
    process.env,
  );
  assert.equal(listed.code, 0, listed.output);
  return [
    ...new Set(
      listed.stdout
        .split("\0")
        .filter((file) => file !== "" && existsSync(path.join(repoRoot, file)))
        .map((file) => path.relative("sdk", file).split(path.sep).join("/")),
    ),
  ].sort();
}

/** The first line at which two texts differ, for the failure message. */
function firstDifferingLine(a: string, b: string): string {
  const left = a.split("\n");
  const right = b.split("\n");
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== right[i]) {
      return `line ${i + 1}: committed ${JSON.stringify(left[i] ?? "<end of file>")}, fresh ${JSON.stringify(right[i] ?? "<end of file>")}`;
    }
  }
  return "same lines (line endings or trailing bytes differ)";
}

describe("sdk/: the committed SDKs are a fresh generation from the plugin's schema", function () {
  let scratch: string;
  let fresh: string;

  before(async function () {
    // Building the generator the first time compiles Pulumi's codegen packages.
    this.timeout(10 * 60 * 1000);
    scratch = await mkdtemp(path.join(tmpdir(), "sdk-fresh-"));
    fresh = path.join(scratch, "sdk");
    const result = await run("bash", [script, "--out", fresh], repoRoot, process.env);
    assert.equal(result.code, 0, `scripts/gen-sdk.sh failed:\n${result.output}`);
  });
  after(async function () {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("holds the same files, byte for byte (else: npm run gen-sdk, and commit sdk/)", async function () {
    const want = await filesUnder(fresh);
    const have = await committedFiles();
    assert.ok(want.length > 0, "the generator wrote no files");
    for (const file of [...new Set([...want, ...have])].sort()) {
      const name = `sdk/${file}`;
      assert.ok(have.includes(file), `${name} is generated but not in the repository (run npm run gen-sdk)`);
      assert.ok(
        want.includes(file),
        `${name} is in the repository but no longer generated (run npm run gen-sdk)`,
      );
      const [a, b] = await Promise.all([
        readFile(path.join(committed, file)),
        readFile(path.join(fresh, file)),
      ]);
      if (!a.equals(b)) {
        assert.fail(
          `${name} differs from a fresh generation (run npm run gen-sdk): ${firstDifferingLine(a.toString("utf8"), b.toString("utf8"))}`,
        );
      }
    }
  });
});
