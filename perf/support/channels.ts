/**
 * The channels that perf/programs/channels declares from its `groups` config, computed the same way
 * on the driver's side: names, channel ids, notify URLs and tokens.
 */

/** One group of channels in the program's `groups` config. */
export interface ChannelGroup {
  /** Resource names are `<name>-<i>`. */
  name: string;
  count: number;
  /** Channel ids are idBase + i (decimal strings; Zoho ids exceed 2^53). */
  idBase: string;
  events: string[];
  expiresIn?: string;
  renewBefore?: string;
}

/** One declared channel. */
export interface DeclaredChannel {
  group: string;
  index: number;
  name: string;
  channelId: string;
  events: string[];
  notifyUrl: string;
  token: string;
}

/** Every channel the program declares for these groups. */
export function declaredChannels(
  groups: readonly ChannelGroup[],
  receiverUrl: string,
  token: string,
): DeclaredChannel[] {
  return groups.flatMap((group) =>
    Array.from({ length: group.count }, (_, index) => ({
      group: group.name,
      index,
      name: `${group.name}-${index}`,
      channelId: (BigInt(group.idBase) + BigInt(index)).toString(),
      events: group.events,
      notifyUrl: `${receiverUrl}/${group.name}/${index}`,
      token: `${token}-${index}`,
    })),
  );
}

/** The modules a list of events subscribes to (`Deals.all` → Deals). */
export function modulesOf(events: readonly string[]): string[] {
  return [...new Set(events.map((event) => event.split(".")[0] ?? ""))];
}

/** Whether `events` subscribe to `operation` on `module` (`X.all` covers every operation). */
export function subscribes(events: readonly string[], module: string, operation: string): boolean {
  return events.some((event) => event === `${module}.${operation}` || event === `${module}.all`);
}
