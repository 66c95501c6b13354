// The zoho-watch policy pack through the real Pulumi CLI: `pulumi preview --policy-pack policy`
// against a program of WatchChannels. Each CLI run is a few seconds, so one preview declares a
// channel violating each rule, one a channel passing each rule (at the rule's boundary where there
// is one), and one runs with the config's defaults; every `it` then reads its rule's part.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { deriveChannelId } from "../../provider/channel/channel-id";
import { PulumiStack, repoRoot, type RunResult } from "../../harness/pulumi-stack";
import { providerConfig, startTestEmulator } from "../../harness/emulator";

const PACK = path.join(repoRoot, "policy");
const PROGRAM = "test/programs/policy-channels";
const TOKEN = "tok-policy-test";

/** The policy config of the violating and passing runs: a 6-hour schedule and both allow-lists. */
const CONFIG = {
  "renewal-outlasts-schedule": { scheduleInterval: "PT6H" },
  "allowed-modules": { allowedModules: ["Deals", "Contacts"] },
  "allowed-notify-hosts": {
    allowedNotifyHosts: ["hooks.example.com", "*.internal.example.com", "localhost", "127.0.0.1", "::1"],
  },
};

type Channels = Record<string, Record<string, unknown>>;

/** A channel every rule accepts under {@link CONFIG}; cases override one thing. */
const base = { events: ["Deals.all"], notifyUrl: "https://hooks.example.com/zoho", token: TOKEN };

/** One reported violation, as the CLI prints it under "Policies:". */
interface Violation {
  level: string;
  policy: string;
  resource: string;
  message: string;
}

/**
 * The violations in the CLI's output. Each is printed as
 *   `- [mandatory] [severity: high]  policy-name  (type: resource-name)`
 * followed by indented lines: the policy's description, then the message.
 */
function parseViolations(output: string): Violation[] {
  const violations: Violation[] = [];
  let current: Violation | undefined;
  for (const line of output.split("\n")) {
    const head = /^\s+- \[(\w+)\](?: \[severity: \w+\])?\s+(\S+)\s+\((\S+): (.+)\)\s*$/.exec(line);
    if (head) {
      current = { level: head[1]!, policy: head[2]!, resource: head[4]!, message: "" };
      violations.push(current);
    } else if (current && /^\s{10,}\S/.test(line)) {
      current.message += `${line.trim()}\n`;
    } else {
      current = undefined;
    }
  }
  return violations;
}

describe("policy pack through the real Pulumi CLI", function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let stack: PulumiStack;

  /** Declares the channels, then previews with the pack and (if given) a policy config file. */
  async function preview(
    channels: Channels,
    policyConfig?: object,
  ): Promise<RunResult & { violations: Violation[] }> {
    // Secret: the channels carry verification tokens.
    await stack.setConfig("channels", JSON.stringify(channels), { secret: true });
    const args = ["--policy-pack", PACK];
    if (policyConfig) {
      const file = path.join(stack.workDir, "policy-config.json");
      await writeFile(file, JSON.stringify(policyConfig));
      args.push("--policy-pack-config", file);
    }
    const result = await stack.preview(args, { allowFailure: true });
    return { ...result, violations: parseViolations(result.output) };
  }

  before(async () => {
    emulator = await startTestEmulator();
    const { config, secrets } = providerConfig(emulator.url);
    stack = await PulumiStack.create({ program: PROGRAM, config, secrets });
  });
  after(async () => {
    await stack?.dispose();
    await emulator?.close();
  });

  describe("a stack breaking each rule once", () => {
    let run: RunResult & { violations: Violation[] };

    function reported(policy: string): Violation[] {
      return run.violations.filter((v) => v.policy === policy);
    }

    before(async () => {
      run = await preview(
        {
          // allowPlainHttp lets it past the provider's check; the policy refuses it whatever the resource says.
          "plain-http": {
            ...base,
            notifyUrl: "http://hooks.example.com/zoho?key=query-secret-1",
            allowPlainHttp: true,
          },
          "no-token": { events: base.events, notifyUrl: base.notifyUrl },
          "window-equal": { ...base, renewBefore: "PT6H" },
          "default-window": { ...base, expiresIn: "PT10H" },
          "short-life": { ...base, expiresIn: "PT6H", renewBefore: "PT1H" },
          leads: { ...base, events: ["Deals.all", "Leads.create", "Tasks.all"] },
          "other-host": { ...base, notifyUrl: "https://hooks.example.net/zoho?key=query-secret-2" },
          "wildcard-apex": { ...base, notifyUrl: "https://internal.example.com/zoho" },
          "protected-by-parent": { ...base, inherits: "protect" },
          "delete-first-by-transform": { ...base, inherits: "deleteBeforeReplace" },
        },
        CONFIG,
      );
    });

    it("fails the preview, naming each policy and resource", () => {
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /zoho-watch@v0\.1\.0/);
      assert.ok(run.violations.length > 0, run.output);
      assert.ok(run.violations.every((v) => v.level === "mandatory"));
    });

    it("notify-url-https: flags plain http to a non-loopback host, without printing the query string", () => {
      const [violation, ...more] = reported("notify-url-https");
      assert.equal(violation?.resource, "plain-http", run.output);
      assert.deepEqual(more, []);
      assert.match(violation.message, /plain http to hooks\.example\.com/);
      assert.match(violation.message, /https:\/\/hooks\.example\.com\/zoho/);
      assert.doesNotMatch(run.output, /query-secret/);
    });

    it("verification-token-required: flags a channel without a token", () => {
      assert.deepEqual(
        reported("verification-token-required").map((v) => v.resource),
        ["no-token"],
        run.output,
      );
      assert.match(reported("verification-token-required")[0]!.message, /Set `token`/);
    });

    it("renewal-outlasts-schedule: flags a window equal to the schedule, a short default window, a short life", () => {
      const violations = reported("renewal-outlasts-schedule");
      const message = (name: string) => violations.find((v) => v.resource === name)?.message ?? "";
      assert.deepEqual(
        violations.map((v) => v.resource).sort(),
        ["default-window", "short-life", "window-equal"],
        run.output,
      );
      assert.match(message("window-equal"), /renewBefore PT6H is not longer than the PT6H between scheduled/);
      assert.match(
        message("default-window"),
        /renewBefore PT5H \(half of expiresIn PT10H: the default when renewBefore is not set\)/,
      );
      assert.match(
        message("short-life"),
        /expiresIn PT6H is not longer than the PT6H .* whatever renewBefore is/,
      );
    });

    it("allowed-modules: flags events on modules outside allowedModules", () => {
      const [violation, ...more] = reported("allowed-modules");
      assert.equal(violation?.resource, "leads", run.output);
      assert.deepEqual(more, []);
      assert.match(violation.message, /events\[1\] "Leads\.create", events\[2\] "Tasks\.all"/);
      assert.match(violation.message, /\(Deals, Contacts\)/);
    });

    it("allowed-notify-hosts: flags hosts outside allowedNotifyHosts (a wildcard does not cover its apex)", () => {
      const violations = reported("allowed-notify-hosts");
      assert.deepEqual(violations.map((v) => v.resource).sort(), ["other-host", "wildcard-apex"], run.output);
      assert.match(
        violations.find((v) => v.resource === "other-host")!.message,
        /points to hooks\.example\.net/,
      );
    });

    it("channel-not-protected: flags a channel protected through its parent", () => {
      const [violation, ...more] = reported("channel-not-protected");
      assert.equal(violation?.resource, "protected-by-parent", run.output);
      assert.deepEqual(more, []);
      assert.match(violation.message, /use retainOnDelete: true instead/);
    });

    it("channel-replaced-after-create: flags deleteBeforeReplace set by a transformation", () => {
      const [violation, ...more] = reported("channel-replaced-after-create");
      assert.equal(violation?.resource, "delete-first-by-transform", run.output);
      assert.deepEqual(more, []);
      assert.match(violation.message, /disable the channel before subscribing it again/);
    });

    it("reports nothing beyond the cases above", () => {
      assert.equal(run.violations.length, 10, run.output);
    });
  });

  describe("two channels sharing an id", () => {
    it("are refused by WatchChannel itself, naming both, before the policy pack needs to flag them", async () => {
      // The id the program derives for "derived" (no channelId): a second channel declares it.
      const derivedId = deriveChannelId({
        organization: "organization", // the file backend's organization
        project: "policy-channels",
        stack: stack.name,
        name: "derived",
      });
      const run = await preview({ derived: base, clash: { ...base, channelId: derivedId } }, CONFIG);
      assert.notEqual(run.code, 0, run.output);
      assert.match(
        run.output,
        new RegExp(`WatchChannel "clash" and WatchChannel "derived" both declare channel ${derivedId}`),
      );
    });
  });

  describe("a stack keeping every rule", () => {
    let run: RunResult & { violations: Violation[] };
    const channels: Channels = {
      https: { ...base, notifyUrl: "https://hooks.example.com/zoho?key=k" },
      "loopback-name": { ...base, notifyUrl: "http://localhost:8080/zoho" },
      "loopback-v4": { ...base, notifyUrl: "http://127.0.0.1:9000/zoho" },
      "loopback-v6": { ...base, notifyUrl: "http://[::1]:9000/zoho" },
      subdomain: { ...base, notifyUrl: "https://a.b.internal.example.com/zoho" },
      "explicit-id": { ...base, channelId: "1000000000000001" },
      "window-longer": { ...base, expiresIn: "P1D", renewBefore: "PT6H1M" },
      "default-window": { ...base, expiresIn: "PT14H" },
      modules: { ...base, events: ["Deals.all", "Contacts.create"] },
      // Its URL and token pass through another channel's output: unknown until that one exists.
      // Known, this URL would break notify-url-https and allowed-notify-hosts.
      gated: { ...base, notifyUrl: "http://evil.example.net/zoho", after: "https" },
    };

    before(async () => {
      run = await preview(channels, CONFIG);
    });

    /** The pack ran, and `policy` is nowhere in its report. */
    function assertPassed(policy: string): void {
      assert.match(run.output, /zoho-watch@v0\.1\.0 \(local: /, run.output);
      assert.ok(!run.output.includes(policy), run.output);
    }

    it("passes the preview with no violation for any channel", () => {
      assert.equal(run.code, 0, run.output);
      assert.deepEqual(run.violations, [], run.output);
      for (const name of Object.keys(channels)) {
        assert.match(run.output, new RegExp(`WatchChannel ${name} create`), `${name} was previewed`);
      }
    });

    it("notify-url-https: accepts https, and plain http to localhost, 127.0.0.1 and [::1]", () => {
      assertPassed("notify-url-https");
    });

    it("verification-token-required: accepts channels with a token", () => {
      assertPassed("verification-token-required");
    });

    it("unique-channel-ids: accepts distinct explicit and derived ids", () => {
      assertPassed("unique-channel-ids");
    });

    it("renewal-outlasts-schedule: accepts a window just over the schedule, and a long enough default", () => {
      assertPassed("renewal-outlasts-schedule");
    });

    it("allowed-modules: accepts events on listed modules", () => {
      assertPassed("allowed-modules");
    });

    it("allowed-notify-hosts: accepts listed hosts, loopback addresses and wildcard subdomains", () => {
      assertPassed("allowed-notify-hosts");
    });

    it("channel-not-protected and channel-replaced-after-create: accept channels with neither option", () => {
      assertPassed("channel-not-protected");
      assertPassed("channel-replaced-after-create");
    });

    it("skips values the preview cannot know yet, without an advisory in their place", () => {
      assertPassed("can't run policy");
    });
  });

  describe("the policy config", () => {
    it("defaults to a daily schedule and no allow-lists, and honours an advisory enforcement level", async () => {
      const run = await preview(
        {
          "one-day": { ...base, renewBefore: "P1D" },
          "day-and-hour": { ...base, renewBefore: "PT25H" },
          anywhere: {
            ...base,
            events: ["Leads.create", "Tasks.all"],
            notifyUrl: "https://anywhere.example.org/z",
          },
        },
        { "renewal-outlasts-schedule": "advisory" },
      );
      assert.equal(run.code, 0, run.output);
      assert.deepEqual(
        run.violations.map(({ level, policy, resource }) => ({ level, policy, resource })),
        [{ level: "advisory", policy: "renewal-outlasts-schedule", resource: "one-day" }],
        run.output,
      );
      assert.match(run.violations[0]!.message, /not longer than the P1D between scheduled/);
    });

    it("rejects a scheduleInterval that is not an ISO-8601 duration before running the program", async () => {
      const run = await preview({ ok: base }, { "renewal-outlasts-schedule": { scheduleInterval: "daily" } });
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /renewal-outlasts-schedule: scheduleInterval/);
      assert.doesNotMatch(run.output, /WatchChannel ok create/);
    });
  });
});
