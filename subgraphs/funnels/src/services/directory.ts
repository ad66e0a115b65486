import { executeOperation, notFound, type Identity, type SubgraphClient } from '@salesgraph/platform';
import { FunnelsUserLookupDocument } from '../generated/identity.js';

/** Asks the identity subgraph whether a user exists, as the caller (so its tenant rules apply). */
export class UserDirectory {
  constructor(private readonly identity: () => SubgraphClient) {}

  /** NOT_FOUND unless `userId` is a user of the caller's organization. */
  async assertExists(caller: Identity, userId: number): Promise<void> {
    const { user } = await executeOperation(this.identity(), FunnelsUserLookupDocument, { id: String(userId) }, caller);
    if (!user) throw notFound(`User ${userId}`);
  }
}
