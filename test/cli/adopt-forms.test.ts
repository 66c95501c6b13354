// `zoho-watch adopt`'s forms as plain functions: the plugin's TypeScript (pulumi-zoho-watch/plugin)
// and Pulumi YAML, and the flags that choose them. adopt.test.ts runs the dynamic form through the
// real CLI; these read what each form prints, and parse the YAML.
import assert from "node:assert/strict";
import { load } from "js-yaml";
import { DateTime } from "luxon";
import { adoptionProgram, adoptionSnippet, adoptionYaml } from "../../cli/adopt";
import { parseInvocation, UsageError } from "../../cli/args";
import type { LiveChannel } from "../../cli/live";

const NOW = DateTime.fromISO("2026-03-01T12:00:00Z");

function live(channelId: string, extra: Partial<LiveChannel> = {}): LiveChannel {
  return {
    channelId,
    events: ["Deals.create", "Deals.edit", "Deals.delete", "Contacts.create"],
    channelExpiry: NOW.plus({ days: 2 }),
    notifyUrl: "https://hooks.example.com/zoho",
    token: "tok-live-secret",
    notifyOnRelatedAction: true,
    returnAffectedFieldValues: undefined,
    notificationCondition: null,
    ...extra,
  };
}

const KEYED = live("1105420521999070702", { notifyUrl: "https://hooks.example.com/zoho?key=k-secret" });
const FILTERED = live("200", {
  events: ["Leads.edit"],
  token: null,
  notificationCondition: [
    {
      type: "field_selection",
      module: { apiName: "Leads" },
      fieldSelection: { field: { apiName: "Email" } },
    },
  ] as LiveChannel["notificationCondition"],
});

describe("zoho-watch adopt: the plugin's forms", () => {
  it("--door plugin: the plugin's WatchChannel from pulumi-zoho-watch/plugin, adopt: true, and pulumi import named", () => {
    const program = adoptionProgram([KEYED, FILTERED], NOW, "plugin");
    assert.match(program, /^import \* as zoho from "pulumi-zoho-watch\/plugin";$/m);
    assert.doesNotMatch(program, /from "pulumi-zoho-watch";/);
    assert.equal(program.match(/^new zoho\.WatchChannel\("channel-/gm)?.length, 2);
    assert.equal(program.match(/ {2}adopt: true,/g)?.length, 2);
    assert.match(program, /\/\/ {3}pulumi import zoho-watch:index:WatchChannel channel-200 200$/m);
    assert.doesNotMatch(program, /tok-live-secret|k-secret/);

    const snippet = adoptionSnippet([FILTERED], NOW, "plugin");
    assert.match(snippet, /`\* as zoho` from "pulumi-zoho-watch\/plugin"/);
    assert.match(snippet, /^ {2}new zoho\.WatchChannel\("channel-200", \{$/m);
    assert.doesNotMatch(snippet, /^import /m, "a snippet relies on the program's imports");
  });

  it("the dynamic door stays the default: WatchChannel from pulumi-zoho-watch, no pulumi import", () => {
    const program = adoptionProgram([FILTERED], NOW);
    assert.match(program, /^import \{ WatchChannel \} from "pulumi-zoho-watch";$/m);
    assert.match(program, /^new WatchChannel\("channel-200", \{$/m);
    assert.doesNotMatch(program, /pulumi import/);
  });

  it("--format yaml: config and resources entries that parse, secrets left to secret config", () => {
    const text = adoptionYaml([KEYED, FILTERED], NOW);
    assert.doesNotMatch(text, /tok-live-secret|k-secret/);
    assert.match(text, /^# {3}pulumi config set --secret token-200 /m);
    assert.match(text, /^# {3}pulumi import zoho-watch:index:WatchChannel channel-200 200$/m);
    const parsed = load(text) as {
      config: Record<string, { type: string; secret: boolean }>;
      resources: Record<string, { type: string; properties: Record<string, unknown> }>;
    };
    assert.deepEqual(Object.keys(parsed.config), [
      `token-${KEYED.channelId}`,
      `notifyUrl-${KEYED.channelId}`,
      "token-200",
    ]);
    assert.ok(Object.values(parsed.config).every((entry) => entry.type === "string" && entry.secret));
    assert.deepEqual(parsed.resources[`channel-${KEYED.channelId}`], {
      type: "zoho-watch:WatchChannel",
      properties: {
        channelId: KEYED.channelId, // a string: ids exceed 2^53
        events: ["Deals.all", "Contacts.create"],
        notifyUrl: `\${notifyUrl-${KEYED.channelId}}`,
        token: `\${token-${KEYED.channelId}}`,
        notifyOnRelatedAction: true,
        adopt: true,
      },
    });
    assert.deepEqual(parsed.resources["channel-200"]?.properties.notificationCondition, [
      {
        type: "field_selection",
        module: { apiName: "Leads" },
        fieldSelection: { field: { apiName: "Email" } },
      },
    ]);
    assert.match(text, /token: \$\{token-200\} # Zoho holds none now/);
    assert.match(adoptionYaml([], NOW), /^# zoho-watch adopt at .*nothing to adopt\.\n$/);
  });

  it("reads --door and --format: yaml means the plugin; the dynamic door has no YAML, YAML no --snippet", () => {
    assert.deepEqual((({ door, format }) => ({ door, format }))(parseInvocation(["adopt"])), {
      door: "dynamic",
      format: "typescript",
    });
    assert.equal(parseInvocation(["adopt", "--door", "plugin", "--snippet"]).door, "plugin");
    assert.equal(parseInvocation(["adopt", "--format", "yaml"]).door, "plugin");
    const refused: [string[], RegExp][] = [
      [["adopt", "--door", "dynamic", "--format", "yaml"], /TypeScript or JavaScript programs only/],
      [["adopt", "--format", "yaml", "--snippet"], /--snippet is for TypeScript/],
      [["adopt", "--door", "cli"], /--door "cli": use dynamic or plugin/],
      [["adopt", "--format", "python"], /--format "python": use typescript or yaml/],
      [["status", "--door", "plugin"], /--door belongs to adopt/],
      [["status", "--format", "yaml"], /--format belongs to adopt/],
    ];
    for (const [argv, message] of refused) {
      assert.throws(
        () => parseInvocation(argv),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });
});
