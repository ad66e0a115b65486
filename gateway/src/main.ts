import { loadSettings, subgraphUrlsOf } from '@salesgraph/platform';
import { subgraphs } from '@salesgraph/registry';
import { startProduct } from './runtime.js';

// `npm start`: the whole product in one process on the embedded database, or on DATABASE_URL.
const settings = loadSettings();
const { rateLimits } = settings.gateway;
const product = await startProduct({
  settings,
  port: settings.port,
  host: settings.host,
  subgraphUrls: subgraphUrlsOf(subgraphs.map((s) => s.name)),
  rateLimits: { anonymousPerWindow: rateLimits.anonymousPerMinute, authenticatedPerWindow: rateLimits.authenticatedPerMinute },
  corsOrigins: settings.gateway.corsOrigins,
  trustProxy: settings.gateway.trustProxy,
  webhookPerMinute: rateLimits.webhookPerMinute,
});
console.log(`gateway at ${product.url}/ (playground at /graphql, REST docs at /docs)`);
const database = product.db?.kind === 'pglite' ? `embedded PostgreSQL in ${product.db.dataDir ?? 'memory'}` : 'PostgreSQL server';
console.log(`subgraphs in this process: ${[...product.subgraphs.keys()].join(', ') || 'none'} on ${database}`);
const counted = {
  redis: 'in Redis, shared by every replica',
  postgres: 'in PostgreSQL, shared by every replica',
  memory: 'in this process',
};
console.log(`rate limits counted ${counted[product.counters.kind]}`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    product.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  });
}
