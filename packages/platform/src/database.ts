import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import {
  DefaultLogger,
  type AnyEntity,
  type EntityClass,
  type EntitySchema,
  type LogContext,
  type LoggerNamespace,
  type LoggerOptions,
  type MigrationObject,
  type MikroORM,
} from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM as PgliteORM } from '@mikro-orm/pglite';
import { MikroORM as PostgresORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ORM_DEFAULTS, type OrmSettings } from './settings.js';
import { recordStatement } from './tracing.js';

/**
 * Where the data lives: a PostgreSQL server (`DATABASE_URL`), or an embedded PGlite that every subgraph
 * of the process shares (one instance costs seconds and hundreds of MB, so never one per subgraph).
 */
export type Database =
  { kind: 'postgres'; url: string; close(): Promise<void> } | { kind: 'pglite'; pglite: PGlite; dataDir?: string; close(): Promise<void> };

/**
 * Values PGlite parses differently from MikroORM's server connection, parsed as that one does: `date` stays
 * the `YYYY-MM-DD` text MikroORM's date type expects (PGlite would make it a JavaScript Date).
 */
const PGLITE_PARSERS = { [types.DATE]: (text: string) => text };

/** Opens the server at `url` if given, else an embedded database persisted in `dataDir` (in memory without it). */
export async function openDatabase({ url, dataDir }: { url?: string; dataDir?: string }): Promise<Database> {
  if (url) return { kind: 'postgres', url, close: async () => {} };
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({ ...(dataDir && { dataDir }), parsers: PGLITE_PARSERS });
  // An unclosed persisted PGlite keeps the process alive, so closing is the owner's job.
  return { kind: 'pglite', pglite, dataDir, close: () => pglite.close() };
}

/**
 * Counts the SQL statements the ORMs run for requests (including begin/commit), so tests can prove lists
 * don't grow; statements of forks made with `BACKGROUND` (timers, jobs) are left out.
 */
export const sqlStatements = { count: 0, bySchema: {} as Record<string, number> };

/**
 * Benchmarks only: receives each request's statements as sent to the database, values written in, so a bench
 * can replay them on a bare connection. Unset in a running product; what it is handed is never logged.
 */
export const statementTap: { onStatement?: (schema: string, sql: string) => void } = {};

/** Fork options for work no request asked for: `orm.em.fork(BACKGROUND)`. */
export const BACKGROUND = { loggerContext: { background: true } } as const;

/** Counts per subgraph too (`bySchema`, keyed by its schema), so a bench can tell which subgraph a statement cost. */
class CountingLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly schema: string,
  ) {
    super(options);
  }

  override logQuery(context: { query: string } & LogContext): void {
    if (!context.background) {
      sqlStatements.count++;
      sqlStatements.bySchema[this.schema] = (sqlStatements.bySchema[this.schema] ?? 0) + 1;
      statementTap.onStatement?.(this.schema, (context as { formatted?: string }).formatted ?? context.query);
    }
    recordStatement({
      schema: this.schema,
      sql: context.query,
      tookMs: context.took,
      failed: context.level === 'error',
      rows: context.results,
    });
    super.logQuery(context);
  }

  /**
   * Never `query-params`: MikroORM would then hand `logQuery` the statement with its parameters' values written in
   * (passwords' hashes, e-mail addresses, tokens' digests), and both the log line and the trace get what it hands.
   */
  override isEnabled(namespace: LoggerNamespace, context?: LogContext): boolean {
    return namespace !== 'query-params' && super.isEnabled(namespace, context);
  }
}

export interface OrmOptions {
  /** Every subgraph owns one Postgres schema, named after it. */
  schema: string;
  entities: (EntityClass<AnyEntity> | EntitySchema)[];
  migrations: MigrationObject[];
  /** Where `migration:create` writes new migrations (source folder); only for the generator. */
  migrationsPath?: string;
  /** The other subgraphs' schemas, which schema diffs (migration checks) must never touch. */
  otherSchemas?: string[];
}

/** One subgraph's ORM on `db`, confined to its own schema; `orm` is `settings.orm` (scripts: the defaults). */
export function openOrm(
  db: Database,
  { schema, entities, migrations, migrationsPath, otherSchemas = [] }: OrmOptions,
  orm: OrmSettings = ORM_DEFAULTS,
): Promise<MikroORM> {
  const options = {
    entities,
    schema,
    extensions: [Migrator],
    // Schema diffs must never see (and so never drop) the other subgraphs' schemas.
    schemaGenerator: { ignoreSchema: ['public', ...otherSchemas.filter((s) => s !== schema)] },
    loggerFactory: (options: LoggerOptions) => new CountingLogger(options, schema),
    debug: orm.sqlDebug,
    // Scalar properties stay plain fields of each entity instead of accessors MikroORM defines anew on every
    // instance it loads (its default). Relations with an inverse side (a funnel's stages) still propagate: it
    // then defines just those on each instance it manages. A list's request costs about a fifth less CPU
    // (`npm run bench:throughput`, stack CPU a request).
    propagationOnPrototype: false,
    migrations: {
      tableName: 'mikro_orm_migrations',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      ...(migrationsPath ? { path: migrationsPath, glob: 'Migration*.ts', emit: 'ts' as const } : { migrationsList: migrations }),
    },
  };
  return db.kind === 'postgres'
    ? PostgresORM.init({
        ...options,
        clientUrl: db.url,
        pool: { max: orm.poolMax },
        driverOptions: { onPoolCreated: releaseDeadConnections },
      })
    : PgliteORM.init({ ...options, driverOptions: { pglite: db.pglite } });
}

/**
 * Gives back to `pool` each connection that dies while checked out, as broken (the pool drops it). Kysely, under
 * the ORM, releases no connection whose BEGIN or ROLLBACK failed: a connection cut by a database outage at that
 * moment stayed checked out for good, a slot of the pool lost, and the ORM's close (`pool.end()`, which waits for
 * every checked-out connection) never finished. The holder's own release comes later and changes nothing.
 */
function releaseDeadConnections(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    // pg-pool sets `release` anew at each checkout: kept here wrapped, so a second release is a no-op.
    let release: ((error?: Error | boolean) => void) | undefined;
    Object.defineProperty(client, 'release', {
      configurable: true,
      get: () => release,
      set: (fresh: (error?: Error | boolean) => void) => {
        let released = false;
        release = (error) => {
          if (released) return;
          released = true;
          fresh(error);
        };
      },
    });
    client.once('end', () => release?.(new Error('the database connection ended')));
  });
}

/** The first key of the advisory locks migrations take (the second is the schema's hash). */
const MIGRATION_LOCK = 0x5a1e5;

/**
 * Applies pending migrations; returns the names applied. On a server, replicas starting together and the
 * migration Job take turns through an advisory lock per schema (held by a session of its own, so it spans the
 * migrator's transaction): one applies, the others then find nothing pending.
 */
export async function migrate(orm: MikroORM, db?: Database): Promise<string[]> {
  if (db?.kind !== 'postgres') return (await orm.migrator.up()).map((m) => m.name);
  const lock = new pg.Client({ connectionString: db.url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK, orm.config.get('schema')]);
    return (await orm.migrator.up()).map((m) => m.name);
  } finally {
    // Ending the session releases the lock, also when the migration failed.
    await lock.end();
  }
}
