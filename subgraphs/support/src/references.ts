import { byKeys, isUuid, type SubgraphContext } from '@salesgraph/platform';
import { Ticket, TicketMessage } from './entities/index.js';
import { visibleTickets } from './services/access.js';

const signedIn = ({ identity }: SubgraphContext) =>
  identity.kind === 'anonymous' || identity.userId === undefined || identity.organizationId === undefined || identity.role === undefined
    ? undefined
    : (identity as Parameters<typeof visibleTickets>[0]);

/** Entities other subgraphs resolve here, batched per request and never across tenants (null when not visible). */
export const referenceResolvers = {
  Ticket: {
    __resolveReference: ({ id }: { id: string }, ctx: SubgraphContext) =>
      ctx.loaders
        .get<string, Ticket | null>('ticketReference', async (ids) => {
          const caller = signedIn(ctx);
          if (!caller) return ids.map(() => null);
          const rows = await ctx.em.find(Ticket, { ...visibleTickets(caller), id: { $in: ids.filter(isUuid) } });
          return byKeys(ids, rows, (t) => t.id);
        })
        .load(String(id).toLowerCase()),
  },
  TicketMessage: {
    __resolveReference: ({ id }: { id: string }, ctx: SubgraphContext) =>
      ctx.loaders
        .get<string, TicketMessage | null>('ticketMessageReference', async (ids) => {
          const caller = signedIn(ctx);
          if (!caller) return ids.map(() => null);
          const rows = await ctx.em.find(TicketMessage, { ticket: visibleTickets(caller), id: { $in: ids.filter(isUuid) } });
          return byKeys(ids, rows, (m) => m.id);
        })
        .load(String(id).toLowerCase()),
  },
};
