import type { PGlite } from '@electric-sql/pglite';
import { TransactionContext, type EntityManager, type MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { PgBoss, fromKysely, type Db, type Job, type JobResult, type QueuePolicy } from 'pg-boss';
import { BACKGROUND, type Database } from './database.js';
import { currentRequest, inRequest, log, type RequestScope } from './logging.js';
import { metrics } from './metrics.js';
import { inConsumerSpan, SUBGRAPH_ATTRIBUTE, traceHeaders } from './tracing.js';

const jobLog = log.child({ component: 'jobs' });

/**
 * The PostgreSQL schema of the job queue, shared by every subgraph of a database (queue names carry the
 * subgraph's name). An underscore keeps it apart from subgraph schemas, whose names have none.
 */
export const JOB_SCHEMA = 'job_queue';

/** What a handler gets besides the job's data. */
export interface JobContext {
  /** A fresh EntityManager fork for this attempt (statements labelled background). */
  em: EntityManager;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** The job's id (the one `send` returned). */
  id: string;
  /** Aborted when the job expires (`expireInSeconds`) or the process stops without waiting. */
  signal: AbortSignal;
}

/**
 * A queue a subgraph declares (returned from `start()` as `queues`): its name within the subgraph, how its
 * jobs are retried, and the handler. A handler that throws fails the attempt; it is retried after
 * `retryDelaySeconds` (doubling with jitter when `retryBackoff`) until `retryLimit` retries are spent.
 * Handlers must be idempotent: a job whose process dies mid-run is retried once it expires.
 */
export interface QueueDeclaration<T extends object = object> {
  /** Lower-case letters, digits and dashes; stored as `<subgraph>.<name>`. */
  name: string;
  /** Retries after the first attempt. @default 2 */
  retryLimit?: number;
  /** Seconds before a retry. @default 1 */
  retryDelaySeconds?: number;
  /** Exponential backoff from `retryDelaySeconds`. @default true */
  retryBackoff?: boolean;
  /** Seconds an attempt may run before it counts as failed (and is retried). @default 900 */
  expireInSeconds?: number;
  /**
   * pg-boss's queue policy: `standard` (default), `short` (one queued job per singleton key), `singleton`
   * (one active per key), `stately` (one queued and one active per key), `exclusive` (one queued or active).
   */
  policy?: QueuePolicy;
  /**
   * Jobs of this queue one process runs at once: a worker fetches up to this many due jobs, runs them side by
   * side, and fetches again at once while batches come back full. @default 5
   */
  concurrency?: number;
  /** How often an idle worker looks for due jobs, in seconds (≥ 0.5); delayed jobs start at most this late. @default 1 */
  pollSeconds?: number;
  work(data: T, context: JobContext): Promise<unknown>;
}

/** A typed queue declaration: `send(queue, data)` then takes exactly its data type. */
export function defineQueue<T extends object>(queue: QueueDeclaration<T>): QueueDeclaration<T> {
  if (!/^[a-z][a-z0-9-]*$/.test(queue.name)) throw new Error(`queue name "${queue.name}" must be lower-case letters, digits and dashes`);
  return queue;
}

export interface SendOptions {
  /**
   * The EntityManager of the write this job belongs to: inside `em.transactional()` the job is stored in
   * that transaction, so it exists only if the transaction commits. Without it, a transaction of this
   * subgraph's ORM that the caller runs in is used the same way; otherwise the job is stored at once.
   */
  em?: EntityManager;
  /** When it may run: seconds from now, a Date, or an ISO timestamp. */
  startAfter?: number | Date | string;
  /** Deduplication key; what it prevents depends on the queue's policy (see {@link QueueDeclaration.policy}). */
  singletonKey?: string;
  /** With `singletonKey`: at most one job with that key per this many seconds, whatever the policy. */
  singletonSeconds?: number;
}

/** Sends jobs to a subgraph's own queues. */
export interface JobSender {
  /** Stores a job; returns its id, or null when the queue's policy or singleton key refused a duplicate. */
  send<T extends object>(queue: QueueDeclaration<T>, data: T, options?: SendOptions): Promise<string | null>;
}

/**
 * Stored beside a job's data when a request (or traced work) enqueued it: who asked, for the handler's log lines,
 * and the W3C trace context (`traceparent`, `tracestate`) its run continues. Taken off again before the handler
 * sees the data.
 */
const ORIGIN = '_origin';
type JobOrigin = Partial<Pick<RequestScope, 'requestId' | 'organizationId' | 'userId'>> & { trace?: Record<string, string> };

const POLL_SECONDS = 1;
const CONCURRENCY = 5;
const SERVER_POOL_MAX = 3;
const STOP_TIMEOUT_MS = 30_000;

/**
 * One subgraph's job queues on pg-boss: created in `defineSubgraph` before `start()` (so services built there
 * can hold it), started with the declared queues before the subgraph serves, stopped (waiting for running
 * handlers) by `SubgraphServer.stop()`.
 *
 * On PGlite every statement goes through the PGlite instance the ORM uses, and so through its one lock:
 * an ORM transaction holds it from BEGIN to COMMIT, so pg-boss's polling and maintenance never land inside
 * one. On a server pg-boss has its own small pool (its LISTEN needs a dedicated connection anyway).
 */
export class JobQueues implements JobSender {
  private boss?: PgBoss;
  private readonly queues = new Map<QueueDeclaration<object>, string>();
  private readonly paused = new Set<QueueDeclaration<object>>();
  private stopped = false;

  constructor(
    private readonly subgraph: string,
    private readonly db: Database,
    private readonly orm: MikroORM,
  ) {}

  /** The stored name of a queue: `<subgraph>.<name>`. */
  queueName(queue: QueueDeclaration<object>): string {
    return `${this.subgraph}.${queue.name}`;
  }

  /** Installs or updates the queues and starts their workers; no queues, no pg-boss. */
  async start(queues: QueueDeclaration<object>[]): Promise<void> {
    if (this.boss) throw new Error(`${this.subgraph}: job queues already started`);
    if (!queues.length) return;
    const names = new Set<string>();
    for (const queue of queues) {
      defineQueue(queue);
      if (names.has(queue.name)) throw new Error(`${this.subgraph}: queue ${queue.name} is declared twice`);
      names.add(queue.name);
    }
    const boss =
      this.db.kind === 'pglite'
        ? new PgBoss({ db: pgliteDb(this.db.pglite), backend: 'pglite', schema: JOB_SCHEMA, useListenNotify: true })
        : new PgBoss({
            connectionString: this.db.url,
            schema: JOB_SCHEMA,
            max: SERVER_POOL_MAX,
            application_name: `${this.subgraph} jobs`,
            useListenNotify: true,
          });
    boss.on('error', (error: Error) => jobLog.error({ subgraph: this.subgraph, reason: error.message }, 'job queue error'));
    await boss.start();
    try {
      for (const queue of queues) {
        const name = this.queueName(queue);
        const options = {
          retryLimit: queue.retryLimit ?? 2,
          retryDelay: queue.retryDelaySeconds ?? 1,
          retryBackoff: queue.retryBackoff ?? true,
          expireInSeconds: queue.expireInSeconds ?? 900,
          notify: true,
        };
        if (await boss.getQueue(name)) await boss.updateQueue(name, options);
        else await boss.createQueue(name, { ...options, policy: queue.policy ?? 'standard' });
        this.queues.set(queue, name);
      }
      for (const queue of queues) await this.startWorker(boss, queue);
    } catch (error) {
      await boss.stop({ graceful: false, close: true });
      throw error;
    }
    this.boss = boss;
  }

  /** This process's worker of one queue: it fetches due jobs every `pollSeconds`, and at once when notified. */
  private async startWorker(boss: PgBoss, queue: QueueDeclaration<object>): Promise<void> {
    const poll = queue.pollSeconds ?? POLL_SECONDS;
    await boss.work<object>(
      this.queueName(queue),
      {
        batchSize: queue.concurrency ?? CONCURRENCY,
        burstWhenBatchFull: true,
        perJobResults: true,
        pollingIntervalSeconds: poll,
        notifyPollingIntervalSeconds: poll,
      },
      (jobs) => this.run(queue, jobs),
    );
  }

  /**
   * Stops this process's worker of the queue named `name` (within the subgraph), waiting for its running
   * handlers: its jobs wait for another process serving the subgraph, or for `resume`. Sending still works.
   */
  async pause(name: string): Promise<void> {
    const [queue, stored] = this.declared(name);
    if (this.paused.has(queue)) return;
    this.paused.add(queue);
    await this.boss?.offWork(stored, { wait: true });
  }

  /** Starts this process's worker of a queue `pause` stopped. */
  async resume(name: string): Promise<void> {
    const [queue] = this.declared(name);
    if (!this.paused.delete(queue) || !this.boss) return;
    await this.startWorker(this.boss, queue);
  }

  private declared(name: string): [QueueDeclaration<object>, string] {
    const found = [...this.queues].find(([queue]) => queue.name === name);
    if (!found) throw new Error(`${this.subgraph}: no queue ${name} among the queues its start() returned`);
    return found;
  }

  /** One fetched batch, side by side; each job completes or fails (and is retried) on its own. */
  private run(queue: QueueDeclaration<object>, jobs: Job<object>[]): Promise<JobResult[]> {
    return Promise.all(
      jobs.map(async (job): Promise<JobResult> => {
        const attempt = job.retryCount + 1;
        // The enqueuing request's id goes on in the handler's log lines (and its calls to other subgraphs), and its
        // trace goes on in the attempt's span, under which the handler's SQL and calls are traced.
        const { [ORIGIN]: origin, ...data } = job.data as object & { [ORIGIN]?: JobOrigin };
        const { trace, ...scope } = origin ?? {};
        const queueName = this.queueName(queue);
        const attributes = {
          'messaging.system': 'pg-boss',
          'messaging.operation.type': 'process',
          'messaging.destination.name': queueName,
          'messaging.message.id': job.id,
          'salesgraph.job.attempt': attempt,
          [SUBGRAPH_ATTRIBUTE]: this.subgraph,
          ...(scope.requestId && { 'salesgraph.request_id': scope.requestId }),
        };
        const work = () =>
          inConsumerSpan(`job ${queueName}`, trace, attributes, () =>
            queue.work(data, { em: this.orm.em.fork(BACKGROUND), attempt, id: job.id, signal: job.signal }),
          );
        try {
          const output: unknown = await (scope.requestId ? inRequest({ ...scope, requestId: scope.requestId }, work) : work());
          metrics.jobs.inc({ queue: this.queueName(queue), outcome: 'completed' });
          return { id: job.id, status: 'completed', output: output ?? undefined };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          metrics.jobs.inc({ queue: this.queueName(queue), outcome: 'failed' });
          jobLog.warn({ queue: this.queueName(queue), jobId: job.id, attempt, reason: message }, 'job attempt failed');
          return { id: job.id, status: 'failed', output: { message } };
        }
      }),
    );
  }

  async send<T extends object>(queue: QueueDeclaration<T>, data: T, options: SendOptions = {}): Promise<string | null> {
    const name = this.queues.get(queue);
    if (!name) throw new Error(`${this.subgraph}: queue ${queue.name} is not among the queues its start() returned`);
    if (!this.boss || this.stopped) throw new Error(`${this.subgraph}: job queues are not running`);
    const em = (options.em ?? this.ambientTransaction()) as SqlEntityManager | undefined;
    const request = currentRequest();
    const trace = traceHeaders();
    const traced = Object.keys(trace).length > 0;
    const origin: JobOrigin | undefined =
      request || traced
        ? {
            ...(request && { requestId: request.requestId, organizationId: request.organizationId, userId: request.userId }),
            ...(traced && { trace }),
          }
        : undefined;
    return this.boss.send(name, origin ? { ...data, [ORIGIN]: origin } : data, {
      startAfter: options.startAfter,
      singletonKey: options.singletonKey,
      singletonSeconds: options.singletonSeconds,
      // In a transaction: the job row is written by it. (On PGlite anything else would wait for the lock
      // that very transaction holds.)
      ...(em?.isInTransaction() && { db: fromKysely(em.getKysely()) }),
    });
  }

  /** The transaction of this subgraph's ORM that the caller runs inside (`em.transactional`), if any. */
  private ambientTransaction(): EntityManager | undefined {
    const em = TransactionContext.getEntityManager(this.orm.em.name);
    return em?.isInTransaction() && em.getConnection() === this.orm.em.getConnection() ? em : undefined;
  }

  /** Stops fetching, waits for running handlers (up to 30 s), then stops pg-boss. */
  async stop(): Promise<void> {
    this.stopped = true;
    const boss = this.boss;
    this.boss = undefined;
    await boss?.stop({ graceful: true, close: true, timeout: STOP_TIMEOUT_MS });
  }

  /** Jobs of each queue waiting or running (`job_queue_depth`), from pg-boss's counts. */
  async depths(): Promise<{ labels: { queue: string; state: string }; value: number }[]> {
    const boss = this.boss;
    if (!boss) return [];
    const readings = await Promise.all(
      [...this.queues.values()].map(async (queue) => {
        const counts = await boss.getQueue(queue);
        if (!counts) return [];
        return [
          { labels: { queue, state: 'ready' }, value: counts.readyCount },
          { labels: { queue, state: 'deferred' }, value: counts.deferredCount },
          { labels: { queue, state: 'active' }, value: counts.activeCount },
        ];
      }),
    );
    return readings.flat();
  }

  /** pg-boss itself, for inspection in tests and tools (undefined without queues). */
  get pgBoss(): PgBoss | undefined {
    return this.boss;
  }
}

/** pg-boss's `BEGIN; …; COMMIT;` blocks (`locked()`, migrations): the statements between. */
const BLOCK = /^\s*BEGIN\s*;([\s\S]*?);?\s*COMMIT\s*;?\s*$/i;

/**
 * pg-boss over the PGlite instance the ORM uses. A statement with parameters is one `query`; a text without
 * them may be several statements. A `BEGIN … COMMIT` block runs as one PGlite transaction, so nothing else
 * gets between its statements and an error rolls it back before anyone else uses the session; other texts
 * run as one implicit transaction. Their rows come back flattened, as pg-boss expects from a
 * multi-statement result.
 */
function pgliteDb(pglite: PGlite): Db {
  const rowsOf = (results: { rows: unknown[] }[]) => ({ rows: results.flatMap((result) => result.rows) });
  return {
    async executeSql(text, values) {
      if (values?.length) return { rows: (await pglite.query(text, values)).rows };
      const block = BLOCK.exec(text);
      if (!block) return rowsOf(await pglite.exec(text));
      return pglite.transaction(async (tx) => rowsOf(await tx.exec(block[1])));
    },
    async listen(channel, onNotification, onReconnect) {
      const unlisten = await pglite.listen(channel, onNotification);
      onReconnect();
      return { close: () => unlisten() };
    },
  };
}
