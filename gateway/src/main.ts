import { configureLogging, loadSettings, log, startTracing, subgraphUrlsOf } from '@salesgraph/platform';
import { subgraphs } from '@salesgraph/registry';
import { startProduct } from './runtime.js';

// `npm start`: the whole product in one process on the embedded database, or on DATABASE_URL.
const settings = loadSettings();
configureLogging(settings.logging);
// Before anything serves: with OTEL_EXPORTER_OTLP_ENDPOINT set, requests are traced from the first one.
const tracing = startTracing(settings.tracing, 'salesgraph-gateway');
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
const database = product.db?.kind === 'pglite' ? `embedded PostgreSQL in ${product.db.dataDir ?? 'memory'}` : 'PostgreSQL server';
log.info(
  { url: product.url, subgraphs: [...product.subgraphs.keys()], database },
  `gateway at ${product.url}/ (playground at /graphql, REST docs at /docs)`,
);
const counted = {
  redis: 'in Redis, shared by every replica',
  postgres: 'in PostgreSQL, shared by every replica',
  memory: 'in this process',
};
log.info({ store: product.counters.kind }, `rate limits counted ${counted[product.counters.kind]}`);

// SIGTERM (orchestrators) or SIGINT (Ctrl-C): drain, then exit; past SHUTDOWN_TIMEOUT_SECONDS, exit anyway
// (jobs cut short are retried once they expire). Further signals change nothing.
let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    log.info({ signal, timeoutMs: settings.shutdownTimeoutMs }, 'shutting down');
    setTimeout(() => {
      log.error({ timeoutMs: settings.shutdownTimeoutMs }, 'shutdown took too long, exiting');
      process.exit(1);
    }, settings.shutdownTimeoutMs).unref();
    product
      .close()
      // The spans of the last requests are exported before the process ends.
      .finally(() => tracing.shutdown())
      .then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
