// zoho-watch:clockOffset: a fixed offset or `file:PATH` (the emulator's --clock-file), and only ever
// against an emulator on this machine, so against a real Zoho org the provider's clock is the real one.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readSettings, SettingsError } from "../../provider/engine/settings";

const EMULATOR = { accountsUrl: "http://127.0.0.1:8765", apiDomain: "http://127.0.0.1:8765" };

function read(config: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  return readSettings({ get: (key) => config[key.replace(/^zoho-watch:/, "")] }, env);
}

function refused(config: Record<string, string>, message: RegExp): void {
  assert.throws(
    () => read(config),
    (error: unknown) => error instanceof SettingsError && message.test(error.message),
    JSON.stringify(config),
  );
}

describe("settings: zoho-watch:clockOffset", () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), "zoho-clock-offset-"));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("reads the offset the emulator's clock file holds (file:PATH), at every read", () => {
    const file = path.join(directory, "clock.json");
    const write = (offsetMs: number) =>
      writeFileSync(file, JSON.stringify({ format: "zoho-crm-emulator/clock-v1", offsetMs, now: "x" }));
    write(172_800_000);
    assert.equal(read({ ...EMULATOR, clockOffset: `file:${file}` }).clockOffsetMs, 172_800_000);
    write(561_600_000);
    assert.equal(read({ ...EMULATOR, clockOffset: `file:${file}` }).clockOffsetMs, 561_600_000);
    assert.equal(read(EMULATOR, { ZOHO_WATCH_CLOCK_OFFSET: `file:${file}` }).clockOffsetMs, 561_600_000);
  });

  it("still takes a fixed offset (ISO-8601 or milliseconds)", () => {
    assert.equal(read({ ...EMULATOR, clockOffset: "P1D" }).clockOffsetMs, 86_400_000);
    assert.equal(read({ ...EMULATOR, clockOffset: "-120000" }).clockOffsetMs, -120_000);
    assert.equal(read({}).clockOffsetMs, 0);
  });

  it("refuses a missing or foreign clock file, saying how to make one", () => {
    refused(
      { ...EMULATOR, clockOffset: `file:${path.join(directory, "absent.json")}` },
      /does not exist: start the emulator with `zoho-crm-emulator --clock-file/,
    );
    const foreign = path.join(directory, "foreign.json");
    writeFileSync(foreign, '{"offset": 5}');
    refused({ ...EMULATOR, clockOffset: `file:${foreign}` }, /is not an emulator clock file/);
  });

  it("is refused unless Zoho is reached on loopback: against a real org the clock stays real", () => {
    refused({ clockOffset: "P1D" }, /zoho-watch:clockOffset .*is for the emulator only/);
    refused(
      { accountsUrl: "https://accounts.zoho.eu", apiDomain: "https://www.zohoapis.eu", clockOffset: "P1D" },
      /is for the emulator only/,
    );
    refused(
      { accountsUrl: "http://127.0.0.1:8765", apiDomain: "https://www.zohoapis.com", clockOffset: "P1D" },
      /is for the emulator only/,
    );
    assert.equal(
      read({ accountsUrl: "http://localhost:8765", clockOffset: "PT1H" }).clockOffsetMs,
      3_600_000,
    );
  });
});
