/**
 * Data-centre mapping: the pure table, and the wiring of a client built for a DC — checked through
 * an undici MockAgent with network connections disabled, so nothing leaves the process.
 */
import assert from "node:assert/strict";
import { MockAgent } from "undici";
import {
  apiDomainFor,
  DATA_CENTRE_NAMES,
  DATA_CENTRES,
  parseDataCentre,
  resolveEndpoints,
  ZohoWatchClient,
  type DataCentre,
} from "../../provider/client";

const EXPECTED: Record<DataCentre, [api: string, accounts: string]> = {
  US: ["https://www.zohoapis.com", "https://accounts.zoho.com"],
  EU: ["https://www.zohoapis.eu", "https://accounts.zoho.eu"],
  IN: ["https://www.zohoapis.in", "https://accounts.zoho.in"],
  AU: ["https://www.zohoapis.com.au", "https://accounts.zoho.com.au"],
  JP: ["https://www.zohoapis.jp", "https://accounts.zoho.jp"],
  CA: ["https://www.zohoapis.ca", "https://accounts.zohocloud.ca"],
  SA: ["https://www.zohoapis.sa", "https://accounts.zoho.sa"],
  CN: ["https://www.zohoapis.com.cn", "https://accounts.zoho.com.cn"],
};

const CREDENTIALS = {
  clientId: "1000.CLIENTID",
  clientSecret: "dc-test-secret",
  refreshToken: "1000.dc.refresh",
};

describe("data centres", () => {
  it("maps each of the eight data centres to the API and accounts hosts of the reference", () => {
    assert.deepEqual([...DATA_CENTRE_NAMES].sort(), Object.keys(EXPECTED).sort());
    for (const name of DATA_CENTRE_NAMES) {
      const [api, accounts] = EXPECTED[name];
      assert.deepEqual(DATA_CENTRES[name], { apiDomain: api, accountsUrl: accounts }, name);
      assert.deepEqual(resolveEndpoints({ dataCentre: name }), {
        accountsUrl: accounts,
        apiDomain: api,
        apiDomainPinned: false,
      });
    }
  });

  it("uses sandbox. and developer. API hosts with the production accounts server, pinned against api_domain", () => {
    assert.equal(apiDomainFor("EU", "sandbox"), "https://sandbox.zohoapis.eu");
    assert.equal(apiDomainFor("CN", "developer"), "https://developer.zohoapis.com.cn");
    assert.deepEqual(resolveEndpoints({ dataCentre: "AU", environment: "sandbox" }), {
      accountsUrl: "https://accounts.zoho.com.au",
      apiDomain: "https://sandbox.zohoapis.com.au",
      apiDomainPinned: true,
    });
  });

  it("lets explicit accountsUrl and apiDomain override the data centre (emulators, proxies)", () => {
    assert.deepEqual(
      resolveEndpoints({
        dataCentre: "JP",
        accountsUrl: "http://127.0.0.1:9/",
        apiDomain: "http://127.0.0.1:8",
      }),
      { accountsUrl: "http://127.0.0.1:9", apiDomain: "http://127.0.0.1:8", apiDomainPinned: true },
    );
    // accountsUrl alone keeps api_domain from the token answer in charge.
    assert.equal(resolveEndpoints({ accountsUrl: "http://127.0.0.1:9" }).apiDomainPinned, false);
  });

  it("parses data-centre names from config case-insensitively and names the valid ones otherwise", () => {
    assert.equal(parseDataCentre(" eu "), "EU");
    assert.throws(() => parseDataCentre("XX"), /US, EU, IN, AU, JP, CA, SA, CN/);
    assert.throws(() => resolveEndpoints({ dataCentre: "xx" as DataCentre }), /unknown Zoho data centre/);
  });

  it("sends the token request to the DC's accounts server and API calls to the answered api_domain", async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock.get("https://accounts.zoho.eu").intercept({ path: "/oauth/v2/token", method: "POST" }).reply(200, {
      access_token: "1000.eu.access",
      expires_in: 3600,
      api_domain: "https://www.zohoapis.eu",
    });
    mock
      .get("https://www.zohoapis.eu")
      .intercept({ path: (p) => p.startsWith("/crm/v8/actions/watch?"), method: "GET" })
      .reply(204, "");
    const client = new ZohoWatchClient({ credentials: CREDENTIALS, dataCentre: "EU", dispatcher: mock });
    try {
      assert.deepEqual(await client.list(), []);
      mock.assertNoPendingInterceptors();
    } finally {
      await client.close();
      await mock.close();
    }
  });

  it("keeps a sandbox org on sandbox.zohoapis.* although the token answer names the production host", async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock.get("https://accounts.zoho.in").intercept({ path: "/oauth/v2/token", method: "POST" }).reply(200, {
      access_token: "1000.in.access",
      expires_in: 3600,
      api_domain: "https://www.zohoapis.in",
    });
    mock
      .get("https://sandbox.zohoapis.in")
      .intercept({ path: (p) => p.startsWith("/crm/v8/actions/watch?"), method: "GET" })
      .reply(204, "");
    const client = new ZohoWatchClient({
      credentials: CREDENTIALS,
      dataCentre: "IN",
      environment: "sandbox",
      dispatcher: mock,
    });
    try {
      assert.deepEqual(await client.list(), []);
      mock.assertNoPendingInterceptors();
    } finally {
      await client.close();
      await mock.close();
    }
  });
});
