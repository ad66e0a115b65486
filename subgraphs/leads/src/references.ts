import { byKeys, isUuid, type SubgraphContext } from '@salesgraph/platform';
import { Forecast, LeadsNote } from './entities/index.js';
import { visibleForecasts } from './services/forecasts.js';
import { visibleNotes } from './services/notes.js';

/** Entities other subgraphs resolve here, batched per request and never across tenants (null when not visible). */
export const referenceResolvers = {
  LeadsNote: {
    __resolveReference: ({ id }: { id: string }, { em, identity, loaders }: SubgraphContext) =>
      loaders
        .get<number, LeadsNote | null>('leadsNoteReference', async (ids) => {
          const visible = visibleNotes(identity);
          if (!visible) return ids.map(() => null);
          const rows = await em.find(LeadsNote, { ...visible, id: { $in: ids.filter((i) => Number.isSafeInteger(i)) } });
          return byKeys(ids, rows, (n) => n.id);
        })
        .load(Number(id)),
  },
  Forecast: {
    __resolveReference: ({ id }: { id: string }, { em, identity, loaders }: SubgraphContext) =>
      loaders
        .get<string, Forecast | null>('forecastReference', async (ids) => {
          const visible = visibleForecasts(identity);
          if (!visible) return ids.map(() => null);
          const rows = await em.find(Forecast, { ...visible, id: { $in: ids.filter(isUuid) } });
          return byKeys(ids, rows, (f) => f.id);
        })
        .load(String(id).toLowerCase()),
  },
};
