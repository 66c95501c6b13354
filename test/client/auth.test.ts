/**
 * Access tokens: fetched lazily, once, shared by concurrent calls, renewed when Zoho refuses them,
 * and OAuth errors (which Zoho sends with HTTP 200) turned into errors naming the credential.
 */
import assert from "node:assert/strict";
import { ZohoAuthError, ZohoRateLimitError } from "../../provider/client";
import { clientFor, DEMO_CREDENTIALS, useEmulator } from "./support";

describe("OAuth tokens against the emulator", function () {
  const emulator = useEmulator();

  it("makes no token request when the client is constructed (a preview without API calls stays offline)", async () => {
    clientFor(emulator());
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal((await emulator().stats()).token, 0);
  });

  it("shares one token among many concurrent calls (exactly one token request)", async () => {
    const client = clientFor(emulator(), { concurrency: 5 });
    const results = await Promise.all(Array.from({ length: 25 }, () => client.list()));
    assert.equal(results.length, 25);
    const stats = await emulator().stats();
    assert.equal(stats.token, 1);
    assert.equal(stats.list, 25);
    // Later calls reuse it too.
    await client.list();
    assert.equal((await emulator().stats()).token, 1);
    assert.equal(client.tokenRequests, 1);
  });

  it("refreshes once and retries once when Zoho answers INVALID_TOKEN for an expired token", async () => {
    const client = clientFor(emulator());
    await client.list();
    await emulator().expireAccessTokens();
    await emulator().resetStats();
    // Concurrent calls that all meet the refused token still cause one refresh.
    await Promise.all([client.list(), client.list(), client.list()]);
    const stats = await emulator().stats();
    assert.equal(stats.token, 1, "one refresh");
    assert.equal(stats.list, 6, "each call: one refused attempt and one retry");
  });

  it("recovers when the emulator's clock passes the token's lifetime", async () => {
    const client = clientFor(emulator());
    await client.list();
    await emulator().advanceClock("PT61M");
    await client.list();
    assert.equal((await emulator().stats()).token, 2);
  });

  it("names the client id and secret when Zoho answers invalid_client (with HTTP 200)", async () => {
    const client = clientFor(emulator(), {
      credentials: { ...DEMO_CREDENTIALS, clientSecret: "wrong-secret-0001" },
    });
    const error = await client.list().then(
      () => assert.fail("expected an auth error"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ZohoAuthError);
    assert.equal(error.credential, "client");
    assert.equal(error.zohoCode, "invalid_client");
    assert.equal(error.status, 200);
    assert.match(error.message, /client id and client secret/);
    assert.doesNotMatch(error.message, /refresh token/);
    // The refusal is remembered: no second token request burns Zoho's quota.
    await assert.rejects(client.list(), ZohoAuthError);
    assert.equal((await emulator().stats()).token, 1);
  });

  it("names the refresh token when Zoho answers invalid_code (with HTTP 200)", async () => {
    const client = clientFor(emulator(), {
      credentials: { ...DEMO_CREDENTIALS, refreshToken: "1000.revoked.refresh" },
    });
    await assert.rejects(
      client.enable({ channelId: "1", events: ["Leads.all"], notifyUrl: "http://127.0.0.1:9/" }),
      (error: unknown) => {
        assert.ok(error instanceof ZohoAuthError);
        assert.equal(error.credential, "refreshToken");
        assert.equal(error.zohoCode, "invalid_code");
        assert.match(error.message, /check the refresh token/);
        return true;
      },
    );
    assert.equal((await emulator().stats()).enable, 0, "nothing is sent without a token");
  });

  it("surfaces a refused refresh token after revocation with the refresh-token message", async () => {
    const client = clientFor(emulator());
    await client.list();
    await emulator().revokeRefreshToken();
    await assert.rejects(
      client.list(),
      (error: unknown) => error instanceof ZohoAuthError && error.credential === "refreshToken",
    );
  });

  describe("with short-lived access tokens", function () {
    const shortLived = useEmulator({ accessTokenTtlSeconds: 1 });

    it("renews a token shortly before it expires, without waiting for Zoho to refuse it", async () => {
      const client = clientFor(shortLived());
      await client.list();
      await client.list();
      assert.equal((await shortLived().stats()).token, 1, "reused while fresh");
      // The margin is capped at half the lifetime: past 0.5 s of a 1 s token, renew first.
      await new Promise((resolve) => setTimeout(resolve, 600));
      await client.list();
      const stats = await shortLived().stats();
      assert.equal(stats.token, 2);
      assert.equal(stats.list, 3, "no call met a refused token");
    });
  });

  describe("when the token lacks the write scope", function () {
    const readOnly = useEmulator({ scopes: ["ZohoCRM.notifications.READ"] });

    it("fails with ZOHO_AUTH naming the scope, without a pointless refresh", async () => {
      const client = clientFor(readOnly());
      await assert.rejects(
        client.enable({ channelId: "1", events: ["Leads.all"], notifyUrl: "http://127.0.0.1:9/" }),
        (error: unknown) => {
          assert.ok(error instanceof ZohoAuthError);
          assert.equal(error.credential, "scope");
          assert.equal(error.zohoCode, "OAUTH_SCOPE_MISMATCH");
          assert.match(error.message, /ZohoCRM\.notifications\.ALL/);
          return true;
        },
      );
      assert.equal((await readOnly().stats()).token, 1);
    });
  });

  describe("when the accounts server throttles token requests", function () {
    const throttled = useEmulator({ tokenRateLimit: { max: 1, windowSeconds: 600 } });

    it("fails with ZOHO_RATE_LIMITED telling to wait, without retrying the token request", async () => {
      await clientFor(throttled()).list();
      const second = clientFor(throttled());
      await assert.rejects(second.list(), (error: unknown) => {
        assert.ok(error instanceof ZohoRateLimitError);
        assert.equal(error.operation, "token");
        assert.equal(error.status, 400);
        assert.match(error.message, /Wait a few minutes/);
        return true;
      });
      // Within the cooldown the client does not ask again.
      await assert.rejects(second.list(), ZohoRateLimitError);
      assert.equal((await throttled().stats()).token, 2);
    });
  });
});
