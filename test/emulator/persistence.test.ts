import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../emulator";
import { ZohoClient, emulatorNow, item } from "./helpers";

describe("emulator: state file (restart)", () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "zoho-emulator-"));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it("restores channels, clock offset, timeline, deliveries and tokens after a restart", async () => {
    const stateFile = join(directory, "nested", "state.json");
    const first = await startEmulator({ stateFile, tokenRateLimit: false });
    const zoho = new ZohoClient(first);
    const token = await zoho.token();
    await zoho.enable(
      "v8",
      item("1105420521999070702", { token: "kept", notify_url: "https://hooks.example.com/x" }),
    );
    await first.simulateRecordChange({ module: "Leads", operation: "create", ids: ["1"] });
    await first.advanceClock("PT30M");
    await zoho.enable("v8", item("7", { events: ["Deals.all"] }));
    const channelsBefore = await first.channels();
    const timelineBefore = await first.timeline();
    await first.close();
    assert.deepEqual(readdirSync(join(directory, "nested")), ["state.json"], "no temporary file left behind");

    const second = await startEmulator({ stateFile, tokenRateLimit: false });
    try {
      assert.ok((await emulatorNow(second)) - Date.now() > 29 * 60_000, "clock offset restored");
      assert.deepEqual(await second.channels(), channelsBefore);
      assert.deepEqual(await second.timeline(), timelineBefore);
      assert.equal((await second.deliveries()).length, 1);
      const again = new ZohoClient(second);
      const listed = await again.watch("GET", "v8", { auth: token });
      assert.equal(listed.status, 200, "the access token survived too");
      assert.match(listed.text, /"channel_id":"7"/);
      assert.match(listed.text, /"channel_id":"1105420521999070702"/);
    } finally {
      await second.close();
    }
  });

  it("writes the state file with mode 0600 (it holds tokens), even over a wider file", async () => {
    const stateFile = join(directory, "state.json");
    const modeOf = (file: string) => statSync(file).mode & 0o777;
    const first = await startEmulator({ stateFile, tokenRateLimit: false });
    try {
      await new ZohoClient(first).enable("v8", item("1", { token: "secret" }));
      assert.equal(modeOf(stateFile).toString(8), "600");
    } finally {
      await first.close();
    }

    chmodSync(stateFile, 0o644);
    // A temporary file a crash left behind, world-readable: the next write must not inherit its mode.
    writeFileSync(`${stateFile}.${process.pid}.tmp`, "{}", { mode: 0o644 });
    const second = await startEmulator({ stateFile, tokenRateLimit: false });
    try {
      await new ZohoClient(second).enable("v8", item("2", { token: "secret" }));
      assert.equal(modeOf(stateFile).toString(8), "600");
    } finally {
      await second.close();
    }
  });

  it("refuses to start on a state file that is not an emulator state", async () => {
    const stateFile = join(directory, "state.json");
    writeFileSync(stateFile, '{"hello":"world"}');
    await assert.rejects(startEmulator({ stateFile }), /not an emulator state/);
    writeFileSync(stateFile, "{");
    await assert.rejects(startEmulator({ stateFile }), /not JSON/);
  });
});
