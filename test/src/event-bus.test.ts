import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { EventBus, loadSettings, openDatabase, openOrm, type BusEvent } from '@salesgraph/platform';
import { subgraphs } from '@salesgraph/registry';
import { tempDir } from './support/stack.js';

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
});
