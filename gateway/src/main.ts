import { loadSettings } from '@salesgraph/platform';
import { subgraphUrlsFrom, subgraphs } from '@salesgraph/registry';
import { startProduct } from './runtime.js';

// `npm start`: the whole product in one process on the embedded database, or on DATABASE_URL.
const settings = loadSettings();
const subgraphUrls = subgraphUrlsFrom(subgraphs, process.env);
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
  process.once(signal, async () => {
    if (closing) return;
    closing = true;
    await product.close();
    process.exit(0);
  });
}
