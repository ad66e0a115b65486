import {
  configureLogging,
  HttpSubgraphClient,
  IdentitySigner,
  loadSettings,
  log,
  openDatabase,
  startTracing,
  subgraphUrlsOf,
} from '@salesgraph/platform';
import { subgraphs } from './subgraphs.js';
import { urlVariableOf } from './register.js';

// `node packages/registry/dist/serve.js <name>`: one subgraph as its own process (docker-compose, scale-out).
// Its peers are reached at their SUBGRAPH_<NAME>_URL; it listens on PORT, else its registered port.
const name = process.argv[2];
const subgraph = subgraphs.find((s) => s.name === name);
if (!subgraph) {
  console.error(`usage: serve.js <${subgraphs.map((s) => s.name).join('|')}>`);
  process.exit(2);
}
const settings = loadSettings();
configureLogging(settings.logging);
const tracing = startTracing(settings.tracing, `salesgraph-${subgraph.name}`);
const signer = new IdentitySigner(settings.gatewaySecret);
const urls = subgraphUrlsOf(subgraph.peers);
const missing = subgraph.peers.filter((peer) => !urls[peer]);
if (missing.length) throw new Error(`${subgraph.name} reads from ${missing.join(', ')}: set ${missing.map(urlVariableOf).join(', ')}`);
const peers = new Map(subgraph.peers.map((peer) => [peer, new HttpSubgraphClient(peer, urls[peer], signer)]));
const db = await openDatabase({ url: settings.databaseUrl, dataDir: `${settings.dataDir}/${subgraph.name}` });
const server = await subgraph.create({
  db,
  signer,
  settings,
  peer: (peer) => peers.get(peer)!,
});
server.metricsAccess = { token: settings.metricsToken, open: !settings.exposed };
// Loopback unless HOST says otherwise (settings): a subgraph is reached through the gateway, not from outside.
const url = await server.listen(settings.port ?? subgraph.port, settings.host);
log.info({ subgraph: subgraph.name }, `${subgraph.name} subgraph at ${url}`);

// As the gateway: drain within SHUTDOWN_TIMEOUT_SECONDS, else exit anyway.
let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    log.info({ subgraph: subgraph.name, signal }, 'shutting down');
    setTimeout(() => {
      log.error({ subgraph: subgraph.name, timeoutMs: settings.shutdownTimeoutMs }, 'shutdown took too long, exiting');
      process.exit(1);
    }, settings.shutdownTimeoutMs).unref();
    server
      .stop(Math.round(settings.shutdownTimeoutMs / 3))
      .then(() => db.close())
      // The spans of the last requests are exported before the process ends.
      .finally(() => tracing.shutdown())
      .then(
        () => {
          log.info({ subgraph: subgraph.name }, 'stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ subgraph: subgraph.name, err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
