import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it, mock } from 'node:test';
import { ANONYMOUS, Role, type Identity } from '@salesgraph/platform';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { CounterStore, leaseSize, RateLimiter } from '@salesgraph/gateway';
import { TcpProxy } from './support/tcp-proxy.js';
import { until } from './support/wait.js';

const user = (userId: number): Identity => ({ kind: 'user', userId, organizationId: 'org-1', role: Role.USER });
const apiKey = (apiKeyId: string, userId: number): Identity => ({
  kind: 'apiKey',
  apiKeyId,
  userId,
  organizationId: 'org-1',
  role: Role.USER,
});

/** Keys of this run only: the shared stores outlive it. */
const run = randomUUID().slice(0, 8);
const address = (n: number) => `203.0.113.${n}-${run}`;
let userIds = Math.floor(Math.random() * 1e9);

/** Takes `n` requests; the decisions. */
const take = (limiter: RateLimiter, n: number, identity: Identity, ip: string) =>
  Promise.all(Array.from({ length: n }, () => limiter.take(identity, ip)));

const stores: { kind: string; open: () => Promise<CounterStore>; skip: string | false }[] = [
  { kind: 'memory', open: () => Promise.resolve(CounterStore.memory()), skip: false },
  {
    kind: 'postgres',
    open: () => CounterStore.open({ databaseUrl: process.env.DATABASE_URL }),
    skip: !process.env.DATABASE_URL && 'needs DATABASE_URL (a PostgreSQL server)',
  },
  {
    kind: 'redis',
    open: () => CounterStore.open({ redisUrl: process.env.REDIS_URL }),
    skip: !process.env.REDIS_URL && 'needs REDIS_URL (a Redis server)',
  },
];

for (const { kind, open, skip } of stores) {
  describe(`gateway rate limiter on the ${kind} store (unit)`, { skip }, () => {
    let counters: CounterStore;
    before(async () => {
      counters = await open();
      assert.equal(counters.kind, kind);
    });
    after(() => counters?.close());

    it('allows the anonymous limit per address, then refuses with the limit and when to retry', async () => {
      const limiter = new RateLimiter({ anonymousPerWindow: 3, authenticatedPerWindow: 10 }, counters);
      assert.ok((await take(limiter, 3, ANONYMOUS, address(1))).every((d) => d.allowed));
      const refused = await limiter.take(ANONYMOUS, address(1));
      assert.equal(refused.allowed, false);
      assert.equal(refused.limit, 3);
      assert.ok(!refused.allowed && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60, 'within the window');
      assert.ok((await limiter.take(ANONYMOUS, address(2))).allowed, 'another address has its own budget');
    });

    it('lets exactly the limit through of parallel requests', async () => {
      const limiter = new RateLimiter({ anonymousPerWindow: 5 }, counters);
      const decisions = await take(limiter, 20, ANONYMOUS, address(3));
      assert.equal(decisions.filter((d) => d.allowed).length, 5);
    });

    it('counts a signed-in user per user, wherever they come from, and never against the address', async () => {
      const limiter = new RateLimiter({ anonymousPerWindow: 1, authenticatedPerWindow: 3 }, counters);
      const id = ++userIds;
      const decisions = [...(await take(limiter, 2, user(id), address(4))), ...(await take(limiter, 1, user(id), address(5)))];
      assert.ok(decisions.every((d) => d.allowed));
      const refused = await limiter.take(user(id), address(6));
      assert.deepEqual([refused.allowed, refused.limit], [false, 3]);
      assert.ok((await limiter.take(user(++userIds), address(4))).allowed, 'another user of the same address');
      assert.ok((await limiter.take(ANONYMOUS, address(4))).allowed, 'the address’s anonymous budget is untouched');
    });

    it('counts an API key on its own, apart from its user and the user’s other keys', async () => {
      const limiter = new RateLimiter({ authenticatedPerWindow: 2 }, counters);
      const id = ++userIds;
      assert.ok((await take(limiter, 2, apiKey(`key-a-${run}`, id), 'a')).every((d) => d.allowed));
      assert.equal((await limiter.take(apiKey(`key-a-${run}`, id), 'b')).allowed, false);
      assert.ok((await limiter.take(apiKey(`key-b-${run}`, id), 'a')).allowed);
      assert.ok((await limiter.take(user(id), 'a')).allowed);
    });

    it('starts a new window once the first request’s window is over', async () => {
      const limiter = new RateLimiter({ anonymousPerWindow: 2, windowMs: 1_000 }, counters);
      const first = await limiter.take(ANONYMOUS, address(7));
      await limiter.take(ANONYMOUS, address(7));
      assert.equal((await limiter.take(ANONYMOUS, address(7))).allowed, false);
      assert.ok(first.allowed);
      await until('the window to end', () => Date.now() >= first.resetsAt, 2_000);
      assert.deepEqual(
        (await take(limiter, 3, ANONYMOUS, address(7))).map((d) => d.allowed).sort(),
        [false, true, true],
        'the next window has the whole budget again, and no more',
      );
    });

    it('gives back an anonymous request only within the window it was counted in', async () => {
      const limiter = new RateLimiter({ anonymousPerWindow: 1, windowMs: 1_000 }, counters);
      const claim = await limiter.take(ANONYMOUS, address(8));
      await limiter.giveBack(address(8), claim);
      const again = await limiter.take(ANONYMOUS, address(8));
      assert.ok(again.allowed, 'the given-back request freed its place');
      assert.equal((await limiter.take(ANONYMOUS, address(8))).allowed, false);
      await until('the window to end', () => again.allowed && Date.now() >= again.resetsAt, 2_000);
      assert.ok((await limiter.take(ANONYMOUS, address(8))).allowed, 'a new window');
      await limiter.giveBack(address(8), again);
      assert.equal(
        (await limiter.take(ANONYMOUS, address(8))).allowed,
        false,
        'a request of the previous window is not given back in this one',
      );
    });

    it('refuses whole seconds from a window of whole seconds', () => {
      assert.throws(() => new RateLimiter({ windowMs: 1_500 }, counters), /windowMs must be whole seconds/);
    });
  });
}

describe('gateway rate limiter when its store fails (unit)', () => {
  /** A port that accepts connections and answers nothing: a store that stalls. */
  let silent: Server;
  let silentPort: number;
  const held = new Set<Socket>();
  const warnings: string[] = [];
  before(async () => {
    silent = createServer((socket) => {
      held.add(socket);
      socket.on('close', () => held.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as AddressInfo).port;
    mock.method(console, 'warn', (...args: unknown[]) => warnings.push(args.join(' ')));
  });
  after(async () => {
    mock.restoreAll();
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  /** A port nothing listens on. */
  const closedPort = async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  };

  for (const [kind, url] of [
    ['redis (refused)', async () => ({ redisUrl: `redis://127.0.0.1:${await closedPort()}` })],
    ['redis (stalled)', () => Promise.resolve({ redisUrl: `redis://127.0.0.1:${silentPort}` })],
    ['postgres (refused)', async () => ({ databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/none` })],
    ['postgres (stalled)', () => Promise.resolve({ databaseUrl: `postgres://postgres@127.0.0.1:${silentPort}/none` })],
  ] as const) {
    it(`counts in this process, with a warning, while the ${kind} store does not answer`, async () => {
      warnings.length = 0;
      const counters = await CounterStore.open(await url());
      try {
        const limiter = new RateLimiter({ anonymousPerWindow: 3 }, counters);
        const decisions = [];
        for (let i = 0; i < 4; i++) decisions.push(await limiter.take(ANONYMOUS, address(9)));
        assert.deepEqual(
          decisions.map((d) => d.allowed),
          [true, true, true, false],
          'the limit still holds, per process',
        );
        assert.ok(
          warnings.some((w) => /rate limits: the (redis|postgres) store failed .*counting in this process/.test(w)),
          warnings.join('\n'),
        );
        assert.ok(!warnings.join('\n').includes('password'), 'no credentials in the log');
      } finally {
        await counters.close();
      }
    });
  }

  for (const [kind, variable, defaultPort] of [
    ['redis', 'REDIS_URL', 6379],
    ['postgres', 'DATABASE_URL', 5432],
  ] as const) {
    it(
      `counts in this process while the ${kind} store is away, and in the store again once it is back`,
      { skip: !process.env[variable] && `needs ${variable}` },
      async () => {
        warnings.length = 0;
        const server = new URL(process.env[variable]!);
        const proxy = await new TcpProxy({ host: server.hostname, port: Number(server.port || defaultPort) }).start();
        const through = Object.assign(new URL(server.href), { port: String(proxy.port) }).href;
        const counters = await CounterStore.open(kind === 'redis' ? { redisUrl: through } : { databaseUrl: through });
        try {
          const limiter = new RateLimiter({ anonymousPerWindow: 3 }, counters);
          const client = address(10);
          for (let i = 0; i < 2; i++) assert.ok((await limiter.take(ANONYMOUS, client)).allowed, 'counted in the store');
          assert.equal(warnings.length, 0, warnings.join('\n'));

          await proxy.cut();
          assert.ok((await limiter.take(ANONYMOUS, client)).allowed, 'answered while the store is away');
          assert.ok(
            warnings.some((w) => w.includes(`the ${kind} store failed`)),
            warnings.join('\n'),
          );

          await proxy.restore();
          let probe = 100;
          await until(
            'the store to be used again',
            async () => {
              await limiter.take(ANONYMOUS, address(probe++));
              return warnings.some((w) => w.includes(`the ${kind} store answers again`));
            },
            20_000,
          );
          // The store kept its count through the outage: 2 of 3, so one more, then no more.
          assert.ok((await limiter.take(ANONYMOUS, client)).allowed);
          assert.equal((await limiter.take(ANONYMOUS, client)).allowed, false);
        } finally {
          await counters.close();
          await proxy.cut();
        }
      },
    );
  }
});

describe('rate limiter: known good credentials (unit)', () => {
  const minute = 60_000;
  const t0 = 1_000 * minute;

  it('remembers credentials that authenticated for this window and the next, as long as they are used', () => {
    const limiter = new RateLimiter();
    limiter.rememberGood('sgk_one', t0);
    assert.equal(limiter.knowsGood('sgk_one', t0 + 10), true);
    assert.equal(limiter.knowsGood('sgk_other', t0 + 10), false);
    assert.equal(limiter.knowsGood('sgk_one', t0 + minute + 5), true, 'the next window still knows it, and carries it on');
    assert.equal(limiter.knowsGood('sgk_one', t0 + 2 * minute + 5), true, 'used in the last window, so known in this one');
    assert.equal(limiter.knowsGood('sgk_one', t0 + 4 * minute), false, 'a whole window unused forgets it');
  });

  it('forgets a credential at once when told to', () => {
    const limiter = new RateLimiter();
    limiter.rememberGood('token', t0);
    limiter.knowsGood('token', t0 + minute);
    limiter.forgetGood('token');
    assert.equal(limiter.knowsGood('token', t0 + minute + 1), false);
  });
});

describe('shared budgets lease points (unit)', () => {
  /** A shared store in memory that counts its round trips: what a replica's leases save. */
  const countingStore = () => {
    const trips = { count: 0, failing: false };
    // One limiter per budget name, as every replica reaches the same counters in Redis.
    const limiters = new Map<string, RateLimiterMemory>();
    const store = new CounterStore(
      'redis',
      (name, points, duration) => {
        const known = limiters.get(name);
        if (known) return known;
        const limiter = new RateLimiterMemory({ keyPrefix: name, points, duration });
        const consume = limiter.consume.bind(limiter);
        limiter.consume = (key, taken) => {
          trips.count++;
          return trips.failing ? Promise.reject(new Error('the store is down')) : consume(key, taken);
        };
        limiters.set(name, limiter);
        return limiter;
      },
      () => Promise.resolve(),
    );
    return { store, trips };
  };

  it('takes small budgets one point at a time, so they are counted exactly', async () => {
    assert.equal(leaseSize(5), 1);
    assert.equal(leaseSize(199), 1);
    const { store, trips } = countingStore();
    const budget = store.budget('small', 50, 60);
    const counts = await Promise.all(Array.from({ length: 60 }, () => budget.take('k')));
    assert.equal(counts.filter((c) => c.allowed).length, 50);
    assert.equal(trips.count, 60);
  });

  it('takes large budgets ten points a trip, and two replicas together never exceed the limit', async () => {
    assert.equal(leaseSize(1_000), 10);
    assert.equal(leaseSize(1_000_000), 10);
    const { store, trips } = countingStore();
    const replicas = [store.budget('large', 1_000, 60), store.budget('large', 1_000, 60)];
    let allowed = 0;
    for (let n = 0; n < 1_000; n++) if ((await replicas[n % 2].take('k')).allowed) allowed++;
    assert.equal(allowed, 1_000);
    assert.equal(trips.count, 100, 'one round trip per ten requests');
    for (let n = 0; n < 200; n++) if ((await replicas[n % 2].take('k')).allowed) allowed++;
    assert.equal(allowed, 1_000, 'and not one more');
    // Uneven: one replica leases, the other takes most; the limit still holds and little is lost.
    const uneven = [store.budget('uneven', 1_000, 60), store.budget('uneven', 1_000, 60)];
    let unevenAllowed = 0;
    for (let n = 0; n < 1_200; n++) if ((await uneven[n % 7 === 0 ? 0 : 1].take('k')).allowed) unevenAllowed++;
    assert.ok(unevenAllowed <= 1_000 && unevenAllowed >= 1_000 - 2 * 9, `${unevenAllowed} allowed of 1000`);
  });

  it('gives a point back to the lease it came from', async () => {
    const { store, trips } = countingStore();
    const budget = store.budget('returns', 1_000, 60);
    const first = await budget.take('k');
    for (let n = 0; n < 20; n++) await budget.giveBack('k', await budget.take('k'));
    assert.ok(first.allowed);
    assert.equal(trips.count, 1, 'taken and given back within the lease');
  });

  it('gives a request counted in this process while the store failed back there, never to the lease', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    t.mock.method(console, 'warn', () => undefined);
    const { store, trips } = countingStore();
    const budget = store.budget('fallback', 1_000, 60);
    for (let n = 0; n < 10; n++) assert.ok((await budget.take('k')).allowed);
    assert.equal(trips.count, 1, 'the lease of ten is used up');
    trips.failing = true;
    const counted = await budget.take('k');
    assert.ok(counted.allowed && counted.local, 'counted in this process while the store fails');
    await budget.giveBack('k', counted);
    // The store answers again, and is tried again once its 5 s pause is over.
    trips.failing = false;
    t.mock.timers.tick(6_000);
    const trips0 = trips.count;
    assert.ok((await budget.take('k')).allowed);
    assert.equal(trips.count, trips0 + 1, 'the next request goes to the store: the lease gained no point the store never gave');
  });
});
