// The provider plugin's ResourceProvider service over real gRPC, driven as the engine drives it
// (no Pulumi CLI), against the emulator over real HTTP. Each PluginUnderTest is one plugin process,
// so one Pulumi operation: a refresh, a destroy or a later `pulumi up` starts a new one.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { DateTime, Duration } from "luxon";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import type * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import { DEMO_CREDENTIALS, type RunningEmulator } from "../../emulator";
import { startTestEmulator } from "../../harness/emulator";
import { checkInputs } from "../../provider/channel/inputs";
import { ZohoWatchClient } from "../../provider/client/client";
import {
  engineVariables,
  failuresOf,
  PACKAGE_VERSION,
  plain,
  PluginUnderTest,
  REPO_ROOT,
  secret,
  UNKNOWN,
  urnOf,
} from "./support";

const TOKEN = "verify-0123456789";
const NOTIFY_URL = "http://127.0.0.1:9/hooks";
const { DiffChanges } = providerPb.DiffResponse;
const Kind = providerPb.PropertyDiff.Kind;

/** A program's WatchChannel arguments (what the engine sends Check as news). */
function declared(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    events: ["Deals.all", "Contacts.create"],
    notifyUrl: NOTIFY_URL,
    token: secret(TOKEN),
    ...overrides,
  };
}

/** An expiry `from` now (the provider's clock, offset 0), as Zoho writes it: whole seconds, +05:30. */
function zohoTime(from: Duration | Record<string, number>): string {
  return DateTime.utc()
    .plus(from)
    .setZone("UTC+5:30")
    .startOf("second")
    .toISO({ suppressMilliseconds: true })!;
}

/** The instant of an ISO date-time, for comparing expiries written in different offsets. */
function instant(iso: unknown): number {
  assert.equal(typeof iso, "string", `an expiry, got ${JSON.stringify(iso)}`);
  const parsed = DateTime.fromISO(iso as string, { setZone: true });
  assert.ok(parsed.isValid, `${iso as string} is a date-time`);
  return parsed.toMillis();
}

/** The failure reasons of a call that failed, as the engine would print them. */
function rejectedWith(pattern: RegExp): (error: grpc.ServiceError) => boolean {
  return (error) => {
    assert.match(error.details, pattern);
    return true;
  };
}

describe("provider plugin (ResourceProvider over gRPC)", function () {
  let emulator: RunningEmulator;
  let plugin: PluginUnderTest;
  const plugins: PluginUnderTest[] = [];
  let nextId = 1000000068001n;
  const newId = () => String(nextId++);

  /** A new plugin process configured for the emulator (with `extra` Configure variables). */
  async function operation(extra: Record<string, string | undefined> = {}): Promise<PluginUnderTest> {
    const started = await PluginUnderTest.configured(engineVariables(emulator.url, extra));
    plugins.push(started);
    return started;
  }

  /** Check's inputs for `news`, which must pass. */
  async function checked(
    urn: string,
    news: Record<string, unknown>,
    within: PluginUnderTest = plugin,
  ): Promise<Record<string, unknown>> {
    const response = await within.check(urn, news);
    assert.deepEqual(failuresOf(response), []);
    return plain(response.getInputs());
  }

  /** Check then Create (not a preview), as `pulumi up` does for a new resource. */
  async function created(
    name: string,
    overrides: Record<string, unknown> = {},
    within: PluginUnderTest = plugin,
  ) {
    const urn = urnOf(name);
    const inputs = await checked(urn, declared({ channelId: newId(), ...overrides }), within);
    const response = await within.create(urn, inputs);
    return { urn, id: response.getId(), inputs, outs: plain(response.getProperties()) };
  }

  async function liveChannel(id: string) {
    return (await emulator.channels()).find((channel) => channel.channelId === id && channel.live);
  }

  /** What another tool (or a person) does to a channel behind Pulumi's back. */
  async function outOfBand<T>(act: (client: ZohoWatchClient) => Promise<T>): Promise<T> {
    const client = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });
    try {
      return await act(client);
    } finally {
      await client.close();
    }
  }

  before(async () => {
    emulator = await startTestEmulator();
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    await emulator.reset();
    plugin = await operation();
  });
  afterEach(async () => {
    await Promise.all(plugins.splice(0).map((p) => p.close()));
  });

  describe("Configure", () => {
    it("accepts secrets and supports previews", async () => {
      const fresh = await PluginUnderTest.start();
      plugins.push(fresh);
      const response = await fresh.configure(engineVariables(emulator.url));
      assert.equal(response.getAcceptsecrets(), true);
      assert.equal(response.getSupportspreview(), true);
    });

    it("makes Check fail on a misspelt config key, naming the key meant", async () => {
      const misspelt = await operation({
        "zoho-watch:config:clientId": undefined,
        "zoho-watch:config:clientid": DEMO_CREDENTIALS.clientId,
      });
      const failures = failuresOf(await misspelt.check(urnOf("orders"), declared({ channelId: newId() })));
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.match(failures[0]!.reason, /zoho-watch:clientid/);
      assert.match(failures[0]!.reason, /did you mean zoho-watch:clientId\?/);
    });
  });

  describe("CheckConfig", () => {
    it("refuses an unknown key, saying which setting was meant", async () => {
      const failures = failuresOf(await plugin.checkConfig({ clientid: "x", version: "0.1.0" }));
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.match(
        failures[0]!.reason,
        /zoho-watch:clientid is not a setting.*did you mean zoho-watch:clientId/,
      );
    });

    it("refuses a data centre that does not exist", async () => {
      const failures = failuresOf(await plugin.checkConfig({ dataCentre: "XX" }));
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.match(failures[0]!.reason, /zoho-watch:dataCentre\b.* is "XX": use one of US, /);
    });

    it("accepts good settings and returns the client secret and the refresh token as secrets", async () => {
      const news = {
        apiDomain: emulator.url,
        accountsUrl: emulator.url,
        clientId: DEMO_CREDENTIALS.clientId,
        clientSecret: DEMO_CREDENTIALS.clientSecret,
        refreshToken: DEMO_CREDENTIALS.refreshToken,
      };
      const response = await plugin.checkConfig(news);
      assert.deepEqual(failuresOf(response), []);
      const inputs = plain(response.getInputs());
      assert.deepEqual(inputs.clientSecret, secret(DEMO_CREDENTIALS.clientSecret));
      assert.deepEqual(inputs.refreshToken, secret(DEMO_CREDENTIALS.refreshToken));
      assert.equal(inputs.clientId, DEMO_CREDENTIALS.clientId, "the client id is no secret");
      assert.equal(inputs.apiDomain, emulator.url);
    });
  });

  describe("DiffConfig", () => {
    const settings = { apiDomain: "http://127.0.0.1:1", clientId: "1000.A" };

    it("sees no change from a stack whose provider had no inputs (the dynamic door)", async () => {
      const response = await plugin.diffConfig({}, settings);
      assert.equal(response.getChanges(), DiffChanges.DIFF_NONE);
      assert.deepEqual(response.getReplacesList(), []);
    });

    it("sees no change when nothing changed", async () => {
      const response = await plugin.diffConfig(settings, { ...settings });
      assert.equal(response.getChanges(), DiffChanges.DIFF_NONE);
    });

    it("shows a changed client id as an update, never a replacement", async () => {
      const response = await plugin.diffConfig(settings, { ...settings, clientId: "1000.B" });
      assert.equal(response.getChanges(), DiffChanges.DIFF_SOME);
      assert.deepEqual(response.getReplacesList(), []);
      assert.deepEqual(response.getDiffsList(), ["clientId"]);
      assert.equal(response.getDetaileddiffMap().get("clientId")?.getKind(), Kind.UPDATE);
    });
  });

  describe("Check", () => {
    it("returns the token as a secret, even when it arrived plain", async () => {
      const inputs = await checked(urnOf("orders"), declared({ channelId: newId(), token: TOKEN }));
      assert.deepEqual(inputs.token, secret(TOKEN));
    });

    it("makes a notify URL with a query a secret, and leaves one without plain", async () => {
      const withKey = `${NOTIFY_URL}?key=s3cret`;
      const keyed = await checked(urnOf("keyed"), declared({ channelId: newId(), notifyUrl: withKey }));
      assert.deepEqual(keyed.notifyUrl, secret(withKey));
      const bare = await checked(urnOf("bare"), declared({ channelId: newId() }));
      assert.equal(bare.notifyUrl, NOTIFY_URL);
    });

    it("derives a decimal channel id when it is left out: the same for the same URN, another for another name", async () => {
      const first = await checked(urnOf("orders"), declared());
      const again = await checked(urnOf("orders"), declared(), await operation());
      const other = await checked(urnOf("invoices"), declared());
      const otherStack = await checked(urnOf("orders", "prod"), declared(), await operation());
      assert.match(String(first.channelId), /^[1-9]\d{15,18}$/);
      assert.equal(again.channelId, first.channelId, "stable across runs");
      assert.notEqual(other.channelId, first.channelId);
      assert.notEqual(otherStack.channelId, first.channelId);
    });

    it("keeps the channel id the old inputs hold when the news leave it out", async () => {
      const id = newId();
      const olds = await checked(urnOf("orders"), declared({ channelId: id }));
      const response = await (await operation()).check(urnOf("orders"), declared(), olds);
      assert.deepEqual(failuresOf(response), []);
      assert.equal(plain(response.getInputs()).channelId, id);
    });

    it("refuses a channel id that another resource of the run declares, naming it", async () => {
      const id = newId();
      await checked(urnOf("orders"), declared({ channelId: id }));
      // The engine checks a replacement twice: the same resource again is no conflict.
      await checked(urnOf("orders"), declared({ channelId: id }));
      const failures = failuresOf(await plugin.check(urnOf("invoices"), declared({ channelId: id })));
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.match(failures[0]!.reason, new RegExp(`channel ${id} is also declared by orders`));
    });

    it("refuses bad events with the dynamic door's messages, each as `prop: reason`", async () => {
      const news = declared({ channelId: newId(), events: ["Dealz.create", "Deals.explode"], token: TOKEN });
      const expected = checkInputs(news, "v8").failures.map(({ property, reason }) => ({
        property: "",
        reason: property === "" ? reason : `${property}: ${reason}`,
      }));
      assert.ok(expected.length >= 2, "checkInputs refuses both events");
      assert.deepEqual(failuresOf(await plugin.check(urnOf("orders"), news)), expected);
    });

    it("drops the dynamic door's __provider from the inputs it returns", async () => {
      const id = newId();
      const olds = { ...declared({ channelId: id }), __provider: "exports.handler = ..." };
      const response = await plugin.check(
        urnOf("orders"),
        { ...declared(), __provider: "exports.handler = ..." },
        olds,
      );
      assert.deepEqual(failuresOf(response), []);
      const inputs = plain(response.getInputs());
      assert.equal(inputs.channelId, id);
      assert.ok(!("__provider" in inputs), `no __provider in ${Object.keys(inputs).join(", ")}`);
    });

    describe("with old outputs", () => {
      async function checkAgainst(storedExpiry: string) {
        const id = newId();
        const olds = await checked(urnOf("orders"), declared({ channelId: id, expiresIn: "P6D" }));
        const oldOutputs = {
          ...olds,
          channelExpiry: storedExpiry,
          apiVersion: "v8",
          modules: [{ module: "Deals", resourceId: "1", resourceUri: "", resourceName: "Deals" }],
        };
        const before = DateTime.utc();
        const response = await (
          await operation()
        ).check(urnOf("orders"), declared({ channelId: id, expiresIn: "P6D" }), olds, oldOutputs);
        const after = DateTime.utc();
        assert.deepEqual(failuresOf(response), []);
        return { before, after, inputs: plain(response.getInputs()) };
      }

      it("carries the expiry a due renewal will ask for", async () => {
        const stored = zohoTime({ hours: 1 }); // inside renewBefore (half of P6D)
        const { before, after, inputs } = await checkAgainst(stored);
        const predicted = instant(inputs.channelExpiry);
        assert.ok(
          predicted >= before.plus({ days: 6 }).startOf("second").toMillis() &&
            predicted <= after.plus({ days: 6 }).toMillis(),
          `${String(inputs.channelExpiry)} is now + P6D`,
        );
        assert.match(String(inputs.channelExpiry), /\+05:30$/, "in the stored expiry's offset");
      });

      it("carries no expiry when no renewal is due: the inputs stay what the state holds", async () => {
        const stored = zohoTime({ days: 5 }); // outside the P3D window
        const { inputs } = await checkAgainst(stored);
        assert.equal("channelExpiry" in inputs, false, JSON.stringify(inputs));
      });
    });
  });

  describe("Diff", () => {
    /** State as an earlier `up` left it, expiring `expiresAfter` from now. */
    async function stored(id: string, expiresAfter: Record<string, number>) {
      const inputs = await checked(urnOf("orders"), declared({ channelId: id, expiresIn: "P6D" }));
      const outs = {
        ...inputs,
        channelExpiry: zohoTime(expiresAfter),
        apiVersion: "v8",
        modules: [{ module: "Deals", resourceId: "1", resourceUri: "", resourceName: "Deals" }],
      };
      return { inputs, outs };
    }

    it("shows a due renewal as an update of channelExpiry, not a replacement", async () => {
      const id = newId();
      const { inputs, outs } = await stored(id, { hours: 1 });
      const response = await plugin.diff(urnOf("orders"), id, outs, inputs);
      assert.equal(response.getChanges(), DiffChanges.DIFF_SOME);
      assert.deepEqual(response.getReplacesList(), []);
      assert.equal(response.getHasdetaileddiff(), true);
      const expiry = response.getDetaileddiffMap().get("channelExpiry");
      assert.ok(expiry, `a detailed diff for channelExpiry in ${JSON.stringify(response.toObject())}`);
      assert.equal(expiry.getKind(), Kind.UPDATE);
    });

    it("replaces the resource when the channel id changes", async () => {
      const id = newId();
      const { inputs, outs } = await stored(id, { days: 5 });
      const response = await plugin.diff(urnOf("orders"), id, outs, { ...inputs, channelId: newId() });
      assert.equal(response.getChanges(), DiffChanges.DIFF_SOME);
      assert.deepEqual(response.getReplacesList(), ["channelId"]);
      assert.equal(response.getDetaileddiffMap().get("channelId")?.getKind(), Kind.UPDATE_REPLACE);
    });

    it("sees no change when nothing changed and no renewal is due", async () => {
      const id = newId();
      const { inputs, outs } = await stored(id, { days: 5 });
      const response = await plugin.diff(urnOf("orders"), id, outs, inputs);
      assert.equal(response.getChanges(), DiffChanges.DIFF_NONE);
      assert.deepEqual(response.getReplacesList(), []);
      assert.deepEqual(response.getDiffsList(), []);
    });
  });

  describe("Create", () => {
    it("subscribes the channel and returns Zoho's answer, the token wrapped as a secret", async () => {
      const { id, inputs, outs } = await created("orders");
      assert.equal(id, inputs.channelId);
      const live = await liveChannel(id);
      assert.ok(live, "the emulator holds the channel, live");
      assert.equal(live.token, TOKEN);
      assert.equal(live.notifyUrl, NOTIFY_URL);
      assert.equal(instant(outs.channelExpiry), Date.parse(live.expiresAt), "the expiry Zoho stored");
      assert.deepEqual((outs.modules as { module: string }[]).map((m) => m.module).sort(), [
        "Contacts",
        "Deals",
      ]);
      assert.equal(outs.apiVersion, "v8");
      assert.deepEqual(outs.token, secret(TOKEN));
    });

    it("fails when the resource's customTimeouts.create pass first, saying how the next up completes it", async () => {
      const urn = urnOf("orders");
      const inputs = await checked(urn, declared({ channelId: newId() }));
      // Zoho answers nothing for two minutes; the resource allows one second.
      await emulator.injectFault({ kind: "latency", ms: 120_000, times: 1 });
      await assert.rejects(plugin.create(urn, inputs, false, 1), (error: Error) => {
        assert.match(
          error.message,
          /create did not finish within the resource's customTimeouts\.create \(1 s\)/,
        );
        assert.match(error.message, /run `pulumi up` again/);
        return true;
      });
      await emulator.clearFaults();
    });

    it("previews without calling Zoho, the expiry unknown", async () => {
      const urn = urnOf("orders");
      const inputs = await checked(urn, declared({ channelId: newId() }));
      const before = await emulator.stats();
      const response = await plugin.create(urn, inputs, true);
      assert.deepEqual(await emulator.stats(), before, "no request reached the emulator");
      assert.deepEqual(await emulator.channels(), []);
      const outs = plain(response.getProperties());
      assert.equal(outs.channelExpiry, UNKNOWN);
      assert.equal(outs.channelId, inputs.channelId);
      assert.deepEqual(outs.token, secret(TOKEN));
    });
  });

  describe("Update", () => {
    /** A channel made four days ago (emulator time), and a plugin for today's `pulumi up`. */
    async function fourDaysLater() {
      const channel = await created("orders");
      await emulator.advanceClock("P4D");
      const offsetMs = Date.parse(await emulator.now()) - Date.now();
      const later = await operation({ "zoho-watch:config:clockOffset": String(offsetMs) });
      const renewal = await later.diff(channel.urn, channel.id, channel.outs, channel.inputs);
      assert.deepEqual(renewal.getDiffsList(), ["channelExpiry"], "the renewal is due");
      return { ...channel, later };
    }

    it("renews: the channel's expiry moves later, in Zoho and in the outputs", async () => {
      const { urn, id, inputs, outs, later } = await fourDaysLater();
      const response = await later.update(urn, id, outs, inputs);
      const renewed = plain(response.getProperties());
      assert.ok(
        instant(renewed.channelExpiry) > instant(outs.channelExpiry),
        `${String(renewed.channelExpiry)} is after ${String(outs.channelExpiry)}`,
      );
      const live = await liveChannel(id);
      assert.ok(live);
      assert.equal(Date.parse(live.expiresAt), instant(renewed.channelExpiry));
      assert.deepEqual(renewed.token, secret(TOKEN));
    });

    it("previews the renewal's new expiry without calling Zoho", async () => {
      const { urn, id, inputs, outs, later } = await fourDaysLater();
      const live = await liveChannel(id);
      const before = await emulator.stats();
      const response = await later.update(urn, id, outs, inputs, true);
      assert.deepEqual(await emulator.stats(), before, "no request reached the emulator");
      assert.deepEqual(await liveChannel(id), live, "the channel is untouched");
      const predicted = plain(response.getProperties());
      assert.notEqual(predicted.channelExpiry, UNKNOWN);
      assert.ok(
        instant(predicted.channelExpiry) > instant(outs.channelExpiry),
        `${String(predicted.channelExpiry)} is after ${String(outs.channelExpiry)}`,
      );
    });
  });

  describe("Read", () => {
    it("refreshes the state from the live channel", async () => {
      const { urn, id, outs } = await created("orders");
      const moved = "http://127.0.0.1:9/moved";
      const expiry = DateTime.fromISO(await emulator.now())
        .plus({ days: 2 })
        .startOf("second");
      await outOfBand((client) =>
        client.update({
          channelId: id,
          events: ["Deals.all", "Contacts.create"],
          notifyUrl: moved,
          token: TOKEN,
          channelExpiry: expiry,
        }),
      );
      const refresh = await operation();
      const response = await refresh.read(urn, id, outs);
      assert.equal(response.getId(), id);
      const props = plain(response.getProperties());
      assert.equal(props.notifyUrl, moved);
      assert.equal(plain(response.getInputs()).notifyUrl, moved);
      assert.equal(instant(props.channelExpiry), expiry.toMillis());
      assert.deepEqual(props.token, secret(TOKEN));
    });

    it("returns an empty id for a channel deleted out of band", async () => {
      const { urn, id, outs } = await created("orders");
      await outOfBand((client) => client.disable([id]));
      const response = await (await operation()).read(urn, id, outs);
      assert.equal(response.getId(), "");
    });

    it("imports a live channel by id: inputs (the token a secret) and outputs", async () => {
      await created("orders", { channelId: "1000000099001" });
      const importing = await operation();
      const response = await importing.read(urnOf("imported"), "1000000099001");
      assert.equal(response.getId(), "1000000099001");
      const inputs = plain(response.getInputs());
      assert.equal(inputs.channelId, "1000000099001");
      assert.deepEqual(inputs.token, secret(TOKEN));
      assert.equal(inputs.notifyUrl, NOTIFY_URL);
      const props = plain(response.getProperties());
      const live = await liveChannel("1000000099001");
      assert.ok(live);
      assert.equal(instant(props.channelExpiry), Date.parse(live.expiresAt));
      assert.deepEqual(props.token, secret(TOKEN));
      assert.ok(Array.isArray(props.modules) && props.modules.length === 2, JSON.stringify(props.modules));
    });

    it("refuses to import an id that is no channel id, saying what one looks like", async () => {
      await assert.rejects(
        plugin.read(urnOf("imported"), "abc"),
        rejectedWith(/cannot import "abc".*decimal string such as 1000000068001.*<connection>\/<channel id>/),
      );
    });

    it("returns an empty id when importing a channel that is not live", async () => {
      const response = await plugin.read(urnOf("imported"), "1000000099002");
      assert.equal(response.getId(), "");
    });
  });

  describe("Delete", () => {
    it("disables the channel", async () => {
      const { urn, id, outs } = await created("orders");
      assert.ok(await liveChannel(id), "live before the delete");
      const destroy = await operation(); // `pulumi destroy` runs in a plugin process of its own
      await destroy.delete(urn, id, outs);
      assert.equal(await liveChannel(id), undefined);
    });
  });

  describe("GetSchema and GetPluginInfo", () => {
    it("GetSchema answers the committed schema.json", async () => {
      const response = await plugin.getSchema();
      const committed: unknown = JSON.parse(
        readFileSync(path.join(REPO_ROOT, "provider", "pulumi", "plugin", "schema.json"), "utf8"),
      );
      assert.deepEqual(JSON.parse(response.getSchema()), committed);
    });

    it("the shipped plugin (dist/plugin's launcher and bundle) reports package.json's version, and leaves cleanly when the engine stops it", async function () {
      // Node on PATH is the toolchain's, as the launcher expects; the engine's address is its argument.
      const child = spawn(
        path.join(REPO_ROOT, "dist", "plugin", "pulumi-resource-zoho-watch"),
        ["127.0.0.1:1"],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const exited = once(child, "exit");
      try {
        const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
        assert.match(line, /^\d+$/, "the first line of stdout is the port");
        const client = new ResourceProviderClient(`127.0.0.1:${line}`, grpc.credentials.createInsecure());
        try {
          const info = await new Promise<pluginPb.PluginInfo>((resolve, reject) =>
            client.getPluginInfo(new Empty(), (error, response) =>
              error ? reject(error) : resolve(response),
            ),
          );
          assert.equal(info.getVersion(), PACKAGE_VERSION);
        } finally {
          client.close();
        }
      } finally {
        child.kill("SIGTERM");
      }
      // The engine stops a plugin with a signal: it closes its runtime and exits 0, not killed by it.
      assert.deepEqual(await exited, [0, null]);
    });
  });
});
