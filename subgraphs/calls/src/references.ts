import type { FilterQuery } from '@mikro-orm/core';
import { byKeys, isUuid, type SubgraphContext } from '@salesgraph/platform';
import { Call, CallEvent, Company } from './entities/index.js';
import { visibleCalls } from './services/access.js';

const idsOf = (ids: readonly number[]) => ids.filter((id) => Number.isSafeInteger(id));

/** Entities other subgraphs resolve here, batched per request and never across tenants (null when not visible). */
export const referenceResolvers = {
  Call: {
    __resolveReference: ({ id }: { id: string }, { em, identity, loaders }: SubgraphContext) =>
      loaders
        .get<number, Call>('callReference', async (ids) => {
          if (identity.kind === 'anonymous' || identity.userId === undefined) return ids.map(() => null) as unknown as Call[];
          const rows = await em.find(Call, { id: { $in: idsOf(ids) }, ...visibleCalls(identity as never) });
          return byKeys(ids, rows, (c) => c.id) as Call[];
        })
        .load(Number(id)),
  },
  CallEvent: {
    __resolveReference: ({ id }: { id: string }, { em, identity, loaders }: SubgraphContext) =>
      loaders
        .get<string, CallEvent>('callEventReference', async (ids) => {
          if (identity.kind === 'anonymous' || identity.userId === undefined) return ids.map(() => null) as unknown as CallEvent[];
          const where = { id: { $in: ids.filter(isUuid) }, organizationId: identity.organizationId, call: visibleCalls(identity as never) };
          return byKeys(ids, await em.find(CallEvent, where as FilterQuery<CallEvent>), (e) => e.id) as CallEvent[];
        })
        .load(String(id)),
  },
  Company: {
    __resolveReference: ({ id }: { id: string }, { em, identity, loaders }: SubgraphContext) =>
      loaders
        .get<number, Company>('companyReference', async (ids) => {
          const rows = identity.organizationId
            ? await em.find(Company, { id: { $in: idsOf(ids) }, organizationId: identity.organizationId })
            : [];
          return byKeys(ids, rows, (c) => c.id) as Company[];
        })
        .load(Number(id)),
  },
};
