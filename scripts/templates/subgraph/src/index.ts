import { defineSubgraph } from '@salesgraph/platform';
import { entities } from './entities/index.js';
import { playgroundExamples } from './gateway/playground.js';
import { migrations } from './migrations/index.js';
import { build__Name__Schema } from './schema.js';

/** The __name__ subgraph. */
export const __name__ = defineSubgraph({
  name: '__name__',
  entities,
  migrations,
  schema: build__Name__Schema,
  // Subgraphs it reads from through `peer()`, resolver instances with dependencies (`start`), and what it
  // adds to the gateway (webhook routes, realtime hooks) are declared here too: see ARCHITECTURE.md.
  gateway: { playground: playgroundExamples },
});
