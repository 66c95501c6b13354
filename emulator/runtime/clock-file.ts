import { chmodSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * The `clockFile` option (`--clock-file`): a small JSON file the emulator rewrites whenever its clock
 * offset changes (start, `setClock`, `advanceClock`, `reset`), so that a process on the same machine
 * learns the emulator's time without any network call. The provider and `zoho-watch status` read it
 * when `zoho-watch:clockOffset` (or `ZOHO_WATCH_CLOCK_OFFSET`) is `file:PATH`; nobody copies an
 * offset by hand.
 *
 * The contract (documented in emulator/README.md, "Clock file"):
 *
 *     {"format": "zoho-crm-emulator/clock-v1", "offsetMs": 172800000, "now": "2026-12-08T10:00:00.000Z"}
 *
 * `offsetMs` is what counts: emulator time = the machine's real time + `offsetMs`. `now` is the
 * emulator's time when the file was written, for people reading it. It holds no secret.
 */
export const CLOCK_FILE_FORMAT = "zoho-crm-emulator/clock-v1";

/** Writes the clock file atomically (a reader sees the old file or the new one, never half of one). */
export function writeClockFile(file: string, offsetMs: number, nowIso: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ format: CLOCK_FILE_FORMAT, offsetMs, now: nowIso })}\n`, {
    mode: 0o644,
  });
  chmodSync(temporary, 0o644);
  renameSync(temporary, file);
}
