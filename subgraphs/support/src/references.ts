import { byKeys, type SubgraphContext } from '@salesgraph/platform';
import { SupportNote } from './entities/index.js';
import { visibleNotes } from './services/notes.js';

/** Entities other subgraphs resolve here, batched per request and never across tenants (null when not visible). */
export const referenceResolvers = {
  SupportNote: {
    __resolveReference: ({ id }: { id: string }, { em, identity, loaders }: SubgraphContext) =>
      loaders
        .get<number, SupportNote | null>('supportNoteReference', async (ids) => {
          const visible = visibleNotes(identity);
          if (!visible) return ids.map(() => null);
          const rows = await em.find(SupportNote, { ...visible, id: { $in: ids.filter((i) => Number.isSafeInteger(i)) } });
          return byKeys(ids, rows, (n) => n.id);
        })
        .load(Number(id)),
  },
};
