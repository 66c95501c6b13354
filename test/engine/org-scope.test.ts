// The delete decision is scoped by the org a connection's credentials act in, as Zoho says it, not by
// the connection's name nor its endpoint. First the decision alone (fake orgs, counted questions),
// then the lifecycle's delete against an emulator holding two orgs in one "data centre" (one URL).
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import { DEMO_CREDENTIALS, type OAuthCredentials, type RunningEmulator } from "../../emulator";
import { providerConfig, startTestEmulator } from "../../harness/emulator";
import type { WatchChannelInputs } from "../../provider/channel/inputs";
import * as lifecycle from "../../provider/engine/lifecycle";
import { declarerInSameOrg } from "../../provider/engine/org-scope";
import { ProviderRuntime } from "../../provider/engine/runtime";
import { readConnections, readSettings } from "../../provider/engine/settings";

describe("delete scope: declarerInSameOrg", () => {
  /** Connections → [endpoint, org]; counts every org question. */
  function facts(
    connection: string,
    declaredThrough: string[],
    world: Record<string, [string, string | Error]>,
  ) {
    const asked: string[] = [];
    return {
      asked,
      input: {
        connection,
        declaredThrough,
        endpointOf: (name: string) => world[name]![0],
        orgOf: (name: string) => {
          asked.push(name);
          const org = world[name]![1];
          return org instanceof Error ? Promise.reject(org) : Promise.resolve(org);
        },
      },
    };
  }
  const world: Record<string, [string, string | Error]> = {
    a: ["us", "org-1"],
    a8: ["us", "org-1"],
    b: ["us", "org-2"],
    eu: ["eu", "org-1"],
    broken: ["us", new Error("no org")],
  };

  it("disables, asking nothing, when no resource of the run declares the id (destroy)", async () => {
    const { asked, input } = facts("a", [], world);
    assert.equal(await declarerInSameOrg(input), undefined);
    assert.deepEqual(asked, []);
  });

  it("keeps, asking nothing, a channel declared through the deleted resource's own connection (renewal)", async () => {
    const { asked, input } = facts("a", ["b", "a"], world);
    assert.equal(await declarerInSameOrg(input), "a");
    assert.deepEqual(asked, []);
  });

  it("disables, asking nothing, a channel declared only through another data centre", async () => {
    const { asked, input } = facts("a", ["eu"], world);
    assert.equal(await declarerInSameOrg(input), undefined);
    assert.deepEqual(asked, []);
  });

  it("keeps a channel declared through another connection to the same org (v2 → v8, a renamed connection)", async () => {
    const { asked, input } = facts("a", ["a8"], world);
    assert.equal(await declarerInSameOrg(input), "a8");
    assert.deepEqual(asked, ["a", "a8"]);
  });

  it("disables a channel declared through a connection to another org of the same data centre", async () => {
    const { input } = facts("a", ["b"], world);
    assert.equal(await declarerInSameOrg(input), undefined);
  });

  it("finds the same-org declarer among several", async () => {
    const { input } = facts("a", ["b", "eu", "a8"], world);
    assert.equal(await declarerInSameOrg(input), "a8");
  });

  it("fails rather than guess when an org cannot be learned", async () => {
    await assert.rejects(declarerInSameOrg(facts("broken", ["a"], world).input), /no org/);
    await assert.rejects(declarerInSameOrg(facts("a", ["broken"], world).input), /no org/);
  });
});

describe("delete scope: the lifecycle against two orgs in one data centre", function () {
  const ORG_B = "5550000000000000077";
  const B: OAuthCredentials = {
    clientId: "1000.SECOND0CLIENT0ID",
    clientSecret: "second-client-secret",
    refreshToken: "1000.second-refresh-token",
  };
  let emulator: RunningEmulator;
  let nextId = 2000000068001n;
  const newId = () => String(nextId++);
  const runtimes: ProviderRuntime[] = [];

  /** One Pulumi operation's runtime, with connections to org A (`a`, `a8`, `renamed`) and org B (`b`). */
  function operation(url = emulator.url): ProviderRuntime {
    const { config, secrets } = providerConfig(url);
    const all: Record<string, string> = { ...config, ...secrets };
    const connection = (credentials: OAuthCredentials, apiVersion = "v8") => ({
      accountsUrl: url,
      apiDomain: url,
      apiVersion,
      ...credentials,
    });
    const connections = readConnections({
      get: () =>
        JSON.stringify({
          a: connection(DEMO_CREDENTIALS, "v2"),
          a8: connection(DEMO_CREDENTIALS),
          renamed: connection(DEMO_CREDENTIALS, "v2"),
          b: connection(B),
        }),
    });
    const runtime = new ProviderRuntime({
      settings: readSettings({ get: (key) => all[key] }, {}),
      connections,
      clock: () => DateTime.utc(),
    });
    runtimes.push(runtime);
    return runtime;
  }

  async function declared(rt: ProviderRuntime, news: Partial<WatchChannelInputs>) {
    const result = await lifecycle.check(rt, undefined, news as WatchChannelInputs);
    assert.deepEqual(result.failures ?? [], []);
    return result.inputs!;
  }

  /** Creates a channel through `connection` in an operation of its own; returns its stored outputs. */
  async function created(channelId: string, connection: string | undefined) {
    const rt = operation();
    const inputs = await declared(rt, {
      channelId,
      events: ["Deals.all"],
      notifyUrl: "http://127.0.0.1:9/hooks",
      token: "verify-0123456789",
      ...(connection === undefined ? {} : { connection }),
    });
    const { outs } = await lifecycle.create(rt, inputs);
    return outs!;
  }

  /** An `up` that moves the channel to `to`: check, diff, create the replacement, delete the old one. */
  async function moved(
    channelId: string,
    from: string | undefined,
    to: string | undefined,
    rt = operation(),
  ) {
    const olds = await created(channelId, from);
    await emulator.resetStats();
    const news = await declared(rt, { ...olds, connection: to });
    await lifecycle.diff(rt, olds, news);
    await lifecycle.create(rt, news);
    return { rt, remove: () => lifecycle.remove(rt, channelId, from) };
  }

  const liveIn = async (id: string, org?: string) =>
    (await emulator.channels(org)).some((c) => c.channelId === id && c.live);

  before(async () => {
    emulator = await startTestEmulator({ orgs: [{ id: ORG_B, credentials: B }] });
  });
  after(async () => {
    await emulator.close();
  });
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((rt) => rt.close()));
  });

  it("moving a channel to another org of the same data centre disables it in the org it left", async () => {
    const id = newId();
    const move = await moved(id, "a", "b");
    assert.ok(await liveIn(id, ORG_B), "subscribed in org B");
    await move.remove();
    assert.equal(await liveIn(id), false, "disabled in org A");
    assert.ok(await liveIn(id, ORG_B), "still subscribed in org B");
    assert.equal((await emulator.stats()).org, 2, "each connection's org asked once");
  });

  it("moving from the unnamed settings to a named connection to another org disables the old one too", async () => {
    const id = newId();
    const move = await moved(id, undefined, "b");
    await move.remove();
    assert.equal(await liveIn(id), false);
    assert.ok(await liveIn(id, ORG_B));
  });

  it("a renamed connection to the same org keeps the channel subscribed without a gap", async () => {
    const id = newId();
    const move = await moved(id, "a", "renamed");
    await move.remove();
    assert.ok(await liveIn(id), "still subscribed in org A");
    const intervals = (await emulator.timeline())[id]?.Deals ?? [];
    assert.deepEqual(
      intervals.map((i) => i.to),
      [null],
      `one open interval: ${JSON.stringify(intervals)}`,
    );
    assert.equal((await emulator.stats()).disable, 0, "no DELETE sent");
  });

  it("two connections to one org (v2 and v8) share a scope: moving between them keeps the channel", async () => {
    const id = newId();
    const move = await moved(id, "a", "a8");
    await move.remove();
    assert.ok(await liveIn(id));
    assert.equal((await emulator.stats()).disable, 0);
  });

  it("asks each connection's org at most once per run, however many deletes need it", async () => {
    const rt = operation();
    const ids = [newId(), newId(), newId()];
    const moves = [];
    for (const id of ids) moves.push(await moved(id, "a", "renamed", rt));
    await Promise.all(moves.map((move) => move.remove()));
    for (const id of ids) assert.ok(await liveIn(id));
    const stats = await emulator.stats();
    assert.equal(stats.org, 2, "one question per connection: a and renamed");
  });

  it("a renewal through the same connection and a destroy ask for no org", async () => {
    const id = newId();
    const olds = await created(id, "a");
    await emulator.resetStats();
    const rt = operation();
    const news = await declared(rt, { ...olds });
    await lifecycle.create(rt, news);
    await lifecycle.remove(rt, id, "a");
    assert.ok(await liveIn(id), "the renewal keeps it");
    await lifecycle.remove(operation(), id, "a");
    assert.equal(await liveIn(id), false, "the destroy disables it");
    assert.equal((await emulator.stats()).org, 0);
  });

  it("fails the delete with a clear message, disabling nothing, when Zoho will not say the org", async () => {
    const narrow = await startTestEmulator({ scopes: ["ZohoCRM.notifications.ALL"] });
    try {
      const rt = operation(narrow.url);
      const id = newId();
      const inputs = await declared(rt, {
        channelId: id,
        events: ["Deals.all"],
        notifyUrl: "http://127.0.0.1:9/hooks",
        token: "verify-0123456789",
        connection: "a",
      });
      const { outs } = await lifecycle.create(rt, inputs);
      const up = operation(narrow.url);
      const news = await declared(up, { ...outs, connection: "renamed" });
      await lifecycle.create(up, news);
      await assert.rejects(lifecycle.remove(up, id, "a"), (error: Error) => {
        assert.match(error.message, new RegExp(`WatchChannel ${id}: delete failed`));
        assert.match(error.message, /OAUTH_SCOPE_MISMATCH/);
        assert.match(error.message, /ZohoCRM\.org\.READ/);
        assert.match(error.message, /Nothing was disabled/);
        for (const secret of [DEMO_CREDENTIALS.clientSecret, DEMO_CREDENTIALS.refreshToken]) {
          assert.ok(!error.message.includes(secret), "no secret in the message");
        }
        return true;
      });
      assert.ok(
        (await narrow.channels()).some((c) => c.channelId === id && c.live),
        "the channel stays subscribed",
      );
      assert.equal((await narrow.stats()).disable, 0);
    } finally {
      await narrow.close();
    }
  });
});
