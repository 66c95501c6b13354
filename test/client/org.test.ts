// ZohoWatchClient.org(): which org the credentials act in (GET /crm/{version}/org), read from
// Zoho's answer and never guessed: a refused scope or an unreadable answer is an error.
import assert from "node:assert/strict";
import { DEFAULT_ORG_ID } from "../../emulator";
import { ZohoAuthError, ZohoUnexpectedAnswerError } from "../../provider/client";
import { useScriptedZoho } from "./scripted-zoho";
import { DEMO_CREDENTIALS, clientAt, clientFor, useEmulator } from "./support";

describe("client: org()", () => {
  describe("against the emulator", () => {
    const emulator = useEmulator();

    it("answers the org id, zgid and company name of the credentials' org, in v2 as in v8", async () => {
      for (const apiVersion of ["v2", "v8"] as const) {
        const org = await clientFor(emulator(), { apiVersion }).org();
        assert.equal(org.id, DEFAULT_ORG_ID);
        assert.equal(typeof org.zgid, "string");
        assert.equal(org.companyName, "Emulated Org");
      }
      assert.equal((await emulator().stats()).org, 2);
    });
  });

  describe("without the org scope", () => {
    const emulator = useEmulator({ scopes: ["ZohoCRM.notifications.ALL"] });

    it("fails with ZOHO_AUTH naming the ZohoCRM.org.READ scope, without secrets", async () => {
      await assert.rejects(clientFor(emulator()).org(), (error: Error) => {
        assert.ok(error instanceof ZohoAuthError, String(error));
        assert.match(error.message, /OAUTH_SCOPE_MISMATCH/);
        assert.match(error.message, /ZohoCRM\.org\.READ/);
        assert.ok(!error.message.includes(DEMO_CREDENTIALS.refreshToken));
        return true;
      });
    });
  });

  describe("unreadable answers", () => {
    const zoho = useScriptedZoho();

    for (const [what, body] of [
      ["no org", { org: [] }],
      ["two orgs", { org: [{ id: "1" }, { id: "2" }] }],
      ["an org without id", { org: [{ company_name: "x" }] }],
      ["an empty body", undefined],
    ] as const) {
      it(`throws ZOHO_UNEXPECTED_ANSWER for ${what}`, async () => {
        zoho().answer(() => ({ status: 200, body }));
        await assert.rejects(clientAt(zoho().url).org(), ZohoUnexpectedAnswerError);
        assert.equal(zoho().requests[0]?.url.pathname, "/crm/v8/org");
      });
    }
  });
});
