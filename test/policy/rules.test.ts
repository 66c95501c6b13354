// The policy pack's rules as plain functions: the edge cases a CLI run per case would make slow
// (URL spellings, host patterns, default durations the provider's check normally fills in first).
// policy-pack.test.ts proves each rule through the real CLI.
import assert from "node:assert/strict";
import * as policy from "@pulumi/policy";
import {
  isDynamicWatchChannel,
  isWatchChannel,
  readChannel,
  UNKNOWN,
  type ChannelView,
} from "../../policy/channel";
import { channelNotProtected } from "../../policy/rules/renewal-safe-options";
import { PLUGIN_WATCH_CHANNEL_TYPE, WATCH_CHANNEL_TYPE } from "../../provider/channel/resource-type";
import { unlistedModuleViolation } from "../../policy/rules/allowed-modules";
import { unlistedHostViolation } from "../../policy/rules/allowed-notify-hosts";
import { plainHttpViolation } from "../../policy/rules/notify-url-https";
import {
  DEFAULT_SCHEDULE_INTERVAL,
  renewalViolation,
  scheduleInterval,
} from "../../policy/rules/renewal-outlasts-schedule";
import { channelIdClashes } from "../../policy/rules/unique-channel-ids";
import { missingTokenViolation } from "../../policy/rules/verification-token";
import { hostMatches, isLoopback } from "../../policy/urls";
import { UNKNOWN as UNKNOWN_INPUT } from "../../provider/channel/inputs";

const host = (url: string) => new URL(url).hostname;

/** The proxy the policy server wraps properties in (exported, but typed @internal: see policy/channel.ts). */
const { unknownCheckingProxy } = policy as unknown as {
  unknownCheckingProxy: <T extends object>(props: T) => T;
};

describe("policy rules", () => {
  // WatchChannel refuses two resources with one id in a program before the pack runs (so the CLI
  // test cannot reach this rule); the rule stays for what the class cannot see, e.g. two copies of
  // the package in one program.
  it("unique-channel-ids: pairs every channel with the others sharing its known id", () => {
    const channel = (name: string, channelId: unknown, type = WATCH_CHANNEL_TYPE) =>
      ({ name, urn: `urn:${name}`, type, props: { channelId } }) as never;
    const clashes = channelIdClashes([
      channel("a", "1000000000000001"),
      // The plugin's type counts too: a stack half moved between doors holds both.
      channel("b", "1000000000000001", PLUGIN_WATCH_CHANNEL_TYPE),
      channel("c", "1000000000000002"),
      channel("d", undefined),
      channel("e", "1000000000000002", "test:index:Other"),
    ]);
    assert.deepEqual(
      clashes.map(({ channelId, resource, others }) => [
        channelId,
        (resource as { name: string }).name,
        others.length,
      ]),
      [
        ["1000000000000001", "a", 1],
        ["1000000000000001", "b", 1],
      ],
    );
  });

  it("knows both doors' types; protect is refused only where a renewal is a replacement (the dynamic door)", () => {
    assert.ok(isWatchChannel(WATCH_CHANNEL_TYPE) && isWatchChannel(PLUGIN_WATCH_CHANNEL_TYPE));
    assert.ok(!isWatchChannel("test:index:Other"));
    assert.ok(isDynamicWatchChannel(WATCH_CHANNEL_TYPE) && !isDynamicWatchChannel(PLUGIN_WATCH_CHANNEL_TYPE));
    const violations = (type: string) => {
      const reported: string[] = [];
      const validate = channelNotProtected.validateResource as (
        args: unknown,
        report: (m: string) => void,
      ) => void;
      validate({ type, opts: { protect: true }, props: {} }, (message) => reported.push(message));
      return reported.length;
    };
    assert.equal(violations(WATCH_CHANNEL_TYPE), 1);
    assert.equal(violations(PLUGIN_WATCH_CHANNEL_TYPE), 0, "the plugin renews with an update: protect works");
  });

  it("reads unknown properties and list elements as UNKNOWN instead of throwing", () => {
    const props = unknownCheckingProxy({
      channelId: "1000000000000001",
      events: ["Deals.all", UNKNOWN_INPUT],
      notifyUrl: UNKNOWN_INPUT,
      token: null,
    });
    const channel = readChannel(props);
    assert.equal(channel.channelId, "1000000000000001");
    assert.deepEqual(channel.events, ["Deals.all", UNKNOWN]);
    assert.equal(channel.notifyUrl, UNKNOWN);
    assert.equal(channel.token, undefined);
    assert.equal(channel.renewBefore, undefined);
  });

  it("treats only this machine as loopback, whatever the spelling", () => {
    for (const url of [
      "http://localhost/",
      "http://LOCALHOST./",
      "http://hooks.localhost:8080/",
      "http://127.0.0.1/",
      "http://127.8.9.10/",
      "http://2130706433/",
      "http://[::1]/",
      "http://[0:0:0:0:0:0:0:1]/",
      "http://[::ffff:127.0.0.1]/",
    ]) {
      assert.ok(isLoopback(host(url)), url);
    }
    for (const url of [
      "http://128.0.0.1/",
      "http://0.0.0.0/",
      "http://localhost.example.com/",
      "http://[::2]/",
      "http://[::ffff:10.0.0.1]/",
      "http://10.0.0.1/",
    ]) {
      assert.ok(!isLoopback(host(url)), url);
    }
  });

  it("notify-url-https: flags http elsewhere, passes https, loopback, unknown and unparseable URLs", () => {
    assert.match(
      plainHttpViolation("http://user:pw@hooks.example.com/z?k=1") ?? "",
      /http:\/\/hooks\.example\.com\/z is plain http/,
    );
    assert.doesNotMatch(plainHttpViolation("http://user:pw@hooks.example.com/z?k=1") ?? "", /pw|k=1/);
    assert.equal(plainHttpViolation("https://hooks.example.com/z"), undefined);
    assert.equal(plainHttpViolation("http://127.0.0.1:9000/z"), undefined);
    assert.equal(plainHttpViolation(UNKNOWN), undefined);
    assert.equal(plainHttpViolation("not a url"), undefined);
  });

  it("verification-token-required: flags a missing or empty token, skips an unknown one", () => {
    assert.ok(missingTokenViolation(undefined));
    assert.ok(missingTokenViolation(""));
    assert.equal(missingTokenViolation("t"), undefined);
    assert.equal(missingTokenViolation(UNKNOWN), undefined);
  });

  it("matches host patterns exactly or by subdomain, case-insensitively, never by bare suffix", () => {
    assert.ok(hostMatches("hooks.example.com", "Hooks.Example.com"));
    assert.ok(hostMatches("a.b.internal.example.com", "*.internal.example.com"));
    assert.ok(!hostMatches("internal.example.com", "*.internal.example.com"));
    assert.ok(!hostMatches("evilinternal.example.com", "*.internal.example.com"));
    assert.ok(hostMatches("[::1]", "::1"));
    assert.ok(hostMatches("::1", "[::1]"));
  });

  it("allowed-notify-hosts: names the host and the list; an empty list allows none", () => {
    const channel = (notifyUrl: ChannelView["notifyUrl"]): Pick<ChannelView, "notifyUrl"> => ({ notifyUrl });
    assert.equal(
      unlistedHostViolation(channel("https://x.hooks.example.com/z"), ["*.hooks.example.com"]),
      undefined,
    );
    assert.match(
      unlistedHostViolation(channel("https://x.example.org:8443/z?k=1"), []) ?? "",
      /points to x\.example\.org, .*\(none\)/,
    );
    assert.equal(unlistedHostViolation(channel(UNKNOWN), []), undefined);
  });

  it("allowed-modules: lists every offending event by index, skipping unknown ones", () => {
    const message = unlistedModuleViolation(
      { events: ["Deals.all", UNKNOWN, "Leads.edit", "Leads.create"] },
      ["Deals"],
    );
    assert.match(message ?? "", /events\[2\] "Leads\.edit", events\[3\] "Leads\.create" subscribe to Leads,/);
    assert.equal(unlistedModuleViolation({ events: ["Deals.all", UNKNOWN] }, ["Deals"]), undefined);
    assert.equal(unlistedModuleViolation({ events: UNKNOWN }, []), undefined);
  });

  describe("renewal-outlasts-schedule", () => {
    const daily = scheduleInterval({});
    const v8 = () => "v8" as const;
    const v3 = () => "v3" as const;

    it("defaults to a daily schedule and rejects an unreadable interval", () => {
      assert.equal(DEFAULT_SCHEDULE_INTERVAL, "P1D");
      assert.equal(daily.millis, 24 * 3600 * 1000);
      assert.throws(() => scheduleInterval({ scheduleInterval: "PT0S" }), /scheduleInterval is "PT0S"/);
    });

    it("computes the provider's defaults when check has not filled them in", () => {
      // v8: 7 days, renewed 3.5 days before: fine for a daily run.
      assert.equal(renewalViolation({ expiresIn: undefined, renewBefore: undefined }, daily, v8), undefined);
      // v3: the whole life is 1 day (less the skew margin), not longer than a daily schedule.
      assert.match(
        renewalViolation({ expiresIn: undefined, renewBefore: undefined }, daily, v3) ?? "",
        /expiresIn PT23H50M \(the longest that API v3 safely allows: the default when expiresIn is not set\) is not longer/,
      );
      // v3 with a 6-hour schedule: the default window is 12 hours, enough.
      assert.equal(
        renewalViolation(
          { expiresIn: undefined, renewBefore: undefined },
          scheduleInterval({ scheduleInterval: "PT6H" }),
          v3,
        ),
        undefined,
      );
      // An explicit expiresIn: half of it.
      assert.match(
        renewalViolation(
          { expiresIn: "PT20H", renewBefore: undefined },
          scheduleInterval({ scheduleInterval: "PT12H" }),
          v8,
        ) ?? "",
        /renewBefore PT10H \(half of expiresIn PT20H: the default when renewBefore is not set\)/,
      );
    });

    it("skips unknown values, an unknown API version and values check rejects", () => {
      assert.equal(renewalViolation({ expiresIn: UNKNOWN, renewBefore: "PT1H" }, daily, v8), undefined);
      assert.equal(renewalViolation({ expiresIn: "P7D", renewBefore: UNKNOWN }, daily, v8), undefined);
      assert.equal(
        renewalViolation({ expiresIn: undefined, renewBefore: "PT1H" }, daily, () => undefined),
        undefined,
      );
      assert.equal(renewalViolation({ expiresIn: "P7D", renewBefore: "soon" }, daily, v8), undefined);
    });

    it("requires the window to be strictly longer than the interval", () => {
      assert.ok(renewalViolation({ expiresIn: "P7D", renewBefore: "PT24H" }, daily, v8));
      assert.equal(renewalViolation({ expiresIn: "P7D", renewBefore: "PT24H1S" }, daily, v8), undefined);
    });
  });
});
