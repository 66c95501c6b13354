// Several orgs in one emulator: each refresh token belongs to one org, a channel id names a channel
// only within its org, and GET /crm/{version}/org answers the org of the access token as Zoho does.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  API_VERSIONS,
  DEFAULT_ORG_ID,
  EmulatorControl,
  startEmulator,
  type OAuthCredentials,
  type RunningEmulator,
} from "../../emulator";
import { ZohoClient, codeOf, item, useEmulator } from "./helpers";

const ORG_B = "5550000000000000077";
const B_CREDENTIALS: OAuthCredentials = {
  clientId: "1000.SECOND0CLIENT0ID",
  clientSecret: "second-client-secret",
  refreshToken: "1000.second-refresh-token",
};

interface OrgBody {
  org: Array<Record<string, unknown>>;
}

const orgOf = async (zoho: ZohoClient, version = "v8") => zoho.send<OrgBody>("GET", `/crm/${version}/org`);

const listedIds = async (zoho: ZohoClient): Promise<string[]> =>
  (await zoho.list("v8")).body?.watch.map((row) => row.channel_id) ?? [];

describe("emulator: orgs", () => {
  describe("GET /crm/{version}/org", () => {
    const ctx = useEmulator({ tokenRateLimit: false, orgs: [{ id: ORG_B, credentials: B_CREDENTIALS }] });

    it("answers the default org for the default credentials, in Zoho's shape, in every version", async () => {
      for (const version of API_VERSIONS) {
        const reply = await orgOf(ctx.zoho, version);
        assert.equal(reply.status, 200, version);
        assert.equal(reply.body.org.length, 1);
        const [org] = reply.body.org;
        assert.equal(org?.id, DEFAULT_ORG_ID);
        assert.equal(typeof org?.zgid, "string");
        assert.equal(org?.company_name, "Emulated Org");
        assert.equal(typeof org?.time_zone, "string");
        assert.equal(typeof org?.license_details, "object");
      }
      assert.equal((await ctx.emulator.stats()).org, API_VERSIONS.length);
    });

    it("answers the org of the access token: another org's credentials, another org", async () => {
      const reply = await orgOf(new ZohoClient(ctx.emulator, B_CREDENTIALS));
      assert.equal(reply.body.org[0]?.id, ORG_B);
      assert.notEqual(reply.body.org[0]?.zgid, (await orgOf(ctx.zoho)).body.org[0]?.zgid);
      assert.deepEqual(
        (await ctx.emulator.orgs()).map((org) => [org.id, org.isDefault]),
        [
          [DEFAULT_ORG_ID, true],
          [ORG_B, false],
        ],
      );
    });

    it("refuses a missing token (401 INVALID_TOKEN), another method (400) and an unknown version (404)", async () => {
      const none = await ctx.zoho.send("GET", "/crm/v8/org", { auth: false });
      assert.equal(none.status, 401);
      assert.equal(codeOf(none.body), "INVALID_TOKEN");
      const post = await ctx.zoho.send("POST", "/crm/v8/org");
      assert.equal(post.status, 400);
      assert.equal(codeOf(post.body), "INVALID_REQUEST_METHOD");
      const unknown = await ctx.zoho.send("GET", "/crm/v9/org");
      assert.equal(unknown.status, 404);
    });
  });

  describe("scopes", () => {
    const ctx = useEmulator({ tokenRateLimit: false, scopes: ["ZohoCRM.notifications.ALL"] });

    it("needs ZohoCRM.org.READ (or ALL) for the org: without it, 401 OAUTH_SCOPE_MISMATCH", async () => {
      const reply = await orgOf(ctx.zoho);
      assert.equal(reply.status, 401);
      assert.equal(codeOf(reply.body), "OAUTH_SCOPE_MISMATCH");
      assert.equal((await ctx.zoho.list("v8")).status, 204, "the watch API still answers");
    });
  });

  describe("channels per org", () => {
    const ctx = useEmulator({ tokenRateLimit: false, orgs: [{ id: ORG_B, credentials: B_CREDENTIALS }] });

    it("keeps one channel id apart in two orgs: each org lists, changes and disables only its own", async () => {
      const b = new ZohoClient(ctx.emulator, B_CREDENTIALS);
      assert.equal(
        (await ctx.zoho.enable("v8", item("42", { notify_url: "http://127.0.0.1:9/a" }))).status,
        201,
      );
      assert.equal((await ctx.zoho.enable("v8", item("43"))).status, 201);
      assert.equal((await b.enable("v8", item("42", { notify_url: "http://127.0.0.1:9/b" }))).status, 201);
      assert.deepEqual(await listedIds(ctx.zoho), ["42", "43"]);
      assert.deepEqual(await listedIds(b), ["42"]);
      const notSubscribed = await b.disable("v8", "43");
      assert.equal(
        codeOf(notSubscribed.body.watch[0]),
        "NOT_SUBSCRIBED",
        "43 exists only in the default org",
      );

      assert.equal((await b.disable("v8", "42")).status, 200);
      assert.deepEqual(await listedIds(b), []);
      assert.deepEqual(await listedIds(ctx.zoho), ["42", "43"], "the default org's 42 is untouched");

      const a42 = (await ctx.emulator.channels()).find((c) => c.channelId === "42");
      assert.equal(a42?.notifyUrl, "http://127.0.0.1:9/a");
      assert.equal(a42?.live, true);
      assert.deepEqual(
        (await ctx.emulator.channels(ORG_B)).map((c) => c.channelId),
        [],
        "org B's 42 was disabled",
      );
      const timelineB = await ctx.emulator.timeline(ORG_B);
      assert.ok(timelineB["42"]?.Leads?.[0]?.to, "org B's interval ended");
      assert.equal((await ctx.emulator.timeline())["42"]?.Leads?.[0]?.to, null, "the default org's is open");
    });

    it("notifies only the channels of the org whose record changed", async () => {
      const b = new ZohoClient(ctx.emulator, B_CREDENTIALS);
      await ctx.zoho.enable("v8", item("1"));
      await b.enable("v8", item("2"));
      const inB = await ctx.emulator.simulateRecordChange({
        module: "Leads",
        operation: "create",
        ids: ["9"],
        org: ORG_B,
      });
      assert.deepEqual(
        inB.map((d) => d.channelId),
        ["2"],
      );
      const inDefault = await ctx.emulator.simulateRecordChange({
        module: "Leads",
        operation: "create",
        ids: ["9"],
      });
      assert.deepEqual(
        inDefault.map((d) => d.channelId),
        ["1"],
      );
    });

    it("revokes one org's refresh token without touching another's", async () => {
      const b = new ZohoClient(ctx.emulator, B_CREDENTIALS);
      await ctx.emulator.revokeRefreshToken(ORG_B);
      assert.equal((await b.requestToken()).body.error, "invalid_code");
      assert.equal(typeof (await ctx.zoho.requestToken()).body.access_token, "string");
    });

    it("tells a refresh token used with another org's client (invalid_code) from an unknown client (invalid_client)", async () => {
      const b = new ZohoClient(ctx.emulator, B_CREDENTIALS);
      assert.equal(
        (await b.requestToken({ refresh_token: "1000.emulator-refresh-token" })).body.error,
        "invalid_code",
      );
      assert.equal((await b.requestToken({ client_id: "1000.NOBODY" })).body.error, "invalid_client");
    });
  });

  describe("control API", () => {
    let emulator: RunningEmulator;
    let directory: string;
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), "zoho-emulator-orgs-"));
    });
    afterEach(async () => {
      await emulator?.close();
      rmSync(directory, { recursive: true, force: true });
    });

    it("adds an org over HTTP; its channels and the org itself survive a restart; reset removes it", async () => {
      const stateFile = join(directory, "state.json");
      emulator = await startEmulator({ stateFile, tokenRateLimit: false });
      const control = new EmulatorControl(emulator.url);
      const added = await control.addOrg({ companyName: "Second", credentials: B_CREDENTIALS });
      assert.notEqual(added.id, DEFAULT_ORG_ID);
      assert.equal(added.companyName, "Second");
      assert.ok(
        !JSON.stringify(await control.orgs()).includes(B_CREDENTIALS.clientSecret),
        "no secret shown",
      );
      const b = new ZohoClient(emulator, B_CREDENTIALS);
      assert.equal((await orgOf(b)).body.org[0]?.id, added.id);
      await b.enable("v8", item("7"));
      await assert.rejects(
        control.addOrg({ credentials: B_CREDENTIALS }),
        /refresh token already belongs to another org/,
      );
      await assert.rejects(control.channels("123"), /no org 123/);
      await emulator.close();

      emulator = await startEmulator({ stateFile, tokenRateLimit: false });
      assert.deepEqual(
        (await emulator.channels(added.id)).map((c) => c.channelId),
        ["7"],
      );
      assert.deepEqual(await emulator.channels(), []);
      const again = new ZohoClient(emulator, B_CREDENTIALS);
      assert.deepEqual(await listedIds(again), ["7"], "its credentials came back too");

      await emulator.reset();
      assert.deepEqual(
        (await emulator.orgs()).map((org) => org.id),
        [DEFAULT_ORG_ID],
      );
    });

    it("reads a one-org (v1) state file as the default org's", async () => {
      const stateFile = join(directory, "state.json");
      const channel = {
        channelId: "11",
        events: ["Leads.create"],
        notifyUrl: "http://127.0.0.1:9/x",
        token: null,
        expiresAt: Date.now() + 3_600_000,
        notifyOnRelatedAction: true,
        returnAffectedFieldValues: false,
        notificationCondition: null,
        createdAt: Date.now(),
        updatedAt: Date.now(),
      };
      writeFileSync(
        stateFile,
        JSON.stringify({
          format: "zoho-crm-emulator/state-v1",
          clockOffsetMs: 0,
          channels: [channel],
          timeline: {},
          deliveries: [],
          tokens: { accessTokens: [], refreshTokenRevoked: false, grantTimes: [] },
        }),
      );
      emulator = await startEmulator({ stateFile, tokenRateLimit: false });
      assert.deepEqual(
        (await emulator.channels()).map((c) => c.channelId),
        ["11"],
      );
    });
  });
});
