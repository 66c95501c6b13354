/**
 * The delete decision's scope: a channel id names a channel only within its org, so a delete leaves
 * a channel subscribed only when a resource of the run declares that id **in the same org**. A
 * connection's name is not an org (two connections may reach one org, say on v2 and v8, and a
 * renamed connection still does), and neither is an endpoint (two orgs may share a data centre). The
 * org is what Zoho says it is (`GET /crm/{version}/org`), asked only when the decision depends on it.
 */

/** What {@link declarerInSameOrg} decides from. Connections are keys: a name, or "" for the unnamed settings. */
export interface DeleteScopeFacts {
  /** The connection of the resource being deleted. */
  readonly connection: string;
  /** The connections through which resources of the run being run declare the channel id. */
  readonly declaredThrough: readonly string[];
  /** The endpoint (accounts server and API domain) a connection resolves to: its data centre. */
  readonly endpointOf: (connection: string) => string;
  /** The id of the org a connection's credentials act in, as Zoho answers it; rejects when Zoho cannot say. */
  readonly orgOf: (connection: string) => Promise<string>;
}

/**
 * The connection through which a resource of the run declares the channel in the org of the
 * resource being deleted, or undefined when none does: then the delete disables the channel.
 *
 * Zoho is asked only when the answer depends on it: nothing is asked when no resource declares the
 * id (a `pulumi destroy`, a resource removed from the program), when it is declared through the
 * deleted resource's own connection (a renewal: same credentials, same org), or only through
 * connections of other endpoints (another data centre is another org). A failure to learn an org
 * rejects: guessing either way could disable a live channel or leave an orphan one subscribed.
 */
export async function declarerInSameOrg(facts: DeleteScopeFacts): Promise<string | undefined> {
  const { connection, declaredThrough, endpointOf, orgOf } = facts;
  if (declaredThrough.includes(connection)) return connection;
  const endpoint = endpointOf(connection);
  const candidates = declaredThrough.filter((other) => endpointOf(other) === endpoint);
  if (candidates.length === 0) return undefined;
  const org = await orgOf(connection);
  for (const other of candidates) {
    if ((await orgOf(other)) === org) return other;
  }
  return undefined;
}
