// README.md against what it describes: its program is the quickstart's, and its anchors exist.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../../harness/pulumi-stack";
import { firstCodeBlock, markdownLinks } from "./readme";

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

describe("README.md", function () {
  let readme: string;

  before(async function () {
    readme = await readFile(path.join(repoRoot, "README.md"), "utf8");
  });

  it('"A complete program" is examples/quickstart/index.ts, which the tests run', async function () {
    const quickstart = await readFile(path.join(repoRoot, "examples", "quickstart", "index.ts"), "utf8");
    assert.equal(
      firstCodeBlock(readme, "## A complete program", "ts"),
      quickstart,
      'copy examples/quickstart/index.ts into README.md\'s first ```ts block under "A complete program"',
    );
  });

  it("every #anchor link names a heading of the README", function () {
    const headings = new Set(
      readme
        .replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, "")
        .split("\n")
        .filter((line) => /^#+ /.test(line))
        .map((line) => anchor(line.replace(/^#+ /, "").replace(/`/g, ""))),
    );
    const dangling = markdownLinks(readme)
      .filter((link) => link.startsWith("#"))
      .filter((link) => !headings.has(link.slice(1)));
    assert.deepEqual(dangling, []);
  });
});
