/**
 * What counting one request costs on each rate-limit store: in this process, on the PostgreSQL server, in
 * Redis (the one round trip every request through the gateway pays for its budget).
 *
 *   npm run bench:limits
 *   options: --takes=5000 --parallel=50   (or BENCH_TAKES, BENCH_PARALLEL)
 *   stores: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_REDIS_URL (default
 *   redis://127.0.0.1:6379/0); a store that cannot be reached is reported and skipped
 *
 * Each store counts `takes` requests one after another (latency p50/p95/p99 of one count), then the same
 * number `parallel` at a time (counts per second), on keys of its own run, over 1,000 clients.
 */
import { randomBytes } from 'node:crypto';
import { ANONYMOUS } from '@salesgraph/platform';
import { CounterStore, RateLimiter } from '@salesgraph/gateway';
import { runBench } from './support/run.js';

const option = (name: string, fallback: number) => {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? process.env[`BENCH_${name.toUpperCase()}`];
  const value = Number(given ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(kind: string, counters: CounterStore, takes: number, parallel: number) {
  const run = randomBytes(4).toString('hex');
  // A budget no client reaches: every count goes to the store (a refused one would be answered from memory).
  const limiter = new RateLimiter({ anonymousPerWindow: 1_000_000 }, counters);
  const client = (i: number) => `bench-${run}-${i % 1_000}`;
  for (let i = 0; i < 200; i++) await limiter.take(ANONYMOUS, client(i)); // warm-up: connections, prepared statements
  const latencies: number[] = [];
  for (let i = 0; i < takes; i++) {
    const started = process.hrtime.bigint();
    await limiter.take(ANONYMOUS, client(i));
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  latencies.sort((x, y) => x - y);
  const started = process.hrtime.bigint();
  for (let i = 0; i < takes; i += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, takes - i) }, (_, j) => limiter.take(ANONYMOUS, client(i + j))));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `${kind.padEnd(9)} one count: p50 ${percentile(latencies, 50).toFixed(3)} ms, p95 ${percentile(latencies, 95).toFixed(3)} ms, ` +
      `p99 ${percentile(latencies, 99).toFixed(3)} ms; ${parallel} at a time: ${Math.round(takes / seconds)} counts/s`,
  );
}

runBench(async () => {
  const takes = option('takes', 5_000);
  const parallel = option('parallel', 50);
  const stores: [string, () => Promise<CounterStore>][] = [
    ['memory', () => Promise.resolve(CounterStore.memory())],
    ['postgres', () => CounterStore.open({ databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' })],
    ['redis', () => CounterStore.open({ redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0' })],
  ];
  console.log(`rate-limit stores: ${takes} counts each, one after another, then ${parallel} at a time`);
  for (const [kind, open] of stores) {
    const counters = await open();
    try {
      // A store that does not answer is counted around in memory: that would measure memory, not the store.
      const probe = await counters.budget('bench-probe', 1_000_000, 60).take('probe');
      if (!probe.allowed || (kind !== 'memory' && !(await counters.usable()))) {
        console.log(`${kind.padEnd(9)} unreachable, skipped`);
        continue;
      }
      await measure(kind, counters, takes, parallel);
    } finally {
      await counters.close();
    }
  }
  return 0;
});
