import { Arg, Authorized, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { MAX_INTEGER_ID, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { Call } from '../entities/index.js';
import { visibleCalls } from '../services/access.js';

/** The most ids one `visibleCallIds` answers (a batch of the gateway's `_entities` is one page, at most 200). */
const MAX_IDS = 1_000;

/**
 * What other subgraphs ask calls, never the public API (`@inaccessible`): whether the caller may see calls
 * they add fields to (funnels' `Call.dialogs`), so their `Call` resolves only within the caller's view.
 */
@Resolver()
export class CallLookupResolver {
  @Directive('@inaccessible')
  @Authorized()
  @Query(() => [ID], { description: 'Internal: those of `ids` that are calls the caller may see' })
  async visibleCallIds(@Arg('ids', () => [ID]) ids: string[], @Ctx() { em, identity }: SubgraphContext): Promise<string[]> {
    const caller = requireRole(identity);
    const keys = [...new Set(ids.slice(0, MAX_IDS).map(Number))].filter((n) => Number.isSafeInteger(n) && n > 0 && n <= MAX_INTEGER_ID);
    if (!keys.length) return [];
    const rows = await em.find(Call, { id: { $in: keys }, ...visibleCalls(caller) }, { fields: ['id'] });
    return rows.map((call) => String(call.id));
  }
}
