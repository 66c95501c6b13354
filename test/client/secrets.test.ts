/**
 * No error this client raises may carry a secret: the client secret, the refresh token, an access
 * token, a channel token, or credentials in a notify URL. Each path that builds an error is driven
 * for real, and every secret string is looked for in String(err), err.stack, JSON.stringify(err)
 * and util.inspect(err) (which also prints `cause`).
 */
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Agent, type Dispatcher } from "undici";
import {
  ZohoError,
  ZohoWatchClient,
  type EnableItem,
  type ZohoWatchClientOptions,
} from "../../provider/client";
import { FAST_RETRY, TEST_TIMEOUTS, useEmulator } from "./support";

const CREDENTIALS = {
  clientId: "1000.CLIENTIDVISIBLE",
  clientSecret: "client-secret-MUST-NOT-LEAK-7f3a",
  refreshToken: "1000.refresh-token-MUST-NOT-LEAK.9c1e",
};
const CHANNEL_TOKEN = "channel-token-MUST-NOT-LEAK";
const URL_USER = "hookuser";
const URL_PASSWORD = "hook-password-MUST-NOT-LEAK";
const URL_QUERY_SECRET = "query-secret-MUST-NOT-LEAK";
const NOTIFY_URL = `http://${URL_USER}:${URL_PASSWORD}@127.0.0.1:9/hook?auth=${URL_QUERY_SECRET}`;
const WRONG_SECRET = "wrong-secret-MUST-NOT-LEAK-0000";
const WRONG_REFRESH = "1000.wrong-refresh-MUST-NOT-LEAK.0000";

/** Access tokens seen on the wire, captured by a dispatcher wrapper around a real Agent. */
function recordingAgent(seen: Set<string>, replaceToken?: string): Dispatcher {
  return new Agent().compose((dispatch) => (options, handler) => {
    const headers = (options.headers ?? {}) as Record<string, string>;
    const auth = headers["authorization"];
    if (auth) {
      seen.add(auth.replace(/^Zoho-oauthtoken\s+/, ""));
      if (replaceToken) {
        seen.add(replaceToken);
        return dispatch(
          { ...options, headers: { ...headers, authorization: `Zoho-oauthtoken ${replaceToken}` } },
          handler,
        );
      }
    }
    return dispatch(options, handler);
  });
}

function assertNoSecrets(error: unknown, extra: Iterable<string> = []): void {
  assert.ok(error instanceof ZohoError, `expected a ZohoError, got ${String(error)}`);
  const views = [String(error), error.stack ?? "", JSON.stringify(error), inspect(error, { depth: 10 })];
  const secrets = [
    CREDENTIALS.clientSecret,
    CREDENTIALS.refreshToken,
    CHANNEL_TOKEN,
    URL_PASSWORD,
    URL_QUERY_SECRET,
    WRONG_SECRET,
    WRONG_REFRESH,
    ...extra,
  ];
  for (const view of views) {
    for (const secret of secrets) {
      assert.ok(!view.includes(secret), `a secret leaked into ${error.code}: ${view.slice(0, 500)}`);
    }
  }
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => assert.fail(`expected a failure, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

const ITEM: EnableItem = {
  channelId: "42",
  events: ["Leads.create"],
  notifyUrl: NOTIFY_URL,
  token: CHANNEL_TOKEN,
};

describe("secrets never appear in errors", function () {
  const emulator = useEmulator({ credentials: CREDENTIALS });
  const clients: ZohoWatchClient[] = [];
  const make = (overrides: Partial<ZohoWatchClientOptions> = {}): ZohoWatchClient => {
    const client = new ZohoWatchClient({
      credentials: CREDENTIALS,
      accountsUrl: emulator().url,
      retry: FAST_RETRY,
      timeouts: TEST_TIMEOUTS,
      ...overrides,
    });
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it("client-side validation errors", async () => {
    const error = await failure(
      make().enable({ ...ITEM, token: `${CHANNEL_TOKEN}${"x".repeat(40)}`, events: ["x"] }),
    );
    assertNoSecrets(error);
    const badUrl = await failure(make().enable({ ...ITEM, notifyUrl: `${NOTIFY_URL}${"y".repeat(300)}` }));
    assertNoSecrets(badUrl);
  });

  it("entry errors from Zoho for items carrying a token and a notify URL with credentials", async () => {
    const seen = new Set<string>();
    const client = make({ dispatcher: recordingAgent(seen) });
    const outcomes = await client.enable([ITEM, { ...ITEM, channelId: "43", events: ["Dealz.create"] }]);
    const failed = outcomes.find((o) => !o.ok);
    assert.ok(failed && !failed.ok);
    assertNoSecrets(failed.error, seen);
    assert.ok(seen.size > 0);
  });

  it("wrong client secret and wrong refresh token", async () => {
    assertNoSecrets(
      await failure(make({ credentials: { ...CREDENTIALS, clientSecret: WRONG_SECRET } }).list()),
    );
    assertNoSecrets(
      await failure(make({ credentials: { ...CREDENTIALS, refreshToken: WRONG_REFRESH } }).list()),
    );
  });

  it("an access token Zoho refuses even after a refresh", async () => {
    const seen = new Set<string>();
    const forged = "1000.forgedaccesstoken00000000000000.forgedaccesstoken0000000000000";
    const error = await failure(make({ dispatcher: recordingAgent(seen, forged) }).enable(ITEM));
    assert.ok(error instanceof ZohoError && error.code === "ZOHO_AUTH");
    assertNoSecrets(error, seen);
  });

  it("network give-up, 429 give-up and timeouts while sending a channel token", async () => {
    const seen = new Set<string>();
    const client = make({ dispatcher: recordingAgent(seen), retry: { ...FAST_RETRY, maxAttempts: 2 } });
    await client.list();
    await emulator().injectFault({ match: { operation: "enable" }, kind: "drop-connection", times: 2 });
    assertNoSecrets(await failure(client.enable(ITEM)), seen);
    await emulator().injectFault({ match: { operation: "enable" }, kind: "status", status: 429, times: 2 });
    assertNoSecrets(await failure(client.enable(ITEM)), seen);
    const slow = make({
      dispatcher: recordingAgent(seen),
      timeouts: { ...TEST_TIMEOUTS, headersMs: 300 },
      retry: { maxAttempts: 1 },
    });
    await emulator().injectFault({ match: { operation: "enable" }, kind: "latency", ms: 1_500, times: 1 });
    assertNoSecrets(await failure(slow.enable(ITEM)), seen);
  });

  describe("when token requests are throttled", function () {
    const throttled = useEmulator({
      credentials: CREDENTIALS,
      tokenRateLimit: { max: 1, windowSeconds: 600 },
    });

    it("the throttle error", async () => {
      const first = new ZohoWatchClient({
        credentials: CREDENTIALS,
        accountsUrl: throttled().url,
        retry: FAST_RETRY,
      });
      const second = new ZohoWatchClient({
        credentials: CREDENTIALS,
        accountsUrl: throttled().url,
        retry: FAST_RETRY,
      });
      clients.push(first, second);
      await first.list();
      assertNoSecrets(await failure(second.enable(ITEM)));
    });
  });
});
