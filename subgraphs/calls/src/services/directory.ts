import { conflict, executeOperation, notFound, type Identity, type SubgraphClient } from '@salesgraph/platform';
import { CallsUserLookupDocument } from '../generated/identity.js';

/**
 * Asks the identity subgraph about users, as the caller (so its tenant rules apply): calls never reads
 * identity's tables.
 */
export class UserDirectory {
  constructor(private readonly identity: () => SubgraphClient) {}

  /** The user's presence status (`ONLINE`, `AWAY`, `BUSY`, `OFFLINE`); NOT_FOUND when not a user of the caller's organization. */
  async statusOf(caller: Identity, userId: number): Promise<string> {
    const { user } = await executeOperation(this.identity(), CallsUserLookupDocument, { id: String(userId) }, caller);
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
