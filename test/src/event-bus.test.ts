import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { EventBus, loadSettings, openDatabase, openOrm, startTracing, tracer, type BusEvent } from '@salesgraph/platform';
import { subgraphs } from '@salesgraph/registry';
import { tempDir } from './support/stack.js';
import { SpanKinds, TestOtlpCollector } from './support/otlp.js';

describe('event bus', () => {
  it('publishes only what commits, in commit order', async () => {
    const settings = loadSettings({ ...process.env, NODE_ENV: 'test', DATA_DIR: tempDir() });
    const db = await openDatabase({ url: settings.databaseUrl });
    // Any subgraph's ORM will do; the bus only needs a transaction to notify from.
    const orm = await openOrm(db, subgraphs.find((s) => s.name === 'identity')!.ormOptions, settings.orm);
    const bus = new EventBus('sg_bus_test');
    const stop = await bus.listen(db);
    const received: BusEvent[] = [];
    const reading = (async () => {
      for await (const event of bus.pubSub.subscribe('TEST')) {
        received.push(event);
        if (event.n === 3) break;
      }
    })();
    try {
      await orm.em.fork().transactional(async (em) => {
        await bus.publish(em, 'TEST', { n: 1 });
        // A fixed wait on purpose: what must not happen sends no signal, so the listener gets time to show it.
        await sleep(100);
        assert.equal(received.length, 0, 'nothing leaves before the commit');
      });
      await assert.rejects(
        orm.em.fork().transactional(async (em) => {
          await bus.publish(em, 'TEST', { n: 2 });
          throw new Error('roll back');
        }),
      );
      await orm.em.fork().transactional((em) => bus.publish(em, 'TEST', { n: 3 }));
      await Promise.race([reading, sleep(5_000)]);
      assert.deepEqual(
        received.map((e) => e.n),
        [1, 3],
        'the rolled-back event never arrives',
      );
    } finally {
      await stop();
      await orm.close();
      await db.close();
    }
  });

  it('runs a handler in a span of its own in the publisher’s trace, its SQL under it', async () => {
    const collector = await new TestOtlpCollector().start();
    const tracing = startTracing(
      { endpoint: collector.url, headers: {}, sampler: 'parentbased_always_on', ratio: 1, scheduleDelayMs: 50 },
      'salesgraph-event-bus-test',
    );
    const settings = loadSettings({ ...process.env, NODE_ENV: 'test', DATA_DIR: tempDir() });
    const db = await openDatabase({ url: settings.databaseUrl });
    const orm = await openOrm(db, subgraphs.find((s) => s.name === 'identity')!.ormOptions, settings.orm);
    const bus = new EventBus('sg_bus_trace_test');
    const stop = await bus.listen(db);
    let markHandled!: () => void;
    const handled = new Promise<void>((resolve) => (markHandled = resolve));
    // As a service's handler does: work of its own on the database.
    const stopHandling = bus.on('TRACED', () => void orm.em.fork().getConnection().execute('select 1 as handled').then(markHandled));
    try {
      const publisher = await tracer.startActiveSpan('publisher', async (span) => {
        await orm.em.fork().transactional((em) => bus.publish(em, 'TRACED', { id: 1 }));
        span.end();
        return span.spanContext();
      });
      await Promise.race([handled, sleep(5_000)]);
      await tracing.forceFlush();
      const delivery = await collector.spans.waitFor((s) => s.name === 'event TRACED', 5_000);
      assert.equal(delivery.traceId, publisher.traceId);
      assert.equal(delivery.parentSpanId, publisher.spanId);
      assert.equal(delivery.kind, SpanKinds.consumer);
      assert.equal(delivery.attributes['messaging.destination.name'], 'sg_bus_trace_test');
      const statement = await collector.spans.waitFor((s) => s.attributes['db.statement'] === 'select 1 as handled', 5_000);
      assert.equal(statement.traceId, publisher.traceId);
      assert.equal(statement.parentSpanId, delivery.spanId);
    } finally {
      stopHandling();
      await stop();
      await orm.close();
      await db.close();
      await tracing.shutdown();
      await collector.close();
    }
  });
});
