/**
 * What one provider process learns about channels during one Pulumi operation (`up`, `preview`,
 * `refresh`, `destroy`): the facts the lifecycle's decisions rest on, instead of guesses.
 *
 * The engine runs one provider process per operation and calls it once per resource: `check` and
 * `diff` for every resource the program declares, then `create`/`update`, and the deletes last, after
 * the program has finished (pending deletes of an earlier, interrupted run included). So by the time
 * a delete runs, every channel id the program declares has passed through `check`.
 *
 *  - **declared**: channel ids a resource of the program being run declares. A delete leaves a
 *    declared channel subscribed: it belongs to the resource that declares it (the replacement of a
 *    renewal, or a resource that took over the id). `pulumi destroy` runs no program, so it declares
 *    nothing and every delete disables.
 *  - **stored**: channel ids this stack's state holds, with the expiry stored for them, as `diff`,
 *    `update` and `read` saw them. A create for such an id is this stack renewing or replacing its own
 *    channel, never a takeover of someone else's.
 *  - **written**: the expiry this process wrote and Zoho confirmed, or null once it disabled the
 *    channel or Zoho said it is not subscribed.
 */
import type { DateTime } from "luxon";

/**
 * The per-run memory of a provider process, one {@link ChannelMemory} per org endpoint: a channel id
 * names a channel only within its org, so what a run learns about channel 42 through one
 * connection says nothing about channel 42 in another data centre.
 *
 * The scope is the endpoint (accounts server and API domain) a connection resolves to, not its
 * name: two connections to one org (say v2 and v8) share it, so moving a channel between them never
 * disables it. Two orgs in one data centre also share it; see README "Limits".
 */
export class RunMemory {
  private readonly scopes = new Map<string, ChannelMemory>();

  /** The memory of one endpoint's channels. */
  scope(endpoint: string): ChannelMemory {
    let memory = this.scopes.get(endpoint);
    if (!memory) {
      memory = new ChannelMemory();
      this.scopes.set(endpoint, memory);
    }
    return memory;
  }
}

/** What a run learned about the channels of one endpoint; see the module comment. */
export class ChannelMemory {
  private readonly declared = new Set<string>();
  private readonly stored = new Map<string, number>();
  private readonly written = new Map<string, DateTime | null>();

  /** A resource of the program declares `channelId` (from `check`, `diff`, `create`, `update`). */
  declare(channelId: string): void {
    this.declared.add(channelId);
  }

  /** Whether a resource of the program being run declares `channelId`. */
  isDeclared(channelId: string): boolean {
    return this.declared.has(channelId);
  }

  /** This stack's state holds `channelId` with `channelExpiry` (from `diff`, `update`, `read`). */
  noteStored(channelId: string, channelExpiry: string | undefined): void {
    const at = channelExpiry === undefined ? NaN : Date.parse(channelExpiry);
    this.stored.set(channelId, Number.isFinite(at) ? at : (this.stored.get(channelId) ?? NaN));
  }

  /** Whether this stack's state holds `channelId` (seen in this run). */
  isStored(channelId: string): boolean {
    return this.stored.has(channelId);
  }

  /** Epoch ms of the stored expiry, if this process saw a readable one. */
  storedExpiry(channelId: string): number | undefined {
    const at = this.stored.get(channelId);
    return at === undefined || Number.isNaN(at) ? undefined : at;
  }

  /** Records what this process wrote: the confirmed expiry, or null when it is no longer subscribed. */
  noteWritten(channelId: string, expiry: DateTime | null): void {
    this.written.set(channelId, expiry);
  }

  /** Forgets a write whose expiry Zoho did not say: the next question goes to Zoho. */
  forgetWritten(channelId: string): void {
    this.written.delete(channelId);
  }

  /** What this process wrote: an expiry, null (gone), or undefined (nothing written). */
  writtenExpiry(channelId: string): DateTime | null | undefined {
    return this.written.get(channelId);
  }
}
