// The provider plugin (dist/plugin) through the real Pulumi CLI and its YAML language host against the
// emulator: examples/yaml as a user copies it (up, a no-change preview with no API call, a renewal
// shown as `~ channelExpiry` and applied without a gap, refresh after an out-of-band delete,
// destroy), `pulumi import` of a channel made out of band, and two orgs through two explicit
// providers. One emulator for the file; each describe starts from an emptied emulator.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { DEMO_CREDENTIALS, type OAuthCredentials, type RunningEmulator } from "../../emulator";
import { ZohoWatchClient } from "../../provider/client";
import { startTestEmulator } from "../../harness/emulator";
import { PulumiStack, repoRoot, type StateResource } from "../../harness/pulumi-stack";
import { yamlHostEnv, type YamlHostEnv } from "../../harness/yaml-host";
import { stepsInOrder } from "../../harness/scenario";

const TYPE = "zoho-watch:index:WatchChannel";
const HOOK_TOKEN = "tok-yaml-hook-3c9e51";
const ORG_EU = "5550000000000000042";
const EU: OAuthCredentials = {
  clientId: "1000.EUROPE0CLIENT0ID",
  clientSecret: "eu-client-secret",
  refreshToken: "1000.eu-refresh-token",
};

describe("the provider plugin from a YAML program, through the real CLI", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let scratch: string;
  let yamlHost: YamlHostEnv;
  const stacks: PulumiStack[] = [];

  before(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "plugin-yaml-"));
    yamlHost = await yamlHostEnv(path.basename(scratch));
    // The clock file lets the provider share the emulator's clock (`zoho-watch:clockOffset file:`).
    emulator = await startTestEmulator({ clockFile: path.join(scratch, "clock.json") });
  });
  after(async () => {
    await Promise.all(stacks.map((stack) => stack.dispose()));
    await emulator?.close();
    await yamlHost?.dispose();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** A stack of `program` (its node_modules linked), its config set in one `pulumi config set-all`. */
  async function newStack(program: string, setAll: string[]): Promise<PulumiStack> {
    const stack = await PulumiStack.create({ program, linkNodeModules: true, env: yamlHost.env });
    stacks.push(stack);
    await stack.cli(["config", "set-all", "--stack", stack.name, ...setAll]);
    return stack;
  }

  /**
   * A stack of examples/yaml configured as its README says: the README's `pulumi config set-all`,
   * word for word but for the emulator's URL and clock file, and the hook token.
   */
  async function exampleStack(): Promise<PulumiStack> {
    const readme = await readFile(path.join(repoRoot, "examples", "yaml", "README.md"), "utf8");
    const command = /^pulumi config set-all ((?:.*\\\n)*.*)$/m.exec(readme)?.[1];
    assert.ok(command, "examples/yaml/README.md has a `pulumi config set-all` command");
    const args = command
      .replace(/\\\n/g, " ")
      .replaceAll("http://127.0.0.1:8765", emulator.url)
      .replaceAll(".zoho-emulator/clock.json", path.join(scratch, "clock.json"))
      .split(/\s+/)
      .filter((word) => word !== "");
    return newStack("examples/yaml", [...args, "--secret", `hookToken=${HOOK_TOKEN}`]);
  }

  const live = async (org?: string) => (await emulator.channels(org)).filter((c) => c.live);
  const byName = (resources: StateResource[], name: string) =>
    resources.find((r) => r.urn.endsWith(`::${name}`));
  const client = () =>
    new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });

  describe("examples/yaml as a user copies it", () => {
    stepsInOrder();
    let stack: PulumiStack;
    before(async () => {
      await emulator.reset();
      stack = await exampleStack();
    });

    it("up creates both channels, live with the hook token, and sets the outputs", async () => {
      await stack.up();
      const state = await stack.resourcesOfType(TYPE);
      assert.equal(state.length, 2);
      const channels = await live();
      assert.deepEqual(channels.map((c) => c.channelId).sort(), state.map((r) => r.id).sort());
      assert.ok(channels.every((c) => c.token === HOOK_TOKEN));
      const outputs = JSON.parse(
        (await stack.cli(["stack", "output", "--json", "--stack", stack.name])).stdout,
      ) as Record<string, string>;
      assert.equal(outputs.dealsChannel, byName(state, "deals")?.id);
      const contacts = channels.find((c) => c.channelId === byName(state, "contacts")?.id);
      assert.equal(Date.parse(outputs.contactsExpiry!), Date.parse(contacts!.expiresAt));
    });

    it("a no-change preview makes 0 API calls and shows both channels unchanged", async () => {
      await emulator.resetStats();
      const result = await stack.preview(["--expect-no-changes"]);
      assert.equal((await emulator.stats()).total, 0, "no API call, no token request");
      // The stack and its two channels; the CLI lists none of them, as none changes.
      assert.match(result.stdout, /^Resources:\n {4}3 unchanged\n/m);
      assert.doesNotMatch(result.output, /warning/i, "no warning (the YAML host is in the plugin cache)");
    });

    it("inside its renewal window, preview --diff shows the renewal as ~channelExpiry with its reason, and up renews without a gap", async () => {
      const stored = byName(await stack.resourcesOfType(TYPE), "contacts");
      const expiry = String(stored?.outputs?.channelExpiry);
      // contacts (expiresIn P2D, renewed in its last day) 12 hours before it expires; deals (7 days) not due.
      await emulator.advanceClock(Date.parse(expiry) - 12 * 3_600_000 - Date.parse(await emulator.now()));

      const diff = await stack.preview(["--diff"]);
      const normal = (text: string) =>
        text
          .replaceAll(stack.name, "<stack>")
          .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, "<time>")
          .replace(/\[id=\d+\]/g, "[id=<id>]")
          .replace(/channel \d+:/g, "channel <id>:");
      assert.equal(
        normal(diff.stdout),
        `Previewing update (<stack>):
  pulumi:pulumi:Stack: (same)
    [urn=urn:pulumi:<stack>::zoho-watch-yaml::pulumi:pulumi:Stack::zoho-watch-yaml-<stack>]
    ~ zoho-watch:index:WatchChannel: (update)
        [id=<id>]
        [urn=urn:pulumi:<stack>::zoho-watch-yaml::zoho-watch:index:WatchChannel::contacts]
      ~ channelExpiry: "<time>" => "<time>"
    --outputs:--
  ~ contactsExpiry: "<time>" => "<time>"
Resources:
    ~ 1 to update
    2 unchanged
`,
      );
      // The reason, logged on the resource (the CLI prints a --diff preview's diagnostics on stderr).
      assert.equal(
        normal(diff.stderr),
        "channel <id>: renewal due: the channel expires at <time>, in 12 hours, inside the renewal window of P1D\n",
      );
      assert.ok(
        diff.stderr.includes(`channel ${stored?.id}: renewal due: the channel expires at ${expiry},`),
      );
      const [, from, to] = /~ channelExpiry: "([^"]+)" => "([^"]+)"/.exec(diff.stdout) ?? [];
      assert.equal(from, expiry, "from the stored expiry");
      assert.ok(Date.parse(to!) - Date.parse(await emulator.now()) > 47 * 3_600_000, "to a new P2D");
      const plain = await stack.preview();
      assert.match(
        plain.output,
        /~ {2}zoho-watch:index:WatchChannel contacts update \[diff: ~channelExpiry\]/,
      );
      assert.doesNotMatch(plain.output, /deals/, "deals is not due");

      await emulator.resetStats();
      await stack.up();
      const stats = await emulator.stats();
      assert.equal(stats.enable + stats.disable, 0, JSON.stringify(stats));
      assert.equal(stats.update, 1, "a renewal is one update (PUT)");
      const after = byName(await stack.resourcesOfType(TYPE), "contacts");
      assert.equal(after?.id, stored?.id);
      assert.ok(
        Date.parse(String(after?.outputs?.channelExpiry)) > Date.parse(expiry),
        "stored expiry later",
      );
      const liveContacts = (await live()).find((c) => c.channelId === stored?.id);
      assert.equal(Date.parse(liveContacts!.expiresAt), Date.parse(String(after?.outputs?.channelExpiry)));
      assert.equal(liveContacts?.token, HOOK_TOKEN, "the token kept");
      const timeline = (await emulator.timeline())[stored!.id!] ?? {};
      assert.ok(Object.keys(timeline).length > 0);
      for (const [module, intervals] of Object.entries(timeline)) {
        assert.deepEqual(
          intervals.map((i) => i.to),
          [null],
          `${module}: one interval, still open: 0 unsubscribed intervals`,
        );
      }
      await stack.preview(["--expect-no-changes"]);
    });

    it("refresh drops a channel deleted out of band, and the next up recreates it", async () => {
      const deals = byName(await stack.resourcesOfType(TYPE), "deals");
      const zoho = client();
      await zoho.disable(deals!.id!);
      await zoho.close();
      await stack.refresh();
      assert.equal(byName(await stack.resourcesOfType(TYPE), "deals"), undefined, "gone from state");
      const up = await stack.up();
      assert.match(
        up.stdout,
        /^Resources:\n {4}\+ 1 created\n {4}2 unchanged\n/m,
        "contacts left as refreshed",
      );
      const recreated = byName(await stack.resourcesOfType(TYPE), "deals");
      assert.equal(recreated?.id, deals?.id, "the same derived channel id");
      const channel = (await live()).find((c) => c.channelId === deals?.id);
      assert.equal(channel?.token, HOOK_TOKEN, "live again, with its token");
    });

    it("destroy leaves 0 channels live", async () => {
      await stack.destroy();
      assert.deepEqual(await live(), []);
      assert.deepEqual(await stack.resourcesOfType(TYPE), []);
    });
  });

  describe("pulumi import of a channel made out of band", () => {
    const LEADS = { id: "1000000068777", token: "tok-import-leads-6b2f", key: "key-import-94e1d7" };
    let stack: PulumiStack;
    before(async () => {
      await emulator.reset();
      stack = await exampleStack();
      const zoho = client();
      const [outcome] = await zoho.enable([
        {
          channelId: LEADS.id,
          events: ["Leads.all"],
          notifyUrl: `https://hooks.example.com/zoho/leads?key=${LEADS.key}`,
          token: LEADS.token,
          channelExpiry: DateTime.fromISO(await emulator.now()).plus({ days: 6 }), // outside the default renewal window
        },
      ]);
      await zoho.close();
      assert.ok(outcome?.ok);
    });

    it("imports it by channel id, keeps its token and URL key out of the state, and writes YAML naming zoho-watch:WatchChannel that, pasted, plans no change", async () => {
      const result = await stack.cli(["import", TYPE, "leads", LEADS.id, "--yes", "--stack", stack.name]);
      assert.match(result.stdout, /^ {4}type: zoho-watch:WatchChannel$/m, result.stdout);
      assert.doesNotMatch(result.output, /warning/i, "and no warning (the YAML host from the plugin cache)");
      const [leads] = await stack.resourcesOfType(TYPE);
      assert.equal(leads?.id, LEADS.id);
      assert.ok(leads?.urn.endsWith("::leads"));
      const exported = await stack.exportText();
      assert.ok(!exported.includes(LEADS.token), "no token in state");
      assert.ok(!exported.includes(LEADS.key), "no URL key in state");
      const [channel] = await live();
      assert.equal(channel?.channelId, LEADS.id, "still live, untouched");
      assert.equal(channel?.token, LEADS.token);

      // The generated declaration, pasted into the program as the CLI asks, plans no change.
      const generated = result.stdout.slice(result.stdout.indexOf("resources:\n") + "resources:\n".length);
      const program = path.join(stack.workDir, "Pulumi.yaml");
      const text = await readFile(program, "utf8");
      await writeFile(program, text.replace("resources:\n", `resources:\n${generated.trimEnd()}\n`));
      await emulator.resetStats();
      await stack.preview(["--expect-no-changes", "--target", leads.urn]);
      assert.equal((await emulator.stats()).total, 0);
    });
  });

  describe("two orgs through two explicit providers (test/programs/plugin-two-orgs)", () => {
    let stack: PulumiStack;
    before(async () => {
      await emulator.reset();
      await emulator.addOrg({ id: ORG_EU, companyName: "Org EU", credentials: EU });
      stack = await newStack("test/programs/plugin-two-orgs", [
        ...["--plaintext", `zohoUrl=${emulator.url}`],
        ...["--plaintext", `usClientId=${DEMO_CREDENTIALS.clientId}`],
        ...["--secret", `usClientSecret=${DEMO_CREDENTIALS.clientSecret}`],
        ...["--secret", `usRefreshToken=${DEMO_CREDENTIALS.refreshToken}`],
        ...["--plaintext", `euClientId=${EU.clientId}`],
        ...["--secret", `euClientSecret=${EU.clientSecret}`],
        ...["--secret", `euRefreshToken=${EU.refreshToken}`],
      ]);
    });

    it("up makes each channel live in its own org, and destroy leaves 0 channels live in both", async () => {
      await stack.up();
      const state = await stack.resourcesOfType(TYPE);
      const us = byName(state, "usDeals")?.id;
      const eu = byName(state, "euDeals")?.id;
      assert.ok(us && eu, "both channels in state");
      assert.deepEqual(
        (await live()).map((c) => c.channelId),
        [us],
        "the default org has the us channel only",
      );
      assert.deepEqual(
        (await live(ORG_EU)).map((c) => c.channelId),
        [eu],
        "org EU has the eu channel only",
      );
      const exported = await stack.exportText();
      for (const secret of [EU.clientSecret, EU.refreshToken, DEMO_CREDENTIALS.clientSecret]) {
        assert.ok(!exported.includes(secret), "provider credentials encrypted in state");
      }

      await stack.destroy();
      assert.deepEqual(await live(), []);
      assert.deepEqual(await live(ORG_EU), []);
    });
  });
});
