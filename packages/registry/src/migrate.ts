import { loadSettings, migrate, openDatabase, openOrm } from '@salesgraph/platform';
import { subgraphs } from './subgraphs.js';

// `node packages/registry/dist/migrate.js [name…]`: applies the pending migrations of the named subgraphs (all
// by default) and exits, e.g. as the Kubernetes migration Job before a rollout. Subgraphs still migrate at
// start; the advisory lock in `migrate` lets this and any number of starting replicas run together.
const names = process.argv.slice(2);
const unknown = names.filter((name) => !subgraphs.some((s) => s.name === name));
if (unknown.length) {
  console.error(`unknown subgraph(s) ${unknown.join(', ')}; usage: migrate.js [${subgraphs.map((s) => s.name).join('|')}]…`);
  process.exit(2);
}
const settings = loadSettings();
const db = await openDatabase({ url: settings.databaseUrl, dataDir: settings.databaseUrl ? undefined : `${settings.dataDir}/pglite` });
let failed = false;
try {
  for (const subgraph of names.length ? subgraphs.filter((s) => names.includes(s.name)) : subgraphs) {
    const orm = await openOrm(db, subgraph.ormOptions, settings.orm);
    try {
      const applied = await migrate(orm, db);
      console.log(`${subgraph.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
    } catch (error) {
      failed = true;
      console.error(`${subgraph.name}: migration failed: ${error instanceof Error ? error.message : String(error)}`);
      break;
    } finally {
      await orm.close();
    }
  }
} finally {
  await db.close();
}
process.exit(failed ? 1 : 0);
