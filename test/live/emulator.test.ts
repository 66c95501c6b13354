// The live contract suite, pointed at the emulator as if it were a real org: the same steps, with the
// ZOHO_* variables naming an emulator on 127.0.0.1:0 that keeps Zoho's token throttle and concurrency
// limit. It runs in `npm test`, so the live suite keeps working between live runs, and it checks what
// a live run costs in API credits (the README quotes these bounds).
import assert from "node:assert/strict";
import { DEMO_CREDENTIALS, startEmulator, type RunningEmulator } from "../../emulator";
import { describeLiveContract, LIVE_RUN_MAX_TOKEN_REQUESTS, LIVE_RUN_MAX_WATCH_CALLS } from "./contract";

describe("live contract, pointed at the emulator", function () {
  let emulator: RunningEmulator;

  before(async () => {
    // Zoho's defaults: 10 token requests per 10 minutes, 5 requests in flight (Free edition).
    emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    await emulator?.close();
  });

  describeLiveContract("the lifecycle, step by step", () => ({
    // Every variable the provider reads, so nothing from the developer's shell leaks in.
    env: {
      ZOHO_ACCOUNTS_URL: emulator.url,
      ZOHO_API_DOMAIN: emulator.url,
      ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId,
      ZOHO_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret,
      ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken,
      ZOHO_DATA_CENTRE: "US",
      ZOHO_ENVIRONMENT: "production",
      ZOHO_API_VERSION: "v8",
      ZOHO_CONCURRENCY: "",
      ZOHO_WATCH_CLOCK_OFFSET: "",
    },
    // Not loopback: the emulator records deliveries to it and never sends them.
    notifyUrl: "https://hooks.example.com/zoho-watch-live-contract",
  }));

  describe("what a live run costs", () => {
    it(`at most ${LIVE_RUN_MAX_WATCH_CALLS} watch API calls (credits) and ${LIVE_RUN_MAX_TOKEN_REQUESTS} token requests, leaving no channel behind`, async () => {
      const stats = await emulator.stats();
      const watchCalls = stats.total - stats.token;
      assert.ok(watchCalls > 0, "the lifecycle ran first");
      assert.ok(
        watchCalls <= LIVE_RUN_MAX_WATCH_CALLS,
        `the run made ${watchCalls} watch calls: ${JSON.stringify(stats)}`,
      );
      assert.ok(stats.token <= LIVE_RUN_MAX_TOKEN_REQUESTS, `${stats.token} token requests`);
      assert.deepEqual(
        (await emulator.channels()).filter((c) => c.live),
        [],
      );
    });
  });
});
