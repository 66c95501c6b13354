/**
 * Readers of README.md for the tests that keep it true: its links, the code of a section, and the
 * list of what the published package holds.
 */
import { readFile } from "node:fs/promises";

/** The heading of the README's list of what the tarball holds (a table, paths in its first column). */
export const TARBALL_HEADING = "### What the package ships";

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
  const end = lines.findIndex(
    (line, i) => i > start && /^#+ /.test(line) && (/^#+/.exec(line)?.[0].length ?? 0) <= level,
  );
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The first fenced code block of `language` in the section under `heading`, without its fences. */
export function firstCodeBlock(markdown: string, heading: string, language: string): string {
  const lines = section(markdown, heading);
  const open = lines.findIndex((line) => line.trim() === "```" + language);
  if (open < 0) throw new Error(`README.md's "${heading}" has no \`\`\`${language} block`);
  const close = lines.findIndex((line, i) => i > open && line.trim() === "```");
  return `${lines.slice(open + 1, close).join("\n")}\n`;
}

/**
 * The paths and globs README.md lists under {@link TARBALL_HEADING}: every `code` span in the first
 * column of its table.
 */
export async function readmeTarballPatterns(readmePath: string): Promise<string[]> {
  const rows = section(await readFile(readmePath, "utf8"), TARBALL_HEADING).filter((line) =>
    /^\|\s*`/.test(line),
  );
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
