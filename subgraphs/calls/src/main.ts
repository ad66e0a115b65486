import { HttpSubgraphClient, IdentitySigner, loadSettings, openDatabase } from '@salesgraph/platform';
import { calls } from './index.js';

// Runs the calls subgraph as its own process (docker-compose, scale-out); needs DATABASE_URL and the identity subgraph.
const settings = loadSettings();
const identityUrl = process.env.SUBGRAPH_IDENTITY_URL;
if (!identityUrl) throw new Error('SUBGRAPH_IDENTITY_URL must point at the identity subgraph');
const db = await openDatabase({ url: settings.databaseUrl, dataDir: `${settings.dataDir}/calls` });
const peers = { identity: new HttpSubgraphClient('identity', identityUrl) };
const server = await calls.create({
  db, signer: new IdentitySigner(settings.gatewaySecret), settings,
  peer: (name) => {
    const client = peers[name as keyof typeof peers];
    if (!client) throw new Error(`no URL for subgraph ${name}`);
    return client;
  },
});
const url = await server.listen(Number(process.env.PORT ?? calls.port), settings.host);
console.log(`calls subgraph at ${url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await server.stop();
    await db.close();
    process.exit(0);
  });
}
