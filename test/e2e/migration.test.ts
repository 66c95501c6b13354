// Moving a stack between the two doors through the real Pulumi CLI (docs/migration.md): dynamic
// WatchChannels re-declared through the plugin's SDK with an alias to their old type, every one due
// for renewal at that moment and one moving onto an explicit provider as well, in one `pulumi up`;
// then the tools that read state on the moved stack; then the way back, renewals due again.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { PLUGIN_WATCH_CHANNEL_TYPE, WATCH_CHANNEL_TYPE } from "../../provider/channel/resource-type";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { PulumiStack, repoRoot, type PreviewStep, type StateResource } from "../../harness/pulumi-stack";
import { clockOffset, providerConfig, startTestEmulator } from "../../harness/emulator";
import { emulatorEnv, runCli } from "../cli/support";
import { stepsInOrder } from "../../harness/scenario";

const HOOK = "https://hooks.example.com/zoho";
const CHANNELS = {
  deals: { events: ["Deals.all"], notifyUrl: `${HOOK}/deals` },
  contacts: { events: ["Contacts.create"], notifyUrl: `${HOOK}/contacts`, channelId: "1105420521999070702" },
  leads: { events: ["Leads.all"], notifyUrl: `${HOOK}/leads` },
};
const NAMES = Object.keys(CHANNELS);
const TOKENS = { deals: "tok-deals-4e1", contacts: "tok-contacts-7a2", leads: "tok-leads-93c" };
/** The channel that moves onto the explicit provider `org` (same org) in the same up. */
const EXPLICIT = "leads";
/** The default provider the engine names after the plugin's version: `default_0_2_0`. */
const DEFAULT_PROVIDER = `default_${(JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version.replace(/\./g, "_")}`;

/** The plan in one line per step, for a failure's message. */
function plan(steps: PreviewStep[]): string {
  return steps.map((s) => `${s.op} ${s.urn.split("::").slice(-2).join("::")}`).join("\n");
}

/** The state export's parts this test reads beyond the harness's. */
interface Export {
  deployment: { resources?: (StateResource & { provider?: string })[]; pending_operations?: unknown[] };
}

describe("moving a stack between the dynamic WatchChannel and the plugin, through the real CLI", function () {
  stepsInOrder();
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  /** Channel id and expiry of each resource as the dynamic door left them. */
  let dynamicState: Map<string, { id: string; expiry: string }>;

  /** Replaces the stack's program with another program directory's (what a user's edit does). */
  async function switchProgram(program: string): Promise<void> {
    for (const file of ["Pulumi.yaml", "index.ts"]) {
      await copyFile(path.join(repoRoot, program, file), path.join(stack.workDir, file));
    }
  }

  /** Moves the emulator's clock and the provider's with it. */
  async function advanceClock(by: string): Promise<void> {
    await emulator.advanceClock(by);
    stack.setEnv({ [CLOCK_OFFSET_ENV]: await clockOffset(emulator) });
  }

  async function exported(): Promise<Export> {
    const state: Export = await stack.exportState();
    return state;
  }

  /** Every declared channel is live with its token, and no module of any was ever unsubscribed. */
  async function assertEveryChannelLiveWithoutGap(resources: StateResource[]): Promise<void> {
    assert.deepEqual(resources.map((r) => r.urn.split("::").at(-1)).sort(), [...NAMES].sort());
    const live = await emulator.channels();
    const timeline = await emulator.timeline();
    for (const resource of resources) {
      const name = resource.urn.split("::").at(-1) as keyof typeof TOKENS;
      const channel = live.find((c) => c.channelId === resource.id && c.live);
      assert.ok(channel, `${name} (${resource.id}) is live`);
      assert.equal(channel.token, TOKENS[name], `${name}'s token intact`);
      for (const [module, intervals] of Object.entries(timeline[resource.id!] ?? {})) {
        assert.deepEqual(
          intervals.map((i) => i.to),
          [null],
          `${name}/${module} was never unsubscribed: ${JSON.stringify(intervals)}`,
        );
      }
    }
  }

  before(async () => {
    emulator = await startTestEmulator();
    const { config, secrets } = providerConfig(emulator.url);
    stack = await PulumiStack.create({
      program: "test/programs/migration-dynamic",
      config: { ...config, channels: JSON.stringify(CHANNELS), explicit: EXPLICIT },
      secrets: { ...secrets, tokens: JSON.stringify(TOKENS) },
    });
    await stack.up(["--skip-preview"]);
    const dynamic = await stack.resourcesOfType(WATCH_CHANNEL_TYPE);
    dynamicState = new Map(
      dynamic.map((r) => [
        r.urn.split("::").at(-1)!,
        { id: r.id!, expiry: String(r.outputs?.channelExpiry) },
      ]),
    );
    assert.equal(dynamicState.size, NAMES.length);
  });
  after(async () => {
    await stack?.dispose();
    await emulator?.close();
  });

  it("moves every channel onto the plugin in one up, each renewed as an update, none replaced, none unsubscribed", async () => {
    await advanceClock("P5D"); // every channel inside its default renewal window (3.5 days of 7)
    await switchProgram("test/programs/migration-plugin");

    // What the engine plans: the explicit provider created, each channel an update of its expiry
    // under the new type and provider (the alias moves it; the plugin's DiffConfig sees no change
    // from the dynamic door's empty provider config), nothing replaced or deleted.
    const steps = await stack.previewSteps();
    const channelSteps = steps.filter((s) => s.urn.includes("::zoho-watch:index:WatchChannel::"));
    assert.deepEqual(
      channelSteps.map((s) => [s.urn.split("::").at(-1), s.op, s.diffReasons]).sort(),
      NAMES.map((name) => [name, "update", ["channelExpiry"]]).sort(),
      plan(steps),
    );
    assert.deepEqual(
      steps.filter((s) => !["same", "update"].includes(s.op)).map((s) => [s.op, s.urn.split("::").at(-2)]),
      [["create", "pulumi:providers:zoho-watch"]],
      "nothing but the explicit provider is created; nothing is replaced or deleted",
    );

    await stack.up();
    const state = await exported();
    const resources = state.deployment.resources ?? [];
    assert.deepEqual(
      resources.filter((r) => r.type.includes("pulumi-nodejs")).map((r) => r.urn),
      [],
      "no dynamic resource, nor the dynamic provider, is left",
    );
    assert.deepEqual(state.deployment.pending_operations ?? [], []);
    const channels = resources.filter((r) => r.type === PLUGIN_WATCH_CHANNEL_TYPE);
    for (const channel of channels) {
      const name = channel.urn.split("::").at(-1)!;
      assert.equal(channel.id, dynamicState.get(name)?.id, `${name} keeps its channel id`);
      assert.ok(
        Date.parse(String(channel.outputs?.channelExpiry)) > Date.parse(dynamicState.get(name)!.expiry),
        `${name} renewed`,
      );
      assert.equal(channel.outputs?.__provider, undefined, "the plugin's outputs only");
      const provider = channel.provider?.split("::")[3];
      assert.equal(provider, name === EXPLICIT ? "org" : DEFAULT_PROVIDER, `${name}'s provider`);
    }
    await assertEveryChannelLiveWithoutGap(channels);
    await stack.preview(["--expect-no-changes"]);
  });

  it("zoho-watch status lists the plugin's channels as the stack's, healthy", async () => {
    const result = await runCli(
      ["status", "--state", "-", "--json"],
      emulatorEnv(emulator, { [CLOCK_OFFSET_ENV]: await clockOffset(emulator) }),
      await stack.exportText(),
    );
    assert.equal(result.code, 0, result.output);
    const report = JSON.parse(result.stdout) as {
      channels: { managed: boolean; resource: { urn: string } | null }[];
    };
    assert.deepEqual(
      report.channels.map((c) => [c.managed, c.resource?.urn.split("::").slice(-2).join("::")]).sort(),
      NAMES.map((name) => [true, `${PLUGIN_WATCH_CHANNEL_TYPE}::${name}`]).sort(),
    );
  });

  it("the policy pack refuses a plugin channel with a plain-http notify URL", async () => {
    const plainHttp = {
      ...CHANNELS,
      deals: { ...CHANNELS.deals, notifyUrl: "http://hooks.example.com/zoho/deals", allowPlainHttp: true },
    };
    await stack.setConfig("channels", JSON.stringify(plainHttp));
    const result = await stack.preview(["--policy-pack", path.join(repoRoot, "policy")], {
      allowFailure: true,
    });
    await stack.setConfig("channels", JSON.stringify(CHANNELS));
    assert.notEqual(result.code, 0, result.output);
    assert.match(
      result.output,
      /\[mandatory\] \[severity: high\]\s+notify-url-https\s+\(zoho-watch:index:WatchChannel: deals\)/,
    );
  });

  it("moves back onto the dynamic door in one up, renewals due again: updated in place, none unsubscribed", async () => {
    await advanceClock("P5D");
    await switchProgram("test/programs/migration-back");
    // A renewal is a replacement in the dynamic door, and a replacement's delete runs in the old
    // provider: the plugin, which never sees this program's declarations and would disable the
    // channel. State without the dynamic door's `__provider` is renewed with an update instead.
    const steps = await stack.previewSteps();
    const channelSteps = steps.filter((s) => s.urn.includes(`::${WATCH_CHANNEL_TYPE}::`));
    assert.deepEqual(
      channelSteps.map((s) => [s.urn.split("::").at(-1), s.op]).sort(),
      NAMES.map((name) => [name, "update"]).sort(),
      plan(steps),
    );
    await stack.up();
    const state = await exported();
    const resources = state.deployment.resources ?? [];
    assert.deepEqual(
      resources.filter((r) => r.type.startsWith("zoho-watch:")).map((r) => r.urn),
      [],
      "no plugin resource is left",
    );
    assert.deepEqual(state.deployment.pending_operations ?? [], []);
    const channels = resources.filter((r) => r.type === WATCH_CHANNEL_TYPE);
    for (const channel of channels) {
      assert.equal(channel.id, dynamicState.get(channel.urn.split("::").at(-1)!)?.id);
      assert.equal(typeof channel.outputs?.__provider, "string", "the dynamic door's state again");
    }
    await assertEveryChannelLiveWithoutGap(channels);
    await stack.preview(["--expect-no-changes"]);
  });
});
