// The resource model: the one description of the inputs and outputs that check, both doors, the
// plugin's schema and the docs follow.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  INPUT_NAMES,
  OUTPUT_ONLY_NAMES,
  REPLACING_INPUT_NAMES,
  REQUIRED_INPUT_NAMES,
  UPDATING_INPUT_NAMES,
  WATCH_CHANNEL_PROPERTIES,
} from "../../provider/channel/model";
import { checkInputs } from "../../provider/channel/inputs";
import { diffChannel, type WatchChannelOutputs } from "../../provider/channel/diff";
import { DateTime } from "luxon";

const root = path.resolve(__dirname, "..", "..", "..");
const valid = {
  channelId: "1000000068001",
  events: ["Deals.create"],
  notifyUrl: "https://hooks.example.com/zoho",
};

describe("the WatchChannel model", function () {
  it("check refuses exactly the keys the model does not name, and requires its required inputs", function () {
    const unknown = checkInputs({ ...valid, notifyURL: "x" }, "v8").failures;
    assert.deepEqual(
      unknown.map((f) => f.property),
      ["notifyURL"],
    );
    for (const name of OUTPUT_ONLY_NAMES) {
      assert.deepEqual(checkInputs({ ...valid, [name]: undefined }, "v8").failures, [], name);
    }
    for (const name of REQUIRED_INPUT_NAMES) {
      const rest: Record<string, unknown> = { ...valid };
      delete rest[name];
      const failures = checkInputs(rest, "v8").failures.map((f) => f.property);
      assert.ok(failures.includes(name), `${name} left out: ${failures.join(", ")}`);
    }
  });

  it("the inputs a change of which replaces the channel are the ones diff replaces on", function () {
    const olds = {
      ...checkInputs(valid, "v8").inputs,
      connection: "a",
      channelExpiry: "2099-01-01T00:00:00Z",
      apiVersion: "v8",
      modules: [],
    } as unknown as WatchChannelOutputs;
    const changed = { ...olds, channelId: "1000000068002", connection: "b" };
    const { replaces } = diffChannel(olds, changed, "v8", DateTime.utc());
    assert.deepEqual([...replaces].sort(), [...REPLACING_INPUT_NAMES].sort());
    // Every input is either replacing, updating, or ignored by diff; none is both.
    for (const name of UPDATING_INPUT_NAMES) assert.ok(!REPLACING_INPUT_NAMES.includes(name as never));
  });

  it("docs/resource.md documents every input and every output-only property", function () {
    const doc = readFileSync(path.join(root, "docs", "resource.md"), "utf8");
    for (const name of [...INPUT_NAMES, ...OUTPUT_ONLY_NAMES]) {
      assert.match(doc, new RegExp(`^\\| \`${name}\` +\\|`, "m"), `${name} has no row in docs/resource.md`);
    }
  });

  it("marks the token, and only the token, as always secret", function () {
    const secrets = Object.entries(WATCH_CHANNEL_PROPERTIES)
      .filter(([, spec]) => "secret" in spec && spec.secret === "always")
      .map(([name]) => name);
    assert.deepEqual(secrets, ["token"]);
  });
});
