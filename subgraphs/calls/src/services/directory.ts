import { conflict, notFound, type Identity, type SubgraphClient } from '@salesgraph/platform';

const USER_QUERY = /* GraphQL */ `query CallsUserLookup($id: ID!) { user(id: $id) { id status } }`;

/**
 * Asks the identity subgraph about users, as the caller (so its tenant rules apply): calls never reads
 * identity's tables.
 */
export class UserDirectory {
  constructor(private readonly identity: () => SubgraphClient) {}

  /** The user's presence status (`ONLINE`, `AWAY`, `BUSY`, `OFFLINE`); NOT_FOUND when not a user of the caller's organization. */
  async statusOf(caller: Identity, userId: number): Promise<string> {
    const response = await this.identity().execute({ query: USER_QUERY, variables: { id: String(userId) }, operationName: 'CallsUserLookup' }, caller);
    if (response.errors?.length) throw new Error(`identity lookup failed: ${response.errors[0].message}`);
    const user = (response.data as { user: { status: string } | null } | null)?.user;
    if (!user) throw notFound(`User ${userId}`);
    return user.status;
  }

  async assertExists(caller: Identity, userId: number): Promise<void> {
    await this.statusOf(caller, userId);
  }

  async assertOnline(caller: Identity, userId: number): Promise<void> {
    const status = await this.statusOf(caller, userId);
    if (status !== 'ONLINE') throw conflict(`User ${userId} is not available (status: ${status.toLowerCase()})`);
  }
}
