import { defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { buildAiSchema } from './schema.js';

/** The ai subgraph. */
export const ai = defineSubgraph({
  name: 'ai',
  entities,
  migrations,
  schema: buildAiSchema,
  // Subgraphs it reads from through `peer()`, resolver instances with dependencies (`start`), and what it
  // adds to the gateway (webhook routes, realtime hooks) are declared here too: see ARCHITECTURE.md.
});

// The offline provider's pure algorithms, for their unit tests (which need no running subgraph).
export * from './services/offline/index.js';
