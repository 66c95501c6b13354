/**
 * Readers of README.md and docs/*.md for the tests that keep them true: their links and headings, the
 * code of a section, and the list of what the published package holds.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

/** The page, relative to the README, that lists what the tarball holds. */
export const TARBALL_PAGE = path.join("docs", "development.md");

/** The heading of that list (a table, paths in its first column). */
export const TARBALL_HEADING = "## What the package ships";

/** Markdown text without fenced code blocks and inline code, where `[x](y)` is not a link. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The targets of every inline link and image in `markdown` (`[text](target)`), outside code. */
export function markdownLinks(markdown: string): string[] {
  const links: string[] = [];
  for (const match of withoutCode(markdown).matchAll(
    /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
  )) {
    links.push(match[1]!);
  }
  return links;
}

/** The lines of the section under `heading` (up to the next heading of the same or a higher level). */
export function section(markdown: string, heading: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`README.md has no section "${heading}"`);
  const level = /^#+/.exec(heading)?.[0].length ?? 1;
  // A `# comment` inside a fenced code block is not a heading.
  let fenced = false;
  const inFence = lines.map((line) => {
    if (/^```/.test(line)) fenced = !fenced;
    return fenced;
  });
  const end = lines.findIndex(
    (line, i) =>
      i > start && !inFence[i] && /^#+ /.test(line) && (/^#+/.exec(line)?.[0].length ?? 0) <= level,
  );
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The first fenced code block of `language` in the section under `heading`, without its fences. */
export function firstCodeBlock(markdown: string, heading: string, language: string): string {
  const [block] = codeBlocks(markdown, heading, language);
  if (block === undefined) throw new Error(`README.md's "${heading}" has no \`\`\`${language} block`);
  return block;
}

/** Every fenced code block of `language` in the section under `heading`, in order, without fences. */
export function codeBlocks(markdown: string, heading: string, language: string): string[] {
  const lines = section(markdown, heading);
  const blocks: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "```" + language) continue;
    const close = lines.findIndex((line, j) => j > i && line.trim() === "```");
    blocks.push(`${lines.slice(i + 1, close).join("\n")}\n`);
    i = close;
  }
  return blocks;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of every heading of `markdown` (outside code blocks). */
export function headingAnchors(markdown: string): Set<string> {
  return new Set(
    markdown
      .replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, "")
      .split("\n")
      .filter((line) => /^#+ /.test(line))
      .map((line) => anchor(line.replace(/^#+ /, "").replace(/`/g, ""))),
  );
}

/**
 * The paths and globs the documentation lists under {@link TARBALL_HEADING} of {@link TARBALL_PAGE}
 * (found beside `readmePath`, the README): every `code` span in the first column of its table.
 */
export async function readmeTarballPatterns(readmePath: string): Promise<string[]> {
  const page = path.join(path.dirname(readmePath), TARBALL_PAGE);
  const rows = section(await readFile(page, "utf8"), TARBALL_HEADING).filter((line) => /^\|\s*`/.test(line));
  return rows.flatMap((row) => [...(row.split("|")[1] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

/** A glob of the README's list as a RegExp over tarball paths: `**` spans folders, `*` does not. */
export function globToRegExp(glob: string): RegExp {
  const source = glob
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) => {
      if (part === "**/") return "(?:.*/)?";
      if (part === "**") return ".*";
      if (part === "*") return "[^/]*";
      return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}$`);
}
