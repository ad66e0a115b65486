import { defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { buildSupportSchema } from './schema.js';

/** The support subgraph. */
export const support = defineSubgraph({
  name: 'support',
  entities,
  migrations,
  schema: buildSupportSchema,
  // Subgraphs it reads from through `peer()`, resolver instances with dependencies (`start`), and what it
  // adds to the gateway (webhook routes, realtime hooks) are declared here too: see ARCHITECTURE.md.
});
