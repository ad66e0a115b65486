import { HttpSubgraphClient, IdentitySigner, loadSettings, openDatabase, subgraphUrlsOf } from '@salesgraph/platform';
import { calls } from './index.js';

// Runs the calls subgraph as its own process (docker-compose, scale-out); needs DATABASE_URL and the identity subgraph.
const settings = loadSettings();
const identityUrl = subgraphUrlsOf(['identity']).identity;
if (!identityUrl) throw new Error('SUBGRAPH_IDENTITY_URL must point at the identity subgraph');
const db = await openDatabase({ url: settings.databaseUrl, dataDir: `${settings.dataDir}/calls` });
const signer = new IdentitySigner(settings.gatewaySecret);
const peers = { identity: new HttpSubgraphClient('identity', identityUrl, signer) };
const server = await calls.create({
  db, signer, settings,
  peer: (name) => {
    const client = peers[name as keyof typeof peers];
    if (!client) throw new Error(`no URL for subgraph ${name}`);
    return client;
  },
});
// Loopback unless HOST says otherwise (settings): a subgraph is reached through the gateway, not from outside.
const url = await server.listen(settings.port ?? calls.port, settings.host);
console.log(`calls subgraph at ${url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await server.stop();
    await db.close();
    process.exit(0);
  });
}
