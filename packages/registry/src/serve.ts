import { HttpSubgraphClient, IdentitySigner, loadSettings, openDatabase, subgraphUrlsOf } from '@salesgraph/platform';
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
// Loopback unless HOST says otherwise (settings): a subgraph is reached through the gateway, not from outside.
const url = await server.listen(settings.port ?? subgraph.port, settings.host);
console.log(`${subgraph.name} subgraph at ${url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server
      .stop()
      .then(() => db.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('shutdown failed', error);
          process.exit(1);
        },
      );
  });
}
