// `zoho-watch status` without a state, run as a child process against the emulator: what it lists,
// when it fails (exit 1) and when it cannot check (exit 2), and that it never prints a secret.
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import type { RunningEmulator } from "../../emulator";
import { clockOffset, startTestEmulator } from "../../harness/emulator";
import { ZohoWatchClient, type EnableItem } from "../../provider/client";
import { StatusReportSchema } from "../../cli/report";
import { DEMO_CREDENTIALS } from "../../emulator";
import { emulatorEnv, leakedSecrets, runCli, watchApi } from "./support";

const TOKEN_A = "tok-status-a-5c1e9b";
const TOKEN_B = "tok-status-b-77d0aa";
const URL_KEY = "key-status-3f9e";

describe("zoho-watch status (no state) against the emulator", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let client: ZohoWatchClient;

  before(async () => {
    emulator = await startTestEmulator();
    client = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });
  });
  beforeEach(async () => {
    await emulator.reset();
  });
  after(async () => {
    await client?.close();
    await emulator?.close();
  });

  /** Channels expiring `lifetime` after the emulator's now. */
  async function enable(items: (Omit<EnableItem, "channelExpiry"> & { lifetime: object })[]): Promise<void> {
    const now = DateTime.fromISO(await emulator.now());
    const outcomes = await client.enable(
      items.map(({ lifetime, ...item }) => ({ ...item, channelExpiry: now.plus(lifetime) })),
    );
    for (const outcome of outcomes) assert.ok(outcome.ok, `enable ${outcome.channelId}`);
  }

  async function status(args: string[] = [], extra: NodeJS.ProcessEnv = {}) {
    return runCli(["status", ...args], emulatorEnv(emulator, extra));
  }

  async function statusJson(args: string[] = [], extra: NodeJS.ProcessEnv = {}) {
    const result = await status(["--json", ...args], extra);
    return { result, report: StatusReportSchema.parse(JSON.parse(result.stdout)) };
  }

  it("a healthy org: lists every channel's events, expiry, token state, host and condition, exit 0, one token request", async () => {
    await enable([
      {
        channelId: "1105420521999070702",
        events: ["Deals.all", "Contacts.create"],
        notifyUrl: `https://ops:pw-in-url@hooks.example.com/zoho?key=${URL_KEY}`,
        token: TOKEN_A,
        lifetime: { days: 6 },
      },
      {
        channelId: "200",
        events: ["Leads.create"],
        notifyUrl: "http://127.0.0.1:9/leads",
        token: TOKEN_B,
        notificationCondition: [
          {
            type: "field_selection",
            module: { apiName: "Leads" },
            fieldSelection: {
              groupOperator: "or",
              group: [{ field: { apiName: "Email" } }, { field: { apiName: "Phone" } }],
            },
          },
        ],
        lifetime: { days: 5 },
      },
    ]);
    await emulator.resetStats();

    const text = await status();
    assert.equal(text.code, 0, text.output);
    assert.match(text.stdout, /ok {7}channel 1105420521999070702\n/);
    assert.match(text.stdout, /events {5}Deals: edit, create, delete; Contacts: create/);
    // Zoho's org offset (the emulator's is +05:30) and UTC side by side, and the time left.
    assert.match(text.stdout, /expires {4}\S+\+05:30 \(\S+Z\), in 5d 23h 5\dm/);
    assert.match(text.stdout, /notify {5}hooks\.example\.com\n/);
    assert.match(text.stdout, /condition {2}Leads: Email or Phone/);
    assert.match(text.stdout, /token {6}set/);
    assert.match(text.stdout, /healthy: nothing at risk within PT24H/);
    assert.deepEqual(
      leakedSecrets(text.output, [TOKEN_A, TOKEN_B, URL_KEY, "pw-in-url", "/zoho", "/leads"]),
      [],
    );
    assert.equal((await emulator.stats()).token, 1, "one token request per invocation");

    const { result, report } = await statusJson();
    assert.equal(result.code, 0);
    assert.equal(report.healthy, true);
    assert.equal(report.withState, false);
    const [deals, leads] = report.channels;
    assert.equal(deals?.channelId, "1105420521999070702");
    assert.deepEqual(deals?.eventsByModule, { Deals: ["edit", "create", "delete"], Contacts: ["create"] });
    assert.equal(deals?.managed, null, "without a state nothing is known about management");
    assert.equal(deals?.tokenSet, true);
    assert.equal(deals?.notifyHost, "hooks.example.com");
    assert.ok(deals.timeLeft!.seconds > 5 * 86_400 && deals.timeLeft!.seconds <= 6 * 86_400);
    assert.equal(
      DateTime.fromISO(deals.expiry!.org).toMillis(),
      DateTime.fromISO(deals.expiry!.utc).toMillis(),
    );
    assert.equal(leads?.notifyHost, "127.0.0.1:9");
    assert.equal(
      (leads?.notificationCondition?.[0] as { module: { apiName: string } }).module.apiName,
      "Leads",
    );
    assert.deepEqual(leakedSecrets(result.output, [TOKEN_A, TOKEN_B, URL_KEY, "pw-in-url"]), []);
  });

  it("a channel lapsing within the window is at risk (exit 1, named); a narrower window lets it pass", async () => {
    await enable([
      {
        channelId: "300",
        events: ["Deals.create"],
        notifyUrl: "http://127.0.0.1:9/a",
        token: TOKEN_A,
        lifetime: { days: 6 },
      },
      {
        channelId: "301",
        events: ["Deals.edit"],
        notifyUrl: "http://127.0.0.1:9/b",
        token: TOKEN_B,
        lifetime: { hours: 2 },
      },
    ]);
    const text = await status();
    assert.equal(text.code, 1, text.output);
    assert.match(text.stdout, /AT RISK {2}channel 301\n/);
    assert.match(text.stdout, /ok {7}channel 300\n/);
    assert.match(
      text.stdout,
      /AT RISK \(1\):\n {2}301: lapsing: lapses in 1h 5\dm \(at \S+Z\), within the PT24H window/,
    );

    const { report } = await statusJson();
    assert.deepEqual(report.risks.length, 1);
    assert.deepEqual(
      report.channels.map((c) => [c.channelId, c.findings.map((f) => `${f.severity}:${f.code}`)]),
      [
        ["300", []],
        ["301", ["risk:lapsing"]],
      ],
    );

    assert.equal(
      (await status(["--warn-within", "PT1H"])).code,
      0,
      "2 hours left is outside a 1-hour window",
    );
    assert.equal((await status(["--warn-within", "P7D"])).code, 1, "a week's window catches both");
  });

  it("judges against the emulator's clock when it moves (ZOHO_WATCH_CLOCK_OFFSET, as the provider does)", async () => {
    await enable([
      {
        channelId: "400",
        events: ["Calls.all"],
        notifyUrl: "http://127.0.0.1:9/c",
        token: TOKEN_A,
        lifetime: { days: 6 },
      },
    ]);
    assert.equal((await status()).code, 0);
    await emulator.advanceClock("P5DT12H");
    const offset = { ZOHO_WATCH_CLOCK_OFFSET: await clockOffset(emulator) };
    const text = await status([], offset);
    assert.equal(text.code, 1, text.output);
    assert.match(text.stdout, /400: lapsing: lapses in 11h 5\dm/);
  });

  it("a channel whose token a PATCH without `token` cleared is at risk (the bare-PATCH trap)", async () => {
    await enable([
      {
        channelId: "500",
        events: ["Deals.create"],
        notifyUrl: "http://127.0.0.1:9/d",
        token: TOKEN_A,
        lifetime: { days: 6 },
      },
      {
        channelId: "501",
        events: ["Deals.edit"],
        notifyUrl: "http://127.0.0.1:9/e",
        token: TOKEN_B,
        lifetime: { days: 6 },
      },
    ]);
    // What a renewal script does when it forgets the token: Zoho (and the emulator) then store null.
    const patched = await watchApi(emulator, "PATCH", {
      watch: [{ channel_id: "500", events: ["Deals.create"] }],
    });
    assert.equal(patched.status, 200);

    const text = await status();
    assert.equal(text.code, 1, text.output);
    assert.match(text.stdout, /AT RISK {2}channel 500\n(.*\n)*? {2}token {6}null\n/);
    assert.match(text.stdout, /500: null-token: Zoho holds no token/);
    const { report } = await statusJson();
    assert.deepEqual(
      report.channels.map((c) => [c.channelId, c.tokenSet, c.findings.map((f) => f.code)]),
      [
        ["500", false, ["null-token"]],
        ["501", true, []],
      ],
    );
  });

  it("reads every page of the GET (more than 200 subscriptions)", async () => {
    const now = DateTime.fromISO(await emulator.now());
    const items = Array.from({ length: 210 }, (_, i) => ({
      channelId: String(7_000 + i),
      events: ["Leads.create"],
      notifyUrl: "http://127.0.0.1:9/many",
      token: TOKEN_A,
      channelExpiry: now.plus({ days: 6 }),
    }));
    for (let i = 0; i < items.length; i += 50) await client.enable(items.slice(i, i + 50));
    await emulator.resetStats();
    const { result, report } = await statusJson();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(report.channels.length, 210);
    const stats = await emulator.stats();
    assert.equal(stats.list, 2, "two pages of 200");
    assert.equal(stats.token, 1);
  });

  it("a refused credential exits 2, says which credential, and prints no secret", async () => {
    const wrong = "1000.wrong-refresh-token-4d7e";
    const result = await status([], { ZOHO_REFRESH_TOKEN: wrong });
    assert.equal(result.code, 2, result.output);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /refresh token/);
    const badSecret = await status([], { ZOHO_CLIENT_SECRET: "wrong-client-secret-91" });
    assert.equal(badSecret.code, 2);
    assert.match(badSecret.stderr, /client/);
    assert.deepEqual(
      leakedSecrets(result.output + badSecret.output, [
        wrong,
        "wrong-client-secret-91",
        DEMO_CREDENTIALS.clientSecret,
      ]),
      [],
    );
  });

  it("usage and settings errors exit 2 with what to do, before any request to Zoho", async () => {
    await emulator.resetStats();
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [
        ["status", "--warn-within", "3 days"],
        {},
        /--warn-within "3 days" is not an ISO-8601 duration: use e\.g\. PT24H/,
      ],
      [["status", "--bogus"], {}, /Unknown option '--bogus'/],
      [["stats"], {}, /unknown command "stats": use status or adopt/],
      [[], {}, /a command is needed: status or adopt/],
      [["adopt", "--json"], {}, /adopt takes only --state/],
      [
        ["status", "--state", "/nonexistent/state.json"],
        {},
        /cannot read --state \/nonexistent\/state\.json/,
      ],
      [
        ["status"],
        { ZOHO_REFRESH_TOKEN: "" },
        /missing Zoho credentials: refreshToken \(--refresh-token, ZOHO_REFRESH_TOKEN or zoho-watch:refreshToken\)/,
      ],
      [
        ["status"],
        { ZOHO_DATA_CENTRE: "MARS" },
        /--data-centre, ZOHO_DATA_CENTRE or zoho-watch:dataCentre is "MARS": use one of US, EU/,
      ],
      [["status", "--api-version", "v9"], {}, /is "v9": use one of v2/],
    ];
    for (const [args, env, message] of cases) {
      const result = await runCli(args, emulatorEnv(emulator, env));
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.output}`);
      assert.match(result.stderr, message, args.join(" "));
    }
    const notState = await runCli(["status", "--state", "-"], emulatorEnv(emulator), '{"version": 3}');
    assert.equal(notState.code, 2);
    assert.match(notState.stderr, /not a `pulumi stack export`/);
    assert.equal((await emulator.stats()).total, 0, "nothing was sent to Zoho");
  });

  it("flags override the ZOHO_* variables (the provider's settings, one flag each)", async () => {
    await enable([
      {
        channelId: "600",
        events: ["Deals.create"],
        notifyUrl: "http://127.0.0.1:9/f",
        token: TOKEN_A,
        lifetime: { days: 6 },
      },
    ]);
    const env = emulatorEnv(emulator, {
      ZOHO_API_DOMAIN: "http://127.0.0.1:9",
      ZOHO_ACCOUNTS_URL: "http://127.0.0.1:9",
    });
    const result = await runCli(
      ["status", "--accounts-url", emulator.url, "--api-domain", emulator.url, "--api-version", "v6"],
      env,
    );
    assert.equal(result.code, 0, result.output);
    assert.match(result.stdout, /channel 600/);
    const help = await runCli(["--help"], env);
    assert.equal(help.code, 0);
    for (const flag of [
      "--data-centre",
      "--environment",
      "--api-version",
      "--client-secret",
      "ZOHO_REFRESH_TOKEN",
    ]) {
      assert.ok(help.stdout.includes(flag), flag);
    }
  });
});
