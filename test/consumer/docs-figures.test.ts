// The figures the documentation quotes, against their sources: the package's size against
// `npm pack --dry-run`, Zoho's limits against provider/zoho/rules.ts, and every path a user-facing
// page names against what the package ships (an installed user cannot open anything else).
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot, run } from "../../harness/pulumi-stack";
import { API_VERSIONS, LIMITS, maxExpiresIn } from "../../provider/zoho/rules";
import { section } from "./readme";
import { mustRun, userEnv } from "./consumer-project";

/** How far a rounded figure may be from the measured one. */
const TOLERANCE = 0.1;

/** The page for a clone of the repository: the only one that may name the repository's own files. */
const DEVELOPMENT_PAGE = path.join("docs", "development.md");

interface PackDryRun {
  entryCount: number;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

async function page(name: string): Promise<string> {
  return readFile(path.join(repoRoot, name), "utf8");
}

/** README.md and every page of docs/. */
async function documentationPages(): Promise<string[]> {
  const docs = (await readdir(path.join(repoRoot, "docs"))).filter((file) => file.endsWith(".md"));
  return ["README.md", ...docs.sort().map((file) => path.join("docs", file))];
}

/** The row of a Markdown table whose first cell is `label`, its cells trimmed. */
function row(lines: string[], label: string): string[] {
  const found = lines.find((line) => line.split("|")[1]?.trim() === label);
  assert.ok(found, `the table has a row "${label}"`);
  return found.split("|").map((cell) => cell.trim());
}

function near(documented: number, measured: number, what: string): void {
  assert.ok(
    Math.abs(documented - measured) <= measured * TOLERANCE,
    `${what}: the docs say ${documented}, npm pack --dry-run measures ${measured}`,
  );
}

describe("the figures the docs quote", function () {
  this.timeout(120_000);

  describe("the package's size, against `npm pack --dry-run`", function () {
    let pack: PackDryRun;

    before(async function () {
      const packed = await mustRun("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], repoRoot);
      [pack] = JSON.parse(packed.stdout) as [PackDryRun];
    });

    it("files, packed and unpacked size in docs/development.md are within 10% of the tarball's", async function () {
      const text = (await page(DEVELOPMENT_PAGE)).replace(/\s+/g, " ");
      const figures = /about (\d+) files, (\d+) kB packed, ([\d.]+) MB unpacked/.exec(text);
      assert.ok(figures, "docs/development.md says: about N files, N kB packed, N MB unpacked");
      near(Number(figures[1]), pack.entryCount, "files");
      near(Number(figures[2]) * 1000, pack.size, "packed bytes");
      near(Number(figures[3]) * 1_000_000, pack.unpackedSize, "unpacked bytes");
    });

    it("no user-facing page names a repository path the package does not ship", async function () {
      const shipped = pack.files.map((file) => file.path);
      const tracked = await run("git", ["ls-files"], repoRoot, userEnv());
      assert.equal(tracked.code, 0, tracked.output);
      // The repository's top-level folders (`test/`, `examples/`, ...) and files (`BENCHMARKS.md`).
      const roots = new Set(tracked.stdout.split("\n").map((file) => file.split("/")[0]!));
      const unreachable: string[] = [];
      for (const name of await documentationPages()) {
        if (name === DEVELOPMENT_PAGE) continue;
        const text = (await page(name)).replace(/<!--[\s\S]*?-->/g, "");
        for (const match of text.matchAll(/(?<![\w./:@-])(\.?[\w-]+(?:\/[\w.*-]*)*\.?[\w]*)/g)) {
          const mention = match[1]!.replace(/\/\*\*.*$/, "").replace(/[.*/]+$/, "");
          const [root] = mention.split("/");
          if (!roots.has(root!) || (!mention.includes("/") && !mention.endsWith(".md"))) continue;
          const reachable = shipped.some((file) => file === mention || file.startsWith(`${mention}/`));
          if (!reachable) unreachable.push(`${name}: ${mention}`);
        }
      }
      assert.deepEqual([...new Set(unreachable)], [], "paths an installed user cannot open");
    });
  });

  describe("Zoho's limits, against provider/zoho/rules.ts", function () {
    let table: string[];
    let all: string;

    before(async function () {
      table = section(await page(path.join("docs", "limits.md")), "## Zoho's published limits");
      all = (await Promise.all((await documentationPages()).map(page))).join("\n");
    });

    it("items per write, events per channel, ids per DELETE, token and URL lengths, conditions, listing", function () {
      assert.equal(row(table, "items per write (POST, PUT, PATCH)")[2], String(LIMITS.maxItemsPerWrite));
      assert.equal(row(table, "events per channel")[2], String(LIMITS.maxEventsPerItem));
      assert.equal(
        row(table, "one event (`Module.operation`)")[2],
        `${LIMITS.maxEventLength} characters; a module API name ${LIMITS.maxModuleNameLength}`,
      );
      // Channel ids of 19 digits, comma-separated, within the parameter's length.
      const ids = Math.floor((LIMITS.maxChannelIdsParamLength + 1) / 20);
      assert.equal(
        row(table, "channel ids per DELETE")[2],
        `about ${ids}: the \`channel_ids\` parameter holds ${LIMITS.maxChannelIdsParamLength} characters`,
      );
      assert.equal(row(table, "`token`")[2], `${LIMITS.maxTokenLength} characters`);
      assert.equal(row(table, "`notifyUrl`")[2], `${LIMITS.maxNotifyUrlLength} characters`);
      assert.equal(
        row(table, "`notificationCondition`")[2],
        `${LIMITS.maxConditionsPerItem} conditions per channel; ${LIMITS.maxConditionGroupSize} entries per group, ` +
          `${LIMITS.maxConditionFields} fields in all; field API names ${LIMITS.maxFieldNameLength} characters, ` +
          `module and field ids ${LIMITS.maxConditionIdLength}`,
      );
      assert.equal(row(table, "listing (GET)")[2], `${LIMITS.maxPerPage} per page, ${LIMITS.maxPage} pages`);
    });

    it("the channel lifetime per API version, and the expiry the provider asks for", function () {
      const lifetime = /at most (\d+) days from API (v\d+), (\d+) day on ([v\d., and]+)$/.exec(
        row(table, "channel lifetime (`expiresIn`)")[2]!,
      );
      assert.ok(lifetime, "the lifetime row reads: at most N days from API vN, N day on v…, … and v…");
      const [, longDays, from, shortDays, shortList] = lifetime;
      const short = shortList!.split(/, | and /).map((version) => version.trim());
      const fromIndex = API_VERSIONS.indexOf(from as (typeof API_VERSIONS)[number]);
      assert.ok(fromIndex >= 0, `${from} is an API version`);
      assert.deepEqual(short, API_VERSIONS.slice(0, fromIndex), "the versions before it");
      for (const version of API_VERSIONS) {
        const days = API_VERSIONS.indexOf(version) >= fromIndex ? longDays : shortDays;
        assert.equal(maxExpiresIn(version).as("days"), Number(days), `lifetime on ${version}`);
      }
      // The provider asks for 10 minutes less, for clock skew: from v4 first, then before it.
      const asked = [API_VERSIONS[fromIndex]!, API_VERSIONS[0]].map((version) =>
        maxExpiresIn(version).minus({ minutes: 10 }).rescale().toISO(),
      );
      const quoted = /lifetime less 10 minutes \(`([^`]+)`, `([^`]+)`\)/.exec(all.replace(/\s+/g, " "));
      assert.deepEqual(quoted?.slice(1), asked);
    });

    it('every "up to N items per request" the docs quote is Zoho\'s write limit', function () {
      const quoted = [...all.replace(/\s+/g, " ").matchAll(/up to (\d+) (?:items|channels) per (\w+)/g)];
      assert.ok(quoted.length > 0, "the docs quote the batch size somewhere");
      for (const [text, n] of quoted) assert.equal(Number(n), LIMITS.maxItemsPerWrite, text);
    });
  });
});
