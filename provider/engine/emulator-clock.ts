/**
 * The clock offset of runs against the emulator: `zoho-watch:clockOffset` (or
 * `ZOHO_WATCH_CLOCK_OFFSET`), either a fixed offset or `file:PATH`, the clock file a running
 * emulator keeps up to date (`zoho-crm-emulator --clock-file PATH`). With the file, moving the
 * emulator's clock (`zoho-crm-emulator clock advance P2D`) is the one thing a person does: the
 * provider and `zoho-watch status` read the new offset from the file, without any network call, so
 * a no-change preview still makes no call of any kind.
 *
 * This module reads the file's documented format (emulator/README.md, "Clock file") on its own: the
 * provider never imports the emulator.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseClockOffset } from "../channel/expiry";
import { isLoopback } from "../channel/notify-url";

/** The prefix that makes the setting name a clock file: `file:.zoho-emulator/clock.json`. */
export const CLOCK_FILE_PREFIX = "file:";

/** The `format` a clock file declares. */
const CLOCK_FILE_FORMAT = "zoho-crm-emulator/clock-v1";

/** The offset in milliseconds, or why the setting cannot be used (a sentence for an error). */
export type ClockOffsetResult = { ok: true; offsetMs: number } | { ok: false; reason: string };

/**
 * Reads a clock offset setting: an ISO-8601 duration (`P6DT12H`, `-PT2M`), milliseconds, or
 * `file:PATH` (a path relative to the working directory: the Pulumi project's, for the provider and
 * for `zoho-watch` run in the project).
 */
export function resolveClockOffset(text: string, cwd: string = process.cwd()): ClockOffsetResult {
  const trimmed = text.trim();
  if (!trimmed.startsWith(CLOCK_FILE_PREFIX)) {
    const offsetMs = parseClockOffset(trimmed);
    return offsetMs === undefined || !Number.isFinite(offsetMs)
      ? {
          ok: false,
          reason: `use an ISO-8601 duration such as PT2M (or -PT2M), milliseconds, or ${CLOCK_FILE_PREFIX}PATH naming the emulator's --clock-file`,
        }
      : { ok: true, offsetMs };
  }
  const file = path.resolve(cwd, trimmed.slice(CLOCK_FILE_PREFIX.length));
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      reason:
        code === "ENOENT"
          ? `the clock file ${file} does not exist: start the emulator with \`zoho-crm-emulator --clock-file ${file}\``
          : `the clock file ${file} cannot be read (${String(code ?? error)})`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    parsed = undefined;
  }
  const record = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  if (record["format"] !== CLOCK_FILE_FORMAT || typeof record["offsetMs"] !== "number") {
    return {
      ok: false,
      reason: `${file} is not an emulator clock file (${CLOCK_FILE_FORMAT}): name the file the emulator's --clock-file writes`,
    };
  }
  return Number.isFinite(record["offsetMs"])
    ? { ok: true, offsetMs: record["offsetMs"] }
    : { ok: false, reason: `${file} holds no finite offsetMs` };
}

/**
 * Whether a URL reaches this machine only (`localhost`, 127.0.0.0/8, ::1): where an emulator runs.
 * A clock offset is refused for any other accounts server or API domain, so against a real Zoho org
 * the provider's clock is always the real one.
 */
export function isLoopbackUrl(text: string): boolean {
  try {
    return isLoopback(new URL(text).hostname);
  } catch {
    return false;
  }
}
