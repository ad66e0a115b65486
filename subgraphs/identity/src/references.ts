import { byKeys, type SubgraphContext } from '@salesgraph/platform';
import { Organization, User } from './entities/index.js';

/**
 * Entity references other subgraphs resolve here (`_entities`). Each batches through a per-request
 * DataLoader, called synchronously so one `_entities` call is one query, and never crosses tenants:
 * a foreign or unknown id resolves to null.
 */
export const referenceResolvers = {
  User: {
    __resolveReference: ({ id }: { id: string }, { em, identity, loaders }: SubgraphContext) => {
      const organizationId = identity.organizationId;
      return loaders
        .get<number, User>(
          'userReference',
          async (ids) =>
            byKeys(
              ids,
              organizationId ? await em.find(User, { id: { $in: [...ids] }, organization: organizationId }) : [],
              (u) => u.id,
            ) as User[],
        )
        .load(Number.isSafeInteger(Number(id)) ? Number(id) : 0);
    },
  },
  Organization: {
    __resolveReference: ({ id }: { id: string }, { em, identity }: SubgraphContext) =>
      id === identity.organizationId ? em.findOne(Organization, { id }) : null,
  },
};
