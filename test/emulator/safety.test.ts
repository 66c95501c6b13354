import assert from "node:assert/strict";
import { startEmulator, type EmulatorOptions } from "../../emulator";
import { Receiver, ZohoClient, item, useEmulator } from "./helpers";

/**
 * A documentation address (TEST-NET-1, RFC 5737): not loopback, and assigned to no machine, so
 * starting on it warns and then fails to listen; no test opens a port beyond loopback.
 */
const NON_LOOPBACK_HOST = "192.0.2.1";

/** Starts (and closes) an emulator, or returns the error when it cannot listen. */
async function startOrError(options: EmulatorOptions): Promise<Error | undefined> {
  try {
    await (await startEmulator(options)).close();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe("emulator: safety", () => {
  describe("notifications never reach an emulator's control API", () => {
    const ctx = useEmulator();

    it("records, never calls, a notify_url aimed at the emulator itself, whatever the loopback spelling", async () => {
      const port = new URL(ctx.emulator.url).port;
      const targets = [
        `http://127.0.0.1:${port}/__emulator/reset`,
        `http://localhost:${port}/__emulator/refresh-token/revoke`,
        `http://[::1]:${port}/__emulator/reset`,
        `http://LOCALHOST:${port}/__emulator/faults`,
        `http://127.0.0.1:${port}/crm/v8/actions/watch`,
      ];
      const enabled = await ctx.zoho.enable(
        "v8",
        ...targets.map((url, index) => item(String(index + 1), { notify_url: url })),
      );
      assert.equal(enabled.status, 201, "Zoho accepts such URLs; only delivery refuses them");

      const records = await ctx.emulator.simulateRecordChange({
        module: "Leads",
        operation: "create",
        ids: ["5725767000003000064"],
      });
      assert.deepEqual(
        records.map((record) => [record.url, record.status, record.delivered]),
        targets.map((url) => [url, "skipped: the emulator's own address", false]),
      );
      assert.equal((await ctx.emulator.channels()).length, targets.length, "no reset happened");
      ctx.zoho.forgetToken();
      const token = await ctx.zoho.requestToken();
      assert.equal(typeof token.body.access_token, "string", `the refresh token still works: ${token.text}`);
      assert.equal((await ctx.emulator.deliveries()).length, targets.length, "every refusal is recorded");
    });

    it("records, never calls, another emulator's control API, and still delivers to a receiver", async () => {
      const other = await startEmulator({ tokenRateLimit: false });
      const receiver = await new Receiver().start();
      try {
        const otherZoho = new ZohoClient(other);
        await otherZoho.enable("v8", item("9"));
        await ctx.zoho.enable(
          "v8",
          item("1", { notify_url: `${other.url}/__emulator/reset` }),
          item("2", { notify_url: `${other.url}/%5F%5Femulator/reset` }),
          item("3", { notify_url: `${receiver.url}/hook` }),
        );
        const records = await ctx.emulator.simulateRecordChange({
          module: "Leads",
          operation: "create",
          ids: ["1"],
        });
        assert.deepEqual(
          records.map((record) => [record.channelId, record.status]),
          [
            ["1", "skipped: an emulator control API path"],
            ["2", "skipped: an emulator control API path"],
            ["3", 200],
          ],
        );
        assert.equal((await other.channels()).length, 1, "the other emulator was not reset");
        assert.equal(receiver.requests.length, 1);
      } finally {
        await receiver.close();
        await other.close();
      }
    });
  });

  describe("listening beyond loopback", () => {
    it("warns through onWarning before listening on a non-loopback host", async () => {
      const warnings: string[] = [];
      await startOrError({ host: NON_LOOPBACK_HOST, onWarning: (message) => warnings.push(message) });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? "", /192\.0\.2\.1/);
      assert.match(warnings[0] ?? "", /control API .* no authentication/);
    });

    it("does not warn on loopback hosts", async () => {
      const warnings: string[] = [];
      for (const host of ["127.0.0.1", "localhost"]) {
        assert.equal(await startOrError({ host, onWarning: (message) => warnings.push(message) }), undefined);
      }
      assert.deepEqual(warnings, []);
    });

    it("emits a process warning with code ZOHO_EMULATOR_EXPOSED by default", async () => {
      const seen: Error[] = [];
      const listener = (warning: Error) => seen.push(warning);
      process.on("warning", listener);
      try {
        await startOrError({ host: NON_LOOPBACK_HOST });
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off("warning", listener);
      }
      const exposed = seen.filter(
        (warning) => (warning as { code?: string }).code === "ZOHO_EMULATOR_EXPOSED",
      );
      assert.equal(exposed.length, 1);
      assert.match(exposed[0]?.message ?? "", /192\.0\.2\.1/);
    });
  });
});
