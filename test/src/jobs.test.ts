import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineEntity, p } from '@mikro-orm/core';
import {
  IdentitySigner,
  JOB_SCHEMA,
  currentRequest,
  inRequest,
  buildFederatedSchema,
  defineQueue,
  defineSubgraph,
  openDatabase,
  sqlOf,
  type Database,
  type QueueDeclaration,
  type SubgraphRuntime,
  type SubgraphServer,
} from '@salesgraph/platform';
import { Query, Resolver } from 'type-graphql';
import { stack, tempDir, usingServer } from './support/stack.js';
import { until } from './support/wait.js';

const Probe = defineEntity({ name: 'JobProbe', tableName: 'probes', properties: { id: p.integer().primary() } });

@Resolver()
class PingResolver {
  @Query(() => String)
  ping() {
    return 'pong';
  }
}

/** A throwaway subgraph with the given queues on `db` (the stack's database unless given). */
async function startSubgraph(
  name: string,
  queues: QueueDeclaration<object>[],
  db?: Database,
): Promise<{ server: SubgraphServer; runtime: SubgraphRuntime }> {
  const { product, settings } = await stack();
  let runtime!: SubgraphRuntime;
  const module = defineSubgraph({
    name,
    entities: [Probe],
    migrations: [],
    schema: (_bus, container) => buildFederatedSchema({ resolvers: [PingResolver], container }),
    start: (started) => {
      runtime = started;
      return { queues };
    },
  });
  const server = await module.create({
    db: db ?? product.db!,
    settings,
    signer: new IdentitySigner(settings.gatewaySecret),
    peer: () => ({}) as never,
  });
  return { server, runtime };
}

describe('job queues', () => {
  it("runs a job as part of the request that enqueued it (its id in the handler's log lines), with the data as sent", async () => {
    const seen: { data: object; requestId?: string; organizationId?: string }[] = [];
    const traced = defineQueue<{ n: number }>({
      name: 'traced',
      pollSeconds: 0.5,
      work: async (data) => {
        seen.push({ data, requestId: currentRequest()?.requestId, organizationId: currentRequest()?.organizationId });
      },
    });
    const { server, runtime } = await startSubgraph('jobtrace', [traced]);
    try {
      await inRequest({ requestId: 'req-job-origin-1', organizationId: '7', userId: 3 }, () => runtime.jobs.send(traced, { n: 1 }));
      await runtime.jobs.send(traced, { n: 2 });
      await until('both jobs to run', () => seen.length === 2, 15_000);
      const byN = (n: number) => seen.find((s) => (s.data as { n: number }).n === n)!;
      assert.deepEqual(byN(1), { data: { n: 1 }, requestId: 'req-job-origin-1', organizationId: '7' });
      assert.deepEqual(byN(2), { data: { n: 2 }, requestId: undefined, organizationId: undefined });
    } finally {
      await server.stop();
    }
  });

  it('retries a failed job with backoff until it completes, and names queues after the subgraph', async () => {
    const attempts: { attempt: number; at: number }[] = [];
    const flaky = defineQueue<{ n: number }>({
      name: 'flaky',
      retryLimit: 3,
      retryDelaySeconds: 1,
      retryBackoff: true,
      pollSeconds: 0.5,
      work: async (_data, { attempt }) => {
        attempts.push({ attempt, at: Date.now() });
        if (attempt === 1) throw new Error('the first attempt fails');
        return { done: true };
      },
    });
    const { server, runtime } = await startSubgraph('jobretry', [flaky]);
    try {
      const id = await runtime.jobs.send(flaky, { n: 1 });
      assert.ok(id);
      await until('a retry', () => attempts.length === 2, 15_000);
      assert.deepEqual(
        attempts.map((a) => a.attempt),
        [1, 2],
      );
      // Backoff from a 1 s delay: the retry comes no sooner than half of it (pg-boss's jitter).
      assert.ok(attempts[1].at - attempts[0].at >= 450, `retried after ${attempts[1].at - attempts[0].at} ms`);
      const boss = server.jobs!.pgBoss!;
      let job = await boss.getJobById('jobretry.flaky', id);
      for (let i = 0; i < 40 && job?.state !== 'completed'; i++) {
        await sleep(50);
        job = await boss.getJobById('jobretry.flaky', id);
      }
      assert.equal(job?.state, 'completed');
      assert.equal(job?.retryCount, 1);
      await sleep(1_500);
      assert.equal(attempts.length, 2, 'a completed job does not run again');
    } finally {
      await server.stop();
    }
  });

  it('a job sent in an ORM transaction exists only if that transaction commits', async () => {
    const ran: string[] = [];
    const marked = defineQueue<{ key: string }>({
      name: 'marked',
      pollSeconds: 0.5,
      work: async ({ key }) => {
        ran.push(key);
      },
    });
    const { server, runtime } = await startSubgraph('jobtx', [marked]);
    try {
      const em = runtime.orm.em.fork();
      // A scratch table of this test's own (left from an earlier run on a server: dropped first).
      await sqlOf(em).execute('drop schema if exists jobtx cascade');
      await sqlOf(em).execute('create schema jobtx');
      await sqlOf(em).execute('create table jobtx.marks (key text primary key)');
      await assert.rejects(
        em.transactional(async (tx) => {
          await sqlOf(tx).execute('insert into jobtx.marks (key) values (?)', ['rolled-back']);
          assert.ok(await runtime.jobs.send(marked, { key: 'rolled-back' }, { em: tx }));
          throw new Error('the write fails after the job was sent');
        }),
        /the write fails/,
      );
      await em.transactional(async (tx) => {
        await sqlOf(tx).execute('insert into jobtx.marks (key) values (?)', ['committed']);
        await runtime.jobs.send(marked, { key: 'committed' }, { em: tx });
      });
      // Without `em`, inside the subgraph's transaction: the job joins it (on PGlite it would otherwise wait
      // for the lock that transaction holds).
      await em.transactional(async (tx) => {
        await sqlOf(tx).execute('insert into jobtx.marks (key) values (?)', ['ambient']);
        await runtime.jobs.send(marked, { key: 'ambient' });
      });
      await until('the committed jobs', () => ran.length === 2, 10_000);
      await sleep(1_200);
      assert.deepEqual(ran.sort(), ['ambient', 'committed']);
      const rows = await sqlOf(em).execute<{ key: string }[]>('select key from jobtx.marks order by key');
      assert.deepEqual(
        rows.map((r) => r.key),
        ['ambient', 'committed'],
      );
      const stored = await sqlOf(em).execute<{ n: string }[]>(`select count(*) as n from ${JOB_SCHEMA}.job where name = ?`, [
        'jobtx.marked',
      ]);
      assert.equal(Number(stored[0].n), 2, 'no row of the rolled-back job');
    } finally {
      await server.stop();
    }
  });

  it('never runs two jobs of one singleton key at once, and an exclusive queue refuses a duplicate', async () => {
    const active = new Map<string, number>();
    const overlaps: string[] = [];
    const done: string[] = [];
    const serial = defineQueue<{ key: string; n: number }>({
      name: 'serial',
      policy: 'singleton',
      concurrency: 4,
      pollSeconds: 0.5,
      work: async ({ key, n }) => {
        const now = (active.get(key) ?? 0) + 1;
        active.set(key, now);
        if (now > 1) overlaps.push(key);
        await sleep(300);
        active.set(key, (active.get(key) ?? 1) - 1);
        done.push(`${key}${n}`);
      },
    });
    const once = defineQueue<{ n: number }>({ name: 'once', policy: 'exclusive', pollSeconds: 0.5, work: async () => {} });
    const { server, runtime } = await startSubgraph('jobsingle', [serial, once]);
    try {
      await Promise.all([
        ...[1, 2, 3].map((n) => runtime.jobs.send(serial, { key: 'a', n }, { singletonKey: 'a' })),
        runtime.jobs.send(serial, { key: 'b', n: 1 }, { singletonKey: 'b' }),
      ]);
      await until('all four jobs', () => done.length === 4, 20_000);
      assert.deepEqual(overlaps, []);
      assert.deepEqual(done.filter((d) => d.startsWith('a')).sort(), ['a1', 'a2', 'a3']);

      const later = { startAfter: 60 };
      assert.ok(await runtime.jobs.send(once, { n: 1 }, later));
      assert.equal(await runtime.jobs.send(once, { n: 2 }, later), null, 'a second queued job is refused');
    } finally {
      await server.stop();
    }
  });

  it('stop() waits for a running handler', async () => {
    let started = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = defineQueue<{ n: number }>({
      name: 'slow',
      pollSeconds: 0.5,
      work: async () => {
        started = true;
        await gate;
      },
    });
    const { server, runtime } = await startSubgraph('jobstop', [slow]);
    await runtime.jobs.send(slow, { n: 1 });
    await until('the handler to start', () => started, 10_000);
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    await sleep(300);
    assert.equal(stopped, false, 'stop() waits for the handler under way');
    release();
    await stopping;
    await assert.rejects(runtime.jobs.send(slow, { n: 2 }), /not running/);
  });

  it("pause() stops this process's worker of one queue until resume(), waiting for its running handler", async () => {
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = defineQueue<{ key: string }>({
      name: 'held',
      pollSeconds: 0.5,
      work: async ({ key }) => {
        ran.push(key);
        if (key === 'first') await gate;
      },
    });
    const other = defineQueue<{ key: string }>({ name: 'other', pollSeconds: 0.5, work: async ({ key }) => void ran.push(key) });
    const { server, runtime } = await startSubgraph('jobpause', [held, other]);
    try {
      await runtime.jobs.send(held, { key: 'first' });
      await until('the first job to start', () => ran.includes('first'), 10_000);
      let paused = false;
      const pausing = server.jobs!.pause('held').then(() => (paused = true));
      await sleep(300);
      assert.equal(paused, false, 'pause() waits for the handler under way');
      release();
      await pausing;
      assert.ok(await runtime.jobs.send(held, { key: 'while paused' }), 'sending goes on');
      await runtime.jobs.send(other, { key: 'other queue' });
      await until("the other queue's job", () => ran.includes('other queue'), 10_000);
      await sleep(1_200);
      assert.ok(!ran.includes('while paused'), 'nothing of the paused queue ran');
      await assert.rejects(server.jobs!.pause('nope'), /no queue nope/);
      await server.jobs!.resume('held');
      await until('the job sent while paused', () => ran.includes('while paused'), 10_000);
    } finally {
      release();
      await server.stop();
    }
  });

  it('a delayed job survives a restart and runs once, when due', async () => {
    const runs: { n: number; at: number }[] = [];
    const delayed = defineQueue<{ n: number }>({
      name: 'delayed',
      pollSeconds: 0.5,
      work: async ({ n }) => {
        runs.push({ n, at: Date.now() });
      },
    });
    // Embedded: a persisted PGlite closed and opened again. On a server: the subgraph stopped and started again.
    const dataDir = usingServer ? undefined : tempDir('salesgraph-jobs-');
    const open = async () => (dataDir ? await openDatabase({ dataDir }) : undefined);
    let db = await open();
    let { server, runtime } = await startSubgraph('jobrestart', [delayed], db);
    const due = Date.now() + 2_000;
    try {
      assert.ok(await runtime.jobs.send(delayed, { n: 7 }, { startAfter: new Date(due) }));
    } finally {
      await server.stop();
      await db?.close();
    }
    assert.equal(runs.length, 0);
    db = await open();
    ({ server, runtime } = await startSubgraph('jobrestart', [delayed], db));
    try {
      await until('the delayed job after the restart', () => runs.length === 1, 15_000);
      assert.equal(runs[0].n, 7);
      assert.ok(runs[0].at >= due, `ran ${due - runs[0].at} ms before it was due`);
      await sleep(1_200);
      assert.equal(runs.length, 1);
    } finally {
      await server.stop();
      await db?.close();
    }
  });
});
