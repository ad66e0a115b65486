import { byKeys, type SubgraphContext } from '@salesgraph/platform';
import { AiNote } from './entities/index.js';
import { visibleNotes } from './services/notes.js';

/** Entities other subgraphs resolve here, batched per request and never across tenants (null when not visible). */
export const referenceResolvers = {
  AiNote: {
    __resolveReference: ({ id }: { id: string }, { em, identity, loaders }: SubgraphContext) =>
      loaders
        .get<number, AiNote | null>('aiNoteReference', async (ids) => {
          const visible = visibleNotes(identity);
          if (!visible) return ids.map(() => null);
          const rows = await em.find(AiNote, { ...visible, id: { $in: ids.filter((i) => Number.isSafeInteger(i)) } });
          return byKeys(ids, rows, (n) => n.id);
        })
        .load(Number(id)),
  },
};
