// notify_on_related_action on the wire: every write the provider sends carries it, whether the
// program declares it or not. The emulator cannot tell "sent" from "left to the default" (it applies
// the same default), so these tests read the request bodies a scripted Zoho receives.
import assert from "node:assert/strict";
import { providerConfig } from "../../harness/emulator";
import type { WatchChannelInputs } from "../../provider/channel/inputs";
import * as lifecycle from "../../provider/engine/lifecycle";
import { ProviderRuntime } from "../../provider/engine/runtime";
import { readSettings } from "../../provider/engine/settings";
import { successEntry, useScriptedZoho, type ScriptedRequest } from "../client/scripted-zoho";

/** The `notify_on_related_action` of each write's items, by method. */
function sentFlags(requests: readonly ScriptedRequest[]): [string, unknown][] {
  return requests
    .filter((request) => request.method !== "GET")
    .flatMap((request) =>
      ((request.json as { watch?: Record<string, unknown>[] }).watch ?? []).map((item): [string, unknown] => [
        request.method,
        item.notify_on_related_action,
      ]),
    );
}

describe("notify_on_related_action is sent on every write (POST and PUT)", () => {
  const zoho = useScriptedZoho();
  const runtimes: ProviderRuntime[] = [];

  function runtimeFor(apiVersion: string): ProviderRuntime {
    const { config, secrets } = providerConfig(zoho().url, apiVersion);
    const all: Record<string, string> = { ...config, ...secrets };
    const runtime = new ProviderRuntime({ settings: readSettings({ get: (key) => all[key] }, {}) });
    runtimes.push(runtime);
    return runtime;
  }

  beforeEach(() => {
    // Nothing is live (GET: 204); a write succeeds and echoes the expiry asked for.
    zoho().answer((request) => {
      if (request.method === "GET") return { status: 204 };
      const [item] = (request.json as { watch: { channel_id: string; channel_expiry: string }[] }).watch;
      return {
        status: request.method === "POST" ? 201 : 200,
        body: { watch: [successEntry(item!.channel_id, item!.channel_expiry)] },
      };
    });
  });
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((runtime) => runtime.close()));
  });

  async function createThenUpdate(apiVersion: string, declared: Partial<WatchChannelInputs>) {
    const declaration = {
      channelId: "1000000068101",
      events: ["Leads.all"],
      notifyUrl: "http://127.0.0.1:9/hooks",
      ...declared,
    };
    const create = runtimeFor(apiVersion);
    const { inputs } = await lifecycle.check(create, undefined, declaration as WatchChannelInputs);
    const { outs } = await lifecycle.create(create, inputs!);
    // The next `pulumi up` changes the events: an update in place, a PUT.
    const update = runtimeFor(apiVersion);
    const { inputs: news } = await lifecycle.check(update, undefined, {
      ...declaration,
      events: ["Leads.create"],
    } as WatchChannelInputs);
    const { outs: updated } = await lifecycle.update(update, outs!, news!);
    return { created: outs!, updated: updated! };
  }

  for (const [apiVersion, expected] of [
    ["v2.1", false],
    ["v8", true],
  ] as const) {
    it(`${apiVersion}: a program that leaves it out sends the version's default, ${expected}, and outputs it`, async () => {
      const { created, updated } = await createThenUpdate(apiVersion, {});
      assert.deepEqual(sentFlags(zoho().requests), [
        ["POST", expected],
        ["PUT", expected],
      ]);
      assert.equal(created.notifyOnRelatedAction, expected);
      assert.equal(updated.notifyOnRelatedAction, expected);
    });
  }

  it("a declared value is sent as declared, also against the version's default", async () => {
    const { updated } = await createThenUpdate("v8", { notifyOnRelatedAction: false });
    assert.deepEqual(sentFlags(zoho().requests), [
      ["POST", false],
      ["PUT", false],
    ]);
    assert.equal(updated.notifyOnRelatedAction, false);
  });
});
