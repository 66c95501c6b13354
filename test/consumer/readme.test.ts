// README.md and docs/ against what they describe: the README's program is the quickstart's, the README
// is a front door (short, the user's install first), and every relative link of the README and of
// docs/ opens a page the package ships, at a heading that exists.
import assert from "node:assert/strict";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../../harness/pulumi-stack";
import { firstCodeBlock, globToRegExp, headingAnchors, markdownLinks } from "./readme";

/** The README is the front door: about 250 lines, the reference lives in docs/. */
const README_MAX_LINES = 260;

interface Manifest {
  name: string;
  files: string[];
  engines: { node: string };
  dependencies: Record<string, string>;
}

/** README.md and every page of docs/, as paths relative to the repository. */
async function documentationPages(): Promise<string[]> {
  const docs = (await readdir(path.join(repoRoot, "docs"))).filter((file) => file.endsWith(".md"));
  return ["README.md", ...docs.sort().map((file) => path.join("docs", file))];
}

describe("README.md and docs/", function () {
  let readme: string;
  let manifest: Manifest;

  before(async function () {
    readme = await readFile(path.join(repoRoot, "README.md"), "utf8");
    manifest = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as Manifest;
  });

  it('"A complete program" is examples/quickstart/index.ts, which the tests run', async function () {
    const quickstart = await readFile(path.join(repoRoot, "examples", "quickstart", "index.ts"), "utf8");
    assert.equal(
      firstCodeBlock(readme, "## A complete program", "ts"),
      quickstart,
      'copy examples/quickstart/index.ts into README.md\'s first ```ts block under "A complete program"',
    );
  });

  it("docs/operating.md's GitHub Actions workflow is examples/ci/renew-watch-channels.yml, which the tests check", async function () {
    const operating = await readFile(path.join(repoRoot, "docs", "operating.md"), "utf8");
    const workflow = await readFile(
      path.join(repoRoot, "examples", "ci", "renew-watch-channels.yml"),
      "utf8",
    );
    assert.equal(
      firstCodeBlock(operating, "## A GitHub Actions workflow", "yaml"),
      workflow,
      'copy examples/ci/renew-watch-channels.yml into docs/operating.md\'s ```yaml block under "A GitHub Actions workflow"',
    );
  });

  it(`the README is a front door of at most ${README_MAX_LINES} lines`, function () {
    const lines = readme.split("\n").length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines: move reference material to docs/`);
  });

  it("the README's first command is the user's install, with the Node.js minimum package.json requires", function () {
    const firstShell = /^```sh\n([\s\S]*?)^```/m.exec(readme)?.[1];
    const dependency = Object.keys(manifest.dependencies).find((name) => name === "@pulumi/pulumi");
    assert.equal(firstShell, `npm install ${manifest.name} ${dependency}\n`);
    const minimum = /^>=(\d+)\.(\d+)\.0$/.exec(manifest.engines.node);
    assert.ok(minimum, `engines.node is ${manifest.engines.node}`);
    const install = readme.slice(readme.indexOf("## Install"), readme.indexOf("## A complete program"));
    assert.match(install, new RegExp(`\\*\\*${minimum[1]}\\.${minimum[2]} or newer\\*\\*`));
  });

  it("package.json ships docs/: every page, so an installed user can open them", async function () {
    const shipped = manifest.files.map((glob) => globToRegExp(glob));
    for (const page of await documentationPages()) {
      if (page === "README.md") continue; // npm always packs it
      assert.ok(
        shipped.some((pattern) => pattern.test(page)),
        `${page} is not in package.json "files"`,
      );
    }
  });

  it("every relative link of README.md and docs/ opens a shipped file, at a heading that exists", async function () {
    const shipped = [...manifest.files, "README.md", "package.json"].map((glob) => globToRegExp(glob));
    const broken: string[] = [];
    for (const page of await documentationPages()) {
      const text = await readFile(path.join(repoRoot, page), "utf8");
      for (const link of markdownLinks(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // URLs
        const [file, fragment] = link.split("#") as [string, string | undefined];
        const target = file === "" ? page : path.normalize(path.join(path.dirname(page), decodeURI(file)));
        if (target.startsWith("..") || !(await stat(path.join(repoRoot, target)).catch(() => undefined))) {
          broken.push(`${page}: ${link} (no such file)`);
          continue;
        }
        if (!shipped.some((pattern) => pattern.test(target))) {
          broken.push(`${page}: ${link} (${target} is not in the package)`);
          continue;
        }
        if (fragment === undefined) continue;
        const anchors = headingAnchors(await readFile(path.join(repoRoot, target), "utf8"));
        if (!anchors.has(fragment)) broken.push(`${page}: ${link} (${target} has no heading #${fragment})`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
