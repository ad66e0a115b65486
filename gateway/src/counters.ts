import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Where the PostgreSQL store keeps its counters: a schema of the gateway's own, beside the subgraphs'. */
export const COUNTER_SCHEMA = 'gateway';
export const COUNTER_TABLE = 'rate_limits';

/** How long one store operation may take before the request is counted in this process instead. */
const STORE_TIMEOUT_MS = 1_000;
/** After a store failure, how long requests are counted in this process before the store is tried again. */
const RETRY_STORE_AFTER_MS = 5_000;
/** At most one warning about a failing store per this interval. */
const WARN_EVERY_MS = 30_000;
/** Keys longer than this are stored as their SHA-256 (a declared route's key comes from its URL). */
const MAX_KEY_LENGTH = 200;

/** An allowed request says where it was counted (`local`: in this process, while the store failed), to be given back there. */
export type Count = { allowed: true; resetsAt: number; local?: true } | { allowed: false; retryAfterSeconds: number };
type Allowed = Extract<Count, { allowed: true }>;

export interface CounterStoreOptions {
  /** `REDIS_URL`: counters in Redis. */
  redisUrl?: string;
  /** `DATABASE_URL`: counters in the PostgreSQL server (unless `redisUrl`). */
  databaseUrl?: string;
}

/**
 * Where request counters live: shared by every gateway replica on the same Redis (`REDIS_URL`) or PostgreSQL
 * server (`DATABASE_URL`), else in this process (the embedded database serves one process anyway). Counting
 * is rate-limiter-flexible's: fixed windows that start at a key's first request, one atomic round trip per request, or
 * per lease of points for large budgets (see `leaseSize`).
 *
 * A store that fails or stalls (past 1 s) does not fail the request: this process counts it on its own
 * (the same budgets, per replica) and logs a warning; the store is tried again 5 s later. Refusing every
 * request (503) while Redis restarts would turn a counter outage into an API outage, and counting nothing
 * would drop the abuse limits exactly when no one watches; per-replica counting keeps each replica within
 * the budget, so N replicas allow at most N times it until the store answers again.
 */
export class CounterStore {
  private failedAt = 0;
  private warnedAt = 0;
  private prepared = false;
  private preparing?: Promise<void>;

  /**
   * `make` builds a budget's limiter on the store, `prepare` readies the store (once it succeeds; retried after
   * a failure); `memory()` and `open()` are the usual ways in.
   */
  constructor(
    readonly kind: 'memory' | 'postgres' | 'redis',
    private readonly make: (name: string, points: number, seconds: number) => RateLimiterAbstract,
    private readonly closeStore: () => Promise<void>,
    private readonly prepare: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** A store in this process only. */
  static memory(): CounterStore {
    return new CounterStore(
      'memory',
      (name, points, duration) => new RateLimiterMemory({ keyPrefix: name, points, duration }),
      () => Promise.resolve(),
    );
  }

  static async open({ redisUrl, databaseUrl }: CounterStoreOptions): Promise<CounterStore> {
    if (redisUrl) return openRedis(redisUrl);
    if (databaseUrl) return openPostgres(databaseUrl);
    return CounterStore.memory();
  }

  /** `points` requests per key per window of `seconds`, counted under `name` by every gateway on this store. */
  budget(name: string, points: number, seconds: number): Budget {
    const local = new RateLimiterMemory({ keyPrefix: name, points, duration: seconds });
    return new Budget(this.kind === 'memory' ? local : this.make(name, points, seconds), local, points, this);
  }

  close(): Promise<void> {
    return this.closeStore();
  }

  /** @internal Whether to count in the store now: it is ready, and has not failed in the last 5 s. */
  async usable(): Promise<boolean> {
    if (this.kind === 'memory') return false;
    if (this.failedAt > 0 && Date.now() - this.failedAt < RETRY_STORE_AFTER_MS) return false;
    if (this.prepared) return true;
    try {
      await (this.preparing ??= this.prepare());
      this.prepared = true;
      return true;
    } catch (error) {
      this.preparing = undefined;
      this.failed(error);
      return false;
    }
  }

  /** @internal */
  failed(error: unknown): void {
    const now = Date.now();
    this.failedAt = now;
    if (now - this.warnedAt < WARN_EVERY_MS) return;
    this.warnedAt = now;
    console.warn(`rate limits: the ${this.kind} store failed (${messageOf(error)}); counting in this process until it answers`);
  }

  /** @internal */
  answered(): void {
    if (!this.failedAt) return;
    this.failedAt = 0;
    this.warnedAt = 0;
    console.warn(`rate limits: the ${this.kind} store answers again; counting there`);
  }
}

/** Leases held at once per budget; past it, expired leases go, then the oldest. */
const MAX_LEASES = 10_000;
/** The most points one lease takes from a shared store. */
const MAX_LEASE = 10;

/**
 * How many points a replica takes from the shared store in one round trip: one for small budgets, which are
 * counted exactly (login throttles, webhook limits), up to 10 for large ones, so a replica's unused lease is at
 * most 1 % of the budget. Leased points are counted as spent, so leasing can only make a limit stricter (by at
 * most what the replicas hold unused), never looser.
 */
export const leaseSize = (limit: number): number => Math.max(1, Math.min(MAX_LEASE, Math.floor(limit / 100)));

interface Lease {
  points: number;
  resetsAt: number;
}

/** One budget (a number of requests per window) of many keys. */
export class Budget {
  /** Points this replica took from the shared store and has not used yet, per key, until their window ends. */
  private readonly leases = new Map<string, Lease>();
  private readonly lease: number;

  constructor(
    private readonly shared: RateLimiterAbstract,
    private readonly local: RateLimiterMemory,
    readonly limit: number,
    private readonly store: CounterStore,
  ) {
    this.lease = store.kind === 'memory' ? 1 : leaseSize(limit);
  }

  /** Counts one request of `key`: allowed while the window's count is within the limit. */
  async take(key: string): Promise<Count> {
    const storeKey = keyOf(key);
    const held = this.leases.get(storeKey);
    if (held && held.points > 0 && Date.now() < held.resetsAt) {
      held.points--;
      return { allowed: true, resetsAt: held.resetsAt };
    }
    if (await this.store.usable()) {
      try {
        const result = await this.shared.consume(storeKey, this.lease);
        this.store.answered();
        if (this.lease > 1) this.keep(storeKey, this.lease - 1, Date.now() + result.msBeforeNext);
        return allowed(result);
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return refused(outcome);
        this.store.failed(outcome);
      }
    }
    try {
      return { ...allowed(await this.local.consume(storeKey)), local: true };
    } catch (outcome) {
      return refused(outcome as RateLimiterRes);
    }
  }

  /**
   * Takes back a request `count` allowed, unless its window is over: a new window never counted it (and a
   * unit given back there would let one more through). It goes back where it was counted: a request counted in
   * this process while the store failed is never added to a lease, whose points are the store's.
   */
  async giveBack(key: string, count: Count): Promise<void> {
    if (!count.allowed || Date.now() >= count.resetsAt) return;
    const storeKey = keyOf(key);
    if (count.local) return void (await this.local.reward(storeKey));
    const held = this.leases.get(storeKey);
    if (held && Date.now() < held.resetsAt) return void held.points++;
    if (await this.store.usable()) {
      try {
        return void (await this.shared.reward(storeKey));
      } catch (error) {
        this.store.failed(error);
      }
    }
    await this.local.reward(storeKey);
  }

  /** Keeps `points` leased for `key` until `resetsAt` (added to a lease of the same window taken meanwhile). */
  private keep(key: string, points: number, resetsAt: number): void {
    const held = this.leases.get(key);
    if (held && Math.abs(held.resetsAt - resetsAt) < 1_000) return void (held.points += points);
    if (!held && this.leases.size >= MAX_LEASES) {
      const now = Date.now();
      for (const [k, lease] of this.leases) if (lease.resetsAt <= now) this.leases.delete(k);
      if (this.leases.size >= MAX_LEASES) this.leases.delete(this.leases.keys().next().value!);
    }
    this.leases.set(key, { points, resetsAt });
  }
}

const allowed = (result: RateLimiterRes): Allowed => ({ allowed: true, resetsAt: Date.now() + result.msBeforeNext });

const refused = (result: RateLimiterRes): Count => ({
  allowed: false,
  retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
});

const keyOf = (key: string) => (key.length <= MAX_KEY_LENGTH ? key : `sha256:${createHash('sha256').update(key).digest('base64url')}`);

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Options every shared limiter takes: a key over its budget is refused from memory for the rest of its window. */
const sharedOptions = (name: string, points: number, duration: number) => ({
  keyPrefix: `salesgraph:${name}`,
  points,
  duration,
  inMemoryBlockOnConsumed: points + 1,
});

async function openPostgres(url: string): Promise<CounterStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 5,
    connectionTimeoutMillis: STORE_TIMEOUT_MS,
    query_timeout: STORE_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server drops is replaced by the next request; without a listener it would crash the process.
  pool.on('error', (error) => console.warn('rate limits: a PostgreSQL connection failed', error.message));
  const store = new CounterStore(
    'postgres',
    (name, points, duration) =>
      new RateLimiterPostgres({
        ...sharedOptions(name, points, duration),
        storeClient: pool,
        storeType: 'pool',
        schemaName: COUNTER_SCHEMA,
        tableName: COUNTER_TABLE,
        // Created above, in a schema of ours, by one replica at a time.
        tableCreated: true,
      }),
    () => pool.end(),
    () => createCounterTable(pool),
  );
  // Ready now if the server answers; otherwise requests are counted here until it does (a warning says so).
  await store.usable();
  return store;
}

/**
 * The counters' table, as rate-limiter-flexible reads it (key, points, expire in epoch ms). Unlogged: counters
 * need no crash safety, and skipping the write-ahead log makes the one write per request cheap. Replicas
 * starting together take turns through an advisory lock (concurrent `create … if not exists` can collide).
 */
async function createCounterTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`${COUNTER_SCHEMA}.${COUNTER_TABLE}`]);
    await client.query(`create schema if not exists "${COUNTER_SCHEMA}"`);
    await client.query(
      `create unlogged table if not exists "${COUNTER_SCHEMA}"."${COUNTER_TABLE}" (key text primary key, points integer not null default 0, expire bigint)`,
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function openRedis(url: string): Promise<CounterStore> {
  const client = new Redis(url, {
    // Fail at once while disconnected (the request is then counted here) rather than queue behind a reconnect.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: STORE_TIMEOUT_MS,
    connectTimeout: STORE_TIMEOUT_MS,
  });
  let warnedAt = 0;
  // ioredis reconnects by itself; its errors are reported (at most every 30 s), never thrown at the process.
  client.on('error', (error: Error) => {
    if (Date.now() - warnedAt < WARN_EVERY_MS) return;
    warnedAt = Date.now();
    console.warn('rate limits: Redis connection failed', error.message);
  });
  // A Redis that is down at start is no reason not to start: requests are counted here until it is up.
  await Promise.race([once(client, 'ready').catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  return new CounterStore(
    'redis',
    (name, points, duration) =>
      new RateLimiterRedis({ ...sharedOptions(name, points, duration), storeClient: client, rejectIfRedisNotReady: true }),
    async () => {
      client.disconnect();
    },
  );
}
