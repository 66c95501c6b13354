// `zoho-watch status --state` and `adopt --state` with a real stack: `pulumi up` through the real
// CLI against the emulator, then `pulumi stack export` (secrets encrypted, and --show-secrets) fed to
// the bin, before and after the live channels drift the ways that lose notifications.
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { PulumiStack } from "../../harness/pulumi-stack";
import { clockOffset, providerConfig, startTestEmulator } from "../../harness/emulator";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { StatusReportSchema, type StatusReport } from "../../cli/report";
import { ZohoWatchClient } from "../../provider/client";
import { emulatorEnv, leakedSecrets, runCli, watchApi } from "./support";
import { stepsInOrder } from "../../harness/scenario";

const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
const TOKENS = { alpha: "tok-state-alpha-61f0", beta: "tok-state-beta-2b9c", gamma: "tok-state-gamma-d4e8" };
const URL_KEY = "k-state-77a1c9";
const FOREIGN = { id: "9000000000000000001", token: "tok-foreign-0c3d" };
const SECRETS = [...Object.values(TOKENS), URL_KEY, FOREIGN.token, DEMO_CREDENTIALS.clientSecret];

describe("zoho-watch with a stack's state (real Pulumi CLI, emulator)", function () {
  stepsInOrder();
  this.timeout(240_000);
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  let ids: Record<string, string>;
  let exported: string;
  let exportedPlain: string;

  const status = async (state: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) => {
    const result = await runCli(
      ["status", "--json", "--state", "-", ...args],
      emulatorEnv(emulator, env),
      state,
    );
    assert.deepEqual(leakedSecrets(result.output, SECRETS), [], "no secret in the output");
    return { result, report: StatusReportSchema.parse(JSON.parse(result.stdout)) };
  };
  const findings = (report: StatusReport) =>
    Object.fromEntries(
      report.channels.map((c) => [
        c.resource?.name ?? c.channelId,
        c.findings.map((f) => `${f.severity}:${f.code}${f.fields ? `(${f.fields.join(",")})` : ""}`),
      ]),
    );

  before(async () => {
    emulator = await startTestEmulator();
    const { config, secrets } = providerConfig(emulator.url);
    stack = await PulumiStack.create({
      program: "test/programs/channels",
      config,
      secrets: { ...secrets, tokens: JSON.stringify(TOKENS) },
    });
    // alpha, beta, gamma carry tokens; delta is declared without one (a null token is what it wants).
    const channels = {
      alpha: { events: ["Deals.all"], notifyUrl: "http://127.0.0.1:9/alpha" },
      beta: { events: ["Leads.create"], notifyUrl: "http://127.0.0.1:9/beta" },
      gamma: { events: ["Contacts.edit"], notifyUrl: `http://127.0.0.1:9/gamma?key=${URL_KEY}` },
      delta: { events: ["Calls.create"], notifyUrl: "http://127.0.0.1:9/delta" },
    };
    await stack.setConfig("channels", JSON.stringify(channels), { secret: true });
    await stack.up();
    ids = Object.fromEntries(
      (await stack.resourcesOfType(TYPE)).map((r) => [r.urn.slice(r.urn.lastIndexOf("::") + 2), r.id!]),
    );
    assert.equal(Object.keys(ids).length, 4);
    exported = await stack.exportText();
    exportedPlain = (await stack.cli(["stack", "export", "--show-secrets", "--stack", stack.name])).stdout;
    // A channel another tool made: live, not in the state.
    const client = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });
    const now = DateTime.fromISO(await emulator.now());
    const [foreign] = await client.enable({
      channelId: FOREIGN.id,
      events: ["Tasks.create"],
      notifyUrl: "https://other-team.example.com/hook",
      token: FOREIGN.token,
      channelExpiry: now.plus({ hours: 3 }),
    });
    assert.ok(foreign?.ok);
    await client.close();
  });
  after(async () => {
    await stack?.dispose();
    await emulator?.close();
  });

  it("the stack's export holds the tokens and the keyed URL encrypted (what the CLI must cope with)", () => {
    assert.deepEqual(leakedSecrets(exported, [...Object.values(TOKENS), URL_KEY]), []);
    assert.ok(exported.includes('"ciphertext"'));
    assert.ok(exportedPlain.includes(TOKENS.alpha), "--show-secrets decrypts them");
  });

  it("a freshly updated stack is healthy; the foreign channel is listed as unmanaged without failing the check", async () => {
    for (const state of [exported, exportedPlain]) {
      const { result, report } = await status(state);
      assert.equal(result.code, 0, result.output);
      assert.equal(report.withState, true);
      assert.deepEqual(findings(report), {
        alpha: [],
        beta: [],
        gamma: [],
        delta: [],
        // Lapsing in 3 hours, but not this stack's to renew: a note, not a risk.
        [FOREIGN.id]: ["note:unmanaged", "note:lapsing"],
      });
      const managed = report.channels.filter((c) => c.managed).map((c) => c.channelId);
      assert.deepEqual(managed.sort(), Object.values(ids).sort());
      const gamma = report.channels.find((c) => c.resource?.name === "gamma");
      assert.equal(gamma?.notifyHost, "127.0.0.1:9");
      assert.equal(report.channels.find((c) => c.resource?.name === "delta")?.tokenSet, false);
    }
    const text = await runCli(["status", "--state", "-"], emulatorEnv(emulator), exported);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /managed {4}yes: alpha/);
    assert.match(text.stdout, new RegExp(`- unmanaged: not managed by this stack; \`zoho-watch adopt\``));
  });

  it("adopt --state prints a declaration for the foreign channel only", async () => {
    const result = await runCli(["adopt", "--state", "-"], emulatorEnv(emulator), exported);
    assert.equal(result.code, 0, result.output);
    assert.match(result.stdout, new RegExp(`new WatchChannel\\("channel-${FOREIGN.id}"`));
    assert.match(result.stdout, /notifyUrl: "https:\/\/other-team\.example\.com\/hook",/);
    assert.match(result.stdout, new RegExp(`token: config\\.requireSecret\\("token-${FOREIGN.id}"\\)`));
    assert.match(result.stdout, /adopt: true,/);
    for (const id of Object.values(ids))
      assert.ok(!result.stdout.includes(id), `managed ${id} is not offered`);
    assert.deepEqual(leakedSecrets(result.output, SECRETS), []);
  });

  it("names every drift that loses notifications: null token, changed URL and token, changed events, a disabled channel", async () => {
    // alpha: a renewal script's bare PATCH clears its token.
    await watchApi(emulator, "PATCH", { watch: [{ channel_id: ids.alpha, events: ["Deals.all"] }] });
    // beta: someone re-points it with another token; their PUT names no expiry, which Zoho silently
    // turns into one hour.
    await watchApi(emulator, "PUT", {
      watch: [
        {
          channel_id: ids.beta,
          events: ["Leads.create"],
          notify_url: "http://127.0.0.1:8/elsewhere",
          token: "tok-changed-9e",
        },
      ],
    });
    // gamma: disabled out of band.
    await watchApi(emulator, "DELETE", undefined, `?channel_ids=${ids.gamma}`);
    // delta: its events changed (no token, as declared).
    await watchApi(emulator, "PATCH", {
      watch: [{ channel_id: ids.delta, events: ["Calls.create", "Calls.edit"] }],
    });

    const encrypted = await status(exported);
    assert.equal(encrypted.result.code, 1);
    assert.deepEqual(findings(encrypted.report), {
      alpha: ["risk:null-token"],
      // The export keeps the token encrypted: only the URL can be compared.
      beta: ["risk:lapsing", "risk:differs(notifyUrl)"],
      delta: ["risk:differs(events)"],
      [FOREIGN.id]: ["note:unmanaged", "note:lapsing"],
      gamma: ["risk:missing"],
    });
    assert.equal(encrypted.report.risks.length, 5);
    assert.equal(encrypted.report.channels.find((c) => c.resource?.name === "gamma")?.live, false);

    // Decrypted, the token can be compared too (and still is never printed).
    const decrypted = await status(exportedPlain);
    assert.equal(decrypted.result.code, 1);
    assert.deepEqual(findings(decrypted.report).beta, ["risk:lapsing", "risk:differs(notifyUrl,token)"]);

    const text = await runCli(["status", "--state", "-"], emulatorEnv(emulator), exported);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /AT RISK \(5\):/);
    assert.match(
      text.stdout,
      new RegExp(`${ids.gamma} \\(gamma\\): missing: the stack manages it but Zoho does not list it`),
    );
    assert.match(text.stdout, new RegExp(`${ids.alpha} \\(alpha\\): null-token:`));
    assert.deepEqual(leakedSecrets(text.output, [...SECRETS, "tok-changed-9e", "/elsewhere"]), []);
  });

  it("four days on, inside their renewal window, the managed channels still live carry the note that the next `pulumi up` renews them", async () => {
    await emulator.advanceClock("P4D");
    // Judged at the emulator's time, as the provider would judge it (ZOHO_WATCH_CLOCK_OFFSET).
    const { report } = await status(exported, [], { [CLOCK_OFFSET_ENV]: await clockOffset(emulator) });
    const managedLive = report.channels.filter((c) => c.live && c.managed);
    assert.ok(managedLive.length > 0, "some managed channel is still live");
    for (const channel of managedLive) {
      const note = channel.findings.find((f) => f.code === "renewal-due");
      assert.equal(note?.severity, "note", `${channel.resource?.name}: ${JSON.stringify(channel.findings)}`);
      assert.match(note.message, /the next `pulumi up` renews it: .*inside the renewal window of P3DT11H55M/);
    }
    // Never for a channel the stack does not manage (listed while it lives).
    const foreign = report.channels.find((c) => c.channelId === FOREIGN.id);
    assert.ok(!foreign?.findings.some((f) => f.code === "renewal-due"), JSON.stringify(foreign?.findings));
  });

  it("after a week without `pulumi up`, every managed channel is reported missing (lapsed)", async () => {
    await emulator.advanceClock("P4D");
    const { result, report } = await status(exported);
    assert.equal(result.code, 1);
    assert.equal(report.channels.filter((c) => c.live).length, 0);
    assert.deepEqual(report.channels.map((c) => [c.resource?.name, c.findings.map((f) => f.code)]).sort(), [
      ["alpha", ["missing"]],
      ["beta", ["missing"]],
      ["delta", ["missing"]],
      ["gamma", ["missing"]],
    ]);
  });
});
