import { IdentitySigner, loadSettings, openDatabase } from '@salesgraph/platform';
import { identity } from './index.js';

// Runs the identity subgraph as its own process (docker-compose, scale-out); needs DATABASE_URL.
const settings = loadSettings();
const db = await openDatabase({ url: settings.databaseUrl, dataDir: `${settings.dataDir}/identity` });
const server = await identity.create({
  db, signer: new IdentitySigner(settings.gatewaySecret), settings,
  peer: (name) => {
    throw new Error(`identity reads from no other subgraph (asked for ${name})`);
  },
});
// Loopback unless HOST says otherwise (settings): a subgraph is reached through the gateway, not from outside.
const url = await server.listen(settings.port ?? identity.port, settings.host);
console.log(`identity subgraph at ${url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await server.stop();
    await db.close();
    process.exit(0);
  });
}
