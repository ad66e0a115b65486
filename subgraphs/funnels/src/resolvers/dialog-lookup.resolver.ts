import { Arg, Authorized, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { isUuid, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { Dialog } from '../entities/index.js';
import { visibleDialogs } from '../services/access.js';

/** The most ids one `visibleDialogIds` answers (a batch of the gateway's `_entities` is one page, at most 200). */
const MAX_IDS = 1_000;

/**
 * What other subgraphs ask funnels, never the public API (`@inaccessible`): whether the caller may see dialogs
 * they add fields to (the ai subgraph's `Dialog.aiCost`), so their `Dialog` resolves only within the caller's view.
 */
@Resolver()
export class DialogLookupResolver {
  @Directive('@inaccessible')
  @Authorized()
  @Query(() => [ID], { description: 'Internal: those of `ids` that are dialogs the caller may see' })
  async visibleDialogIds(@Arg('ids', () => [ID]) ids: string[], @Ctx() { em, identity }: SubgraphContext): Promise<string[]> {
    const caller = requireRole(identity);
    const keys = [...new Set(ids.slice(0, MAX_IDS).map((id) => id.toLowerCase()))].filter(isUuid);
    if (!keys.length) return [];
    const rows = await em.find(Dialog, { id: { $in: keys }, ...visibleDialogs(caller) }, { fields: ['id'] });
    return rows.map((dialog) => dialog.id);
  }
}
