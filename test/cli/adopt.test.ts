// `zoho-watch adopt`: the printed declarations are a program that type-checks against the package's
// own types, and that, run by the real Pulumi CLI against the emulator, takes the live channels over
// as they are — same ids, events, URL and condition — after which `status --state` is healthy.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { PulumiStack, repoRoot, run } from "../../harness/pulumi-stack";
import { providerConfig, startTestEmulator } from "../../harness/emulator";
import { StatusReportSchema } from "../../cli/report";
import { ZohoWatchClient } from "../../provider/client";
import { emulatorEnv, leakedSecrets, runCli, watchApi } from "./support";

const KEYED = { id: "1105420521999070702", token: "tok-adopt-keyed-5b", key: "k-adopt-0e71" };
const FILTERED = { id: "200", token: "tok-adopt-filtered-9c" };
const TRAPPED = { id: "201", token: "tok-adopt-trapped-3a" };
const SECRETS = [KEYED.token, KEYED.key, FILTERED.token, TRAPPED.token];

describe("zoho-watch adopt: declarations for live channels a stack does not manage", function () {
  this.timeout(240_000);
  let emulator: RunningEmulator;
  let program: string;
  let dir: string;

  before(async () => {
    emulator = await startTestEmulator();
    const client = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });
    const expiry = DateTime.fromISO(await emulator.now()).plus({ days: 2 });
    const outcomes = await client.enable([
      {
        channelId: KEYED.id,
        events: ["Deals.all", "Contacts.create"],
        notifyUrl: `https://hooks.example.com/zoho?key=${KEYED.key}`,
        token: KEYED.token,
        channelExpiry: expiry,
      },
      {
        channelId: FILTERED.id,
        events: ["Leads.edit"],
        notifyUrl: "http://127.0.0.1:9/leads",
        token: FILTERED.token,
        notifyOnRelatedAction: false,
        notificationCondition: [
          {
            type: "field_selection",
            module: { apiName: "Leads" },
            fieldSelection: {
              groupOperator: "and",
              group: [
                { field: { apiName: "Email" } },
                {
                  groupOperator: "or",
                  group: [{ field: { apiName: "Phone" } }, { field: { apiName: "Mobile" } }],
                },
              ],
            },
          },
        ],
        channelExpiry: expiry,
      },
      {
        channelId: TRAPPED.id,
        events: ["Tasks.create"],
        notifyUrl: "http://127.0.0.1:9/tasks",
        token: TRAPPED.token,
        channelExpiry: expiry,
      },
    ]);
    assert.ok(outcomes.every((o) => o.ok));
    await client.close();
    await watchApi(emulator, "PATCH", { watch: [{ channel_id: TRAPPED.id, events: ["Tasks.create"] }] });

    const result = await runCli(["adopt"], emulatorEnv(emulator));
    assert.equal(result.code, 0, result.output);
    program = result.stdout;
    dir = path.join(repoRoot, ".state", `cli-adopt-${randomBytes(4).toString("hex")}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "index.ts"), program);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    await emulator?.close();
  });

  it("declares each live channel with its id, events, URL and condition, adopt: true, and no secret", () => {
    assert.deepEqual(leakedSecrets(program, SECRETS), []);
    assert.match(
      program,
      new RegExp(`channelId: "${KEYED.id}",\\n  events: \\["Deals.all", "Contacts.create"\\],`),
    );
    // The keyed URL is not printed: the program reads it from a config secret.
    assert.match(program, new RegExp(`notifyUrl: config\\.requireSecret\\("notifyUrl-${KEYED.id}"\\)`));
    assert.match(program, new RegExp(`pulumi config set --secret notifyUrl-${KEYED.id} `));
    assert.match(program, /notifyUrl: "http:\/\/127\.0\.0\.1:9\/leads",/);
    assert.match(program, /notifyOnRelatedAction: false,/);
    assert.match(program, /groupOperator: "or",/);
    assert.match(
      program,
      new RegExp(`token: config\\.requireSecret\\("token-${TRAPPED.id}"\\), // Zoho holds none now`),
    );
    assert.equal(program.match(/ {2}adopt: true,/g)?.length, 3);
  });

  it("type-checks against the package's types (tsc --noEmit)", async () => {
    await writeFile(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2023",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
        },
        files: ["index.ts"],
      }),
    );
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", dir, "--pretty", "false"], dir, process.env);
    const errors = result.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
    assert.deepEqual(errors, [], result.stdout);
  });

  it("--snippet pastes into an existing program that already has the imports and `const config` (strict tsc)", async () => {
    const snippet = await runCli(["adopt", "--snippet"], emulatorEnv(emulator));
    assert.equal(snippet.code, 0, snippet.output);
    assert.deepEqual(leakedSecrets(snippet.stdout, SECRETS), []);
    assert.doesNotMatch(snippet.stdout, /^import /m, "the program's own imports serve");
    assert.doesNotMatch(snippet.stdout, /^const /m, "nothing declared at the top level");
    assert.equal(snippet.stdout.match(/ {2}adopt: true,/g)?.length, 3);
    const existing = [
      'import * as pulumi from "@pulumi/pulumi";',
      'import { WatchChannel } from "pulumi-zoho-watch";',
      "",
      "const config = new pulumi.Config();",
      "",
      'new WatchChannel("orders", {',
      '  events: ["Deals.all"],',
      '  notifyUrl: "https://hooks.example.com/orders",',
      '  token: config.requireSecret("ordersToken"),',
      "});",
      "",
    ].join("\n");
    const pasted = path.join(dir, "pasted");
    await mkdir(pasted, { recursive: true });
    await writeFile(path.join(pasted, "index.ts"), `${existing}${snippet.stdout}`);
    await writeFile(
      path.join(pasted, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2023",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          noUnusedLocals: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
        },
        files: ["index.ts"],
      }),
    );
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", pasted, "--pretty", "false"], pasted, process.env);
    const errors = result.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
    assert.deepEqual(errors, [], result.stdout);
  });

  it("pasted into a stack: preview plans no replacement, up takes the channels over as they are, status --state is healthy", async () => {
    await writeFile(
      path.join(dir, "Pulumi.yaml"),
      "name: adopted\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
    );
    const { config, secrets } = providerConfig(emulator.url);
    const stack = await PulumiStack.create({
      program: dir,
      config,
      secrets: {
        ...secrets,
        // What the printed instructions ask for.
        [`token-${KEYED.id}`]: KEYED.token,
        [`notifyUrl-${KEYED.id}`]: `https://hooks.example.com/zoho?key=${KEYED.key}`,
        [`token-${FILTERED.id}`]: FILTERED.token,
        [`token-${TRAPPED.id}`]: TRAPPED.token,
      },
    });
    try {
      const before = await emulator.channels();
      const steps = await stack.previewSteps();
      const channelSteps = steps.filter((s) => s.urn.includes("zoho:WatchChannel"));
      assert.equal(channelSteps.length, 3);
      assert.deepEqual(
        channelSteps.filter((s) => s.op !== "create").map((s) => `${s.op} ${s.urn}`),
        [],
        "a new stack creates (adopts) each declaration; nothing is replaced or deleted",
      );

      await stack.up();
      const after = new Map((await emulator.channels()).filter((c) => c.live).map((c) => [c.channelId, c]));
      for (const old of before.filter((c) => c.live)) {
        const now = after.get(old.channelId);
        assert.ok(now, `${old.channelId} is still live`);
        assert.deepEqual([...now.events].sort(), [...old.events].sort(), `${old.channelId} events`);
        assert.equal(now.notifyUrl, old.notifyUrl, `${old.channelId} URL`);
        assert.deepEqual(now.notificationCondition ?? null, old.notificationCondition ?? null);
      }
      assert.equal(after.get(TRAPPED.id)?.token, TRAPPED.token, "the trapped channel has its token back");
      assert.equal(after.size, 3, "no channel was added");

      const status = await runCli(
        ["status", "--json", "--state", "-"],
        emulatorEnv(emulator),
        await stack.exportText(),
      );
      assert.equal(status.code, 0, status.output);
      const report = StatusReportSchema.parse(JSON.parse(status.stdout));
      assert.deepEqual(
        report.channels.map((c) => [c.channelId, c.managed, c.findings.length]).sort(),
        [
          [KEYED.id, true, 0],
          [FILTERED.id, true, 0],
          [TRAPPED.id, true, 0],
        ].sort(),
      );
      const again = await runCli(["adopt", "--state", "-"], emulatorEnv(emulator), await stack.exportText());
      assert.match(again.stdout, /nothing to adopt/);
    } finally {
      await stack.dispose();
    }
  });
});
