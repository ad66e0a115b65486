import { defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { buildLeadsSchema } from './schema.js';

/** The leads subgraph. */
export const leads = defineSubgraph({
  name: 'leads',
  entities,
  migrations,
  schema: buildLeadsSchema,
  // Subgraphs it reads from through `peer()`, resolver instances with dependencies (`start`), and what it
  // adds to the gateway (webhook routes, realtime hooks) are declared here too: see ARCHITECTURE.md.
});
