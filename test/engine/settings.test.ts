import assert from "node:assert/strict";
import { clientOptions, readSettings, SettingsError } from "../../provider/engine/settings";

const credentials = { clientId: "1000.X", clientSecret: "s", refreshToken: "r" };
/** Reads `zoho-watch:<key>` from `config` (credentials included), with no environment. */
const fromConfig = (config: Record<string, string>) => {
  const all: Record<string, string> = { ...credentials, ...config };
  return readSettings({ get: (key) => all[key.replace(/^zoho-watch:/, "")] }, {});
};

describe("settings: zoho-watch:operationTimeout", () => {
  it("becomes the client's operation deadline, within which Retry-After is honoured", () => {
    assert.deepEqual(clientOptions(fromConfig({ operationTimeout: "PT5M" })).timeouts, {
      operationMs: 300_000,
    });
  });

  it("leaves the client's default when unset", () => {
    assert.equal(clientOptions(fromConfig({})).timeouts, undefined);
  });

  it("is read from ZOHO_OPERATION_TIMEOUT when the config key is unset", () => {
    const settings = readSettings(
      { get: (key) => (credentials as Record<string, string>)[key] },
      {
        ZOHO_OPERATION_TIMEOUT: "PT2M",
      },
    );
    assert.equal(settings.operationTimeoutMs, 120_000);
  });

  it("refuses what is not an ISO-8601 duration of at most an hour, naming the key", () => {
    for (const bad of ["5 minutes", "PT2H", "P1D"]) {
      assert.throws(
        () => fromConfig({ operationTimeout: bad }),
        (error: unknown) =>
          error instanceof SettingsError &&
          /zoho-watch:operationTimeout.*ISO-8601 duration of at most PT1H/.test(error.message),
        bad,
      );
    }
  });
});
