import assert from "node:assert/strict";
import { FormData } from "undici";
import { DEMO_CREDENTIALS, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { ZohoClient, codeOf } from "./helpers";

const INVALID_TOKEN = { code: "INVALID_TOKEN", details: {}, message: "invalid oauth token", status: "error" };

describe("emulator: OAuth token endpoint and API authentication", () => {
  let emulator: RunningEmulator;
  let zoho: ZohoClient;

  async function start(options: EmulatorOptions = {}): Promise<void> {
    emulator = await startEmulator(options);
    zoho = new ZohoClient(emulator);
  }

  afterEach(async () => {
    await emulator.close();
  });

  const form = {
    grant_type: "refresh_token",
    client_id: DEMO_CREDENTIALS.clientId,
    client_secret: DEMO_CREDENTIALS.clientSecret,
    refresh_token: DEMO_CREDENTIALS.refreshToken,
  };

  function assertGranted(body: Record<string, unknown>): void {
    assert.match(String(body.access_token), /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
    assert.equal(body.expires_in, 3600);
    assert.equal(body.api_domain, emulator.url);
    assert.equal(body.token_type, "Bearer");
    assert.equal(body.scope, "ZohoCRM.notifications.ALL ZohoCRM.org.READ");
  }

  it("grants a token for parameters in the query string, with the documented demo credentials", async () => {
    await start();
    assert.deepEqual(emulator.credentials, {
      clientId: "1000.EMULATOR0CLIENT0ID",
      clientSecret: "emulator-client-secret",
      refreshToken: "1000.emulator-refresh-token",
    });
    const reply = await zoho.requestToken();
    assert.equal(reply.status, 200);
    assertGranted(reply.body);
  });

  it("grants a token for an urlencoded body", async () => {
    await start();
    const reply = await zoho.send<Record<string, unknown>>("POST", "/oauth/v2/token", {
      auth: false,
      body: new URLSearchParams(form).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assertGranted(reply.body);
  });

  it("grants a token for a multipart/form-data body (what Zoho's Node SDK sends)", async () => {
    await start();
    const body = new FormData();
    for (const [key, value] of Object.entries(form)) body.append(key, value);
    const reply = await zoho.send<Record<string, unknown>>("POST", "/oauth/v2/token", { auth: false, body });
    assertGranted(reply.body);
  });

  it("answers HTTP 200 invalid_client for a wrong client id or secret", async () => {
    await start();
    const wrongClients: Array<Record<string, string>> = [
      { client_id: "1000.OTHER" },
      { client_secret: "wrong" },
    ];
    for (const overrides of wrongClients) {
      const reply = await zoho.requestToken(overrides);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { error: "invalid_client" });
    }
  });

  it("answers HTTP 200 invalid_code for a wrong or revoked refresh token", async () => {
    await start();
    const wrong = await zoho.requestToken({ refresh_token: "1000.nope" });
    assert.equal(wrong.status, 200);
    assert.deepEqual(wrong.body, { error: "invalid_code" });
    const token = await zoho.token();
    await emulator.revokeRefreshToken();
    assert.deepEqual((await zoho.requestToken()).body, { error: "invalid_code" });
    assert.equal((await zoho.list("v8")).status, 401, "its access tokens die with it");
    assert.ok(token);
  });

  it("accepts custom credentials and refuses the demo ones then", async () => {
    await start({ credentials: { clientId: "1000.MINE", clientSecret: "s3cret", refreshToken: "1000.r" } });
    assert.deepEqual((await zoho.requestToken(form)).body, { error: "invalid_client" });
    assert.equal(typeof (await zoho.requestToken()).body.access_token, "string");
  });

  it("answers 401 INVALID_TOKEN without a valid Zoho-oauthtoken header", async () => {
    await start();
    const token = await zoho.token();
    const attempts = [
      await zoho.watch("GET", "v8", { auth: false }),
      await zoho.watch("GET", "v8", { auth: "1000.unknown.token" }),
      await zoho.send("GET", "/crm/v8/actions/watch", {
        auth: false,
        headers: { authorization: `Bearer ${token}` },
      }),
    ];
    for (const reply of attempts) {
      assert.equal(reply.status, 401);
      assert.deepEqual(reply.body, INVALID_TOKEN);
    }
    assert.equal((await zoho.list("v8")).status, 204, "the valid token works");
  });

  it("expires access tokens on the emulator clock, and on demand", async () => {
    await start();
    await zoho.token();
    await emulator.advanceClock("PT59M");
    assert.equal((await zoho.list("v8")).status, 204);
    await emulator.advanceClock("PT2M");
    const expired = await zoho.list("v8");
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, INVALID_TOKEN);

    zoho.forgetToken();
    assert.equal((await zoho.list("v8")).status, 204, "a fresh token works");
    await emulator.expireAccessTokens();
    assert.equal((await zoho.list("v8")).status, 401);
  });

  it("honours accessTokenTtlSeconds", async () => {
    await start({ accessTokenTtlSeconds: 60 });
    assert.equal((await zoho.requestToken()).body.expires_in, 60);
    await zoho.token();
    await emulator.advanceClock("PT61S");
    assert.equal((await zoho.list("v8")).status, 401);
  });

  it("throttles more than 10 token requests in 10 minutes with HTTP 400 Access Denied", async () => {
    await start();
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      assert.equal((await zoho.requestToken()).status, 200, `request ${attempt}`);
    }
    const throttled = await zoho.requestToken();
    assert.equal(throttled.status, 400);
    assert.deepEqual(throttled.body, {
      error: "Access Denied",
      error_description: "You have made too many requests continuously. Please try again after some time.",
    });
    await emulator.advanceClock("PT10M");
    assert.equal((await zoho.requestToken()).status, 200, "the window rolled on");
  });

  it("applies a custom tokenRateLimit, or none when it is false", async () => {
    await start({ tokenRateLimit: { max: 2, windowSeconds: 60 } });
    await zoho.requestToken();
    await zoho.requestToken();
    assert.equal((await zoho.requestToken()).status, 400);
    await emulator.close();

    await start({ tokenRateLimit: false });
    for (let attempt = 0; attempt < 12; attempt += 1) assert.equal((await zoho.requestToken()).status, 200);
  });

  it("keeps at most 10 live access tokens: the 11th evicts the oldest", async () => {
    await start({ tokenRateLimit: false });
    const tokens: string[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1)
      tokens.push(String((await zoho.requestToken()).body.access_token));
    assert.equal((await zoho.watch("GET", "v8", { auth: tokens[0] })).status, 401, "oldest evicted");
    assert.equal((await zoho.watch("GET", "v8", { auth: tokens[1] })).status, 204);
    assert.equal((await zoho.watch("GET", "v8", { auth: tokens[10] })).status, 204);
  });

  it("answers 401 OAUTH_SCOPE_MISMATCH when the granted scopes do not cover the operation", async () => {
    await start({ scopes: ["ZohoCRM.notifications.READ"] });
    assert.equal((await zoho.list("v8")).status, 204);
    const write = await zoho.enable("v8", {
      channel_id: "1",
      events: ["Leads.create"],
      notify_url: "http://127.0.0.1/",
    });
    assert.equal(write.status, 401);
    assert.equal(codeOf(write.body), "OAUTH_SCOPE_MISMATCH");
  });

  it("answers unsupported_grant_type for other grants", async () => {
    await start();
    assert.deepEqual((await zoho.requestToken({ grant_type: "authorization_code" })).body, {
      error: "unsupported_grant_type",
    });
  });
});
