/**
 * Stable channel ids for channels declared without one.
 *
 * The id must not change between runs (a new id is a new channel), and must not collide across
 * stacks or projects that subscribe in the same Zoho org (two stacks sharing an id would overwrite
 * and then disable each other's channel). Hashing the resource's identity gives both.
 */
import { createHash } from "node:crypto";

/** Where a resource lives: the parts of its URN that make it unique across an org's stacks. */
export interface ResourceIdentity {
  organization: string;
  project: string;
  stack: string;
  /** The resource's logical name (its `name` argument). */
  name: string;
}

// Zoho channel ids are Java longs; keep ours in [1e15, 2^62) so they look like Zoho's own
// 16-19 digit ids and never reach the sign bit.
const LOW = 10n ** 15n;
const SPAN = 2n ** 62n - LOW;

/** A decimal channel id derived from the identity; the same identity always gives the same id. */
export function deriveChannelId(identity: ResourceIdentity): string {
  const digest = createHash("sha256")
    .update(
      ["zoho-watch", identity.organization, identity.project, identity.stack, identity.name].join("\u0000"),
    )
    .digest();
  return (LOW + (digest.readBigUInt64BE(0) % SPAN)).toString();
}
