import { byKeys, type SubgraphContext } from '@salesgraph/platform';
import { Funnel } from '../entities/index.js';

/** The funnel a dialog, connection or widget points to, one statement per request for all of them. */
export function funnelOf(ctx: SubgraphContext, funnel: { id: string } | null | undefined): Promise<Funnel | null> | null {
  if (!funnel) return null;
  return ctx.loaders
    .get<string, Funnel | null>('funnelById', async (ids) => byKeys(ids, await ctx.em.find(Funnel, { id: { $in: [...ids] } }), (f) => f.id))
    .load(funnel.id);
}
