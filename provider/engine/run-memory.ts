/**
 * What one provider process learns about channels during one Pulumi operation (`up`, `preview`,
 * `refresh`, `destroy`): the facts the lifecycle's decisions rest on, instead of guesses.
 *
 * The engine runs one provider process per operation and calls it once per resource: `check` and
 * `diff` for every resource the program declares, then `create`/`update`, and the deletes last, after
 * the program has finished (pending deletes of an earlier, interrupted run included). So by the time
 * a delete runs, every channel id the program declares has passed through `check`.
 *
 *  - **declared**: channel ids a resource of the program being run declares, and through which
 *    connection. A delete leaves a channel subscribed when it is declared in the same org: it then
 *    belongs to the resource that declares it (the replacement of a renewal, or a resource that took
 *    over the id); see org-scope.ts for how the org is told. `pulumi destroy` runs no program, so it
 *    declares nothing and every delete disables.
 *  - **stored**: channel ids this stack's state holds, with the expiry stored for them, as `diff`,
 *    `update` and `read` saw them. A create for such an id is this stack renewing or replacing its own
 *    channel, never a takeover of someone else's.
 *  - **written**: the expiry this process wrote and Zoho confirmed, or null once it disabled the
 *    channel or Zoho said it is not subscribed.
 */
import type { DateTime } from "luxon";

/**
 * The per-run memory of a provider process: the declarations, by connection, and one
 * {@link ChannelMemory} per endpoint (accounts server and API domain) for what the run stored and
 * wrote. A channel id names a channel only within its org, so what a run learns about channel 42 in
 * one data centre says nothing about channel 42 in another.
 *
 * Declarations are kept by connection, not by endpoint: two orgs may share a data centre, so the
 * delete decision asks which org each connection acts in (org-scope.ts) rather than trusting the
 * endpoint.
 */
export class RunMemory {
  private readonly scopes = new Map<string, ChannelMemory>();
  private readonly declarations = new Map<string, Set<string>>();

  /** A resource of the program declares `channelId` through `connection` ("" = the unnamed settings). */
  declare(connection: string, channelId: string): void {
    const through = this.declarations.get(channelId) ?? new Set<string>();
    through.add(connection);
    this.declarations.set(channelId, through);
  }

  /** The connections through which resources of the program being run declare `channelId`. */
  declaredThrough(channelId: string): string[] {
    return [...(this.declarations.get(channelId) ?? [])];
  }

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

/** What a run stored and wrote about the channels of one endpoint; see the module comment. */
export class ChannelMemory {
  private readonly stored = new Map<string, number>();
  private readonly written = new Map<string, DateTime | null>();

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
