import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { subgraphs } from '@salesgraph/registry';
import { freshServerDatabase, tempDir, usingServer } from './support/stack.js';

/**
 * The migration Job's entry point (`packages/registry/dist/migrate.js`, run by Kubernetes before a rollout)
 * beside replicas starting at the same time: on a fresh PostgreSQL database, two runs together both succeed
 * and every migration is applied once (the advisory lock per schema in `migrate`).
 */

const run = promisify(execFile);
const MIGRATE = new URL('../../packages/registry/dist/migrate.js', import.meta.url).pathname;

test(
  'migrate.js: two runs at once on a fresh database apply each migration once, and a second pass finds nothing',
  { timeout: 120_000, skip: !usingServer && 'needs the PostgreSQL server (DATABASE_URL): PGlite is one process' },
  async () => {
    const database = await freshServerDatabase('migrate');
    const fresh = database.url;
    const env = { ...process.env, NODE_ENV: 'test', DATA_DIR: tempDir(), DATABASE_URL: fresh.href };
    try {
      const [first, second] = await Promise.all([run(process.execPath, [MIGRATE], { env }), run(process.execPath, [MIGRATE], { env })]);
      const db = new pg.Client({ connectionString: fresh.href });
      await db.connect();
      try {
        for (const subgraph of subgraphs) {
          const { schema, migrations } = subgraph.ormOptions;
          const { rows } = await db.query<{ name: string }>(`select name from "${schema}".mikro_orm_migrations order by id`);
          assert.deepEqual(
            rows.map((r) => r.name),
            migrations.map((m) => m.name),
            `${subgraph.name}: each migration applied once, in order`,
          );
          // Between them the two runs applied everything once: one applied, the other found it up to date.
          const lines = [first.stdout, second.stdout].map((out) => out.split('\n').find((line) => line.startsWith(`${subgraph.name}: `)));
          assert.equal(lines.filter((line) => line?.includes('up to date')).length, 1, `${subgraph.name}: ${lines.join(' | ')}`);
        }
      } finally {
        await db.end();
      }
      const again = await run(process.execPath, [MIGRATE, 'identity', 'calls'], { env });
      assert.match(again.stdout, /^identity: up to date$/m);
      assert.match(again.stdout, /^calls: up to date$/m);

      await assert.rejects(run(process.execPath, [MIGRATE, 'nonesuch'], { env }), (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 2);
        assert.match(error.stderr, /unknown subgraph\(s\) nonesuch/);
        return true;
      });
    } finally {
      await database.drop();
    }
  },
);
