// The channel program of perf/programs/channels with a do-nothing dynamic resource in place of
// WatchChannel: the same config, names and inputs, no API call. It measures what the engine itself
// costs for N dynamic resources. Raising the `generation` config replaces every resource, as a
// renewal replaces every channel. The `extraKeys` config (a JSON list) adds property keys with
// undefined values, as a WatchChannel gives the SDK its output-only keys: the benchmark's shape study.
import * as pulumi from "@pulumi/pulumi";

interface Group {
  name: string;
  count: number;
  idBase: string;
  events: string[];
}

interface Inputs {
  channelId: string;
  generation: number;
  [key: string]: unknown;
}

const noopProvider: pulumi.dynamic.ResourceProvider<Inputs, Inputs> = {
  create: (inputs) => Promise.resolve({ id: inputs.channelId, outs: inputs }),
  diff: (_id, olds, news) =>
    Promise.resolve({
      changes: JSON.stringify(olds) !== JSON.stringify(news),
      replaces: olds.generation === news.generation ? [] : ["generation"],
    }),
  update: (_id, _olds, news) => Promise.resolve({ outs: news }),
};

class Noop extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, pulumi.Input<unknown>>) {
    super(noopProvider, name, args, {}, "bench", "Noop");
  }
}

const config = new pulumi.Config();
const groups = config.requireObject<Group[]>("groups");
const receiverUrl = config.require("receiverUrl");
const token = config.requireSecret("token");
const generation = config.getNumber("generation") ?? 1;
const extraKeys = Object.fromEntries(
  (config.getObject<string[]>("extraKeys") ?? []).map((key) => [key, undefined]),
);

let declared = 0;
for (const group of groups) {
  for (let i = 0; i < group.count; i += 1) {
    new Noop(`${group.name}-${i}`, {
      channelId: (BigInt(group.idBase) + BigInt(i)).toString(),
      events: group.events,
      notifyUrl: `${receiverUrl}/${group.name}/${i}`,
      token: pulumi.secret(pulumi.interpolate`${token}-${i}`),
      generation,
      ...extraKeys,
    });
    declared += 1;
  }
}

export const channels = declared;
