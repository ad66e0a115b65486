import { loadSettings } from '@salesgraph/platform';
import { startProduct } from './runtime.js';
import { subgraphs } from './subgraphs.js';

// `npm start`: the whole product in one process on the embedded database, or on DATABASE_URL.
const settings = loadSettings();
const subgraphUrls = Object.fromEntries(
  subgraphs.flatMap((s) => {
    const url = process.env[`SUBGRAPH_${s.name.toUpperCase()}_URL`];
    return url ? [[s.name, url]] : [];
  }),
);
const perMinute = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const product = await startProduct({
  settings,
  port: Number(process.env.PORT ?? 4000),
  host: settings.host,
  subgraphUrls,
  rateLimits: { anonymousPerWindow: perMinute('RATE_LIMIT_ANONYMOUS_PER_MINUTE'), authenticatedPerWindow: perMinute('RATE_LIMIT_AUTHENTICATED_PER_MINUTE') },
  corsOrigins: process.env.CORS_ORIGINS ? process.env.CORS_ORIGINS.split(',').map((o) => o.trim()) : '*',
  trustProxy: process.env.TRUST_PROXY ?? false,
  webhookPerMinute: perMinute('RATE_LIMIT_WEBHOOK_PER_MINUTE'),
});
console.log(`gateway at ${product.url}/graphql (playground), REST docs at ${product.url}/docs`);
const database = product.db?.kind === 'pglite' ? `embedded PostgreSQL in ${product.db.dataDir ?? 'memory'}` : 'PostgreSQL server';
console.log(`subgraphs in this process: ${[...product.subgraphs.keys()].join(', ') || 'none'} on ${database}`);

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
