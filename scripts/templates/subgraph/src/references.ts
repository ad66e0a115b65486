import { byKeys, type SubgraphContext } from '@salesgraph/platform';
import { __Name__Note } from './entities/index.js';
import { visibleNotes } from './services/notes.js';

/** Entities other subgraphs resolve here, batched per request and never across tenants (null when not visible). */
export const referenceResolvers = {
  __Name__Note: {
    __resolveReference: ({ id }: { id: string }, { em, identity, loaders }: SubgraphContext) =>
      loaders
        .get<number, __Name__Note | null>('__name__NoteReference', async (ids) => {
          const visible = visibleNotes(identity);
          if (!visible) return ids.map(() => null);
          const rows = await em.find(__Name__Note, { ...visible, id: { $in: ids.filter((i) => Number.isSafeInteger(i)) } });
          return byKeys(ids, rows, (n) => n.id);
        })
        .load(Number(id)),
  },
};
