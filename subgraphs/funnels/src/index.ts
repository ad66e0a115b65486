import { defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { buildFunnelsSchema } from './schema.js';

/** The funnels subgraph. */
export const funnels = defineSubgraph({
  name: 'funnels',
  entities,
  migrations,
  schema: buildFunnelsSchema,
  // Subgraphs it reads from through `peer()`, resolver instances with dependencies (`start`), and what it
  // adds to the gateway (webhook routes, realtime hooks) are declared here too: see ARCHITECTURE.md.
});
