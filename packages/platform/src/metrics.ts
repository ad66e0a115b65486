import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client's default registry), served at `/metrics` by the gateway and by
 * each subgraph that listens on its own port. Made once per process: several gateways or subgraphs in one process
 * (the tests) add to the same series, and the gauges sum what every live source reports at scrape time.
 */
collectDefaultMetrics();

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const metrics = {
  httpRequests: new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by door (graphql, rest, route, subgraph, other), route or operation, method and status',
    labelNames: ['door', 'route', 'method', 'status'] as const,
  }),
  httpDuration: new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request’s arrival to the end of its answer, by door and route or operation',
    labelNames: ['door', 'route'] as const,
    buckets: SECONDS,
  }),
  subgraphFetch: new Histogram({
    name: 'subgraph_fetch_duration_seconds',
    help: 'The gateway’s fetches from subgraphs (query plan steps), by subgraph and outcome (ok, errors, unavailable; shared: answered by an identical fetch under way)',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: SECONDS,
  }),
  eventLag: new Histogram({
    name: 'event_bus_lag_seconds',
    help: 'From an event’s publication (in its transaction) to its delivery in this process, by channel',
    labelNames: ['channel'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  }),
  jobs: new Counter({
    name: 'jobs_total',
    help: 'Job attempts run in this process, by queue and outcome (completed, failed)',
    labelNames: ['queue', 'outcome'] as const,
  }),
  rateLimited: new Counter({
    name: 'rate_limit_refusals_total',
    help: 'Requests refused with 429, by limit (anonymous, authenticated, credential, webhook, connections)',
    labelNames: ['limit'] as const,
  }),
};

/** One live thing a gauge reports on at scrape time (a gateway's sockets, a subgraph's pool); `stop` forgets it. */
type Reading = { labels: Record<string, string>; value: number };
type Source = () => Reading[] | Promise<Reading[]>;

function summedGauge(name: string, help: string, labelNames: string[]) {
  const sources = new Set<Source>();
  new Gauge({
    name,
    help,
    labelNames,
    async collect() {
      this.reset();
      const readings = await Promise.all([...sources].map((source) => Promise.resolve(source()).catch((): Reading[] => [])));
      for (const { labels, value } of readings.flat()) this.inc(labels, value);
    },
  });
  return (source: Source): (() => void) => {
    sources.add(source);
    return () => void sources.delete(source);
  };
}

export const gauges = {
  /** Open realtime connections, by protocol (graphql-ws, socket.io). */
  connections: summedGauge('realtime_connections', 'Open realtime connections, by protocol (graphql-ws, socket.io)', ['protocol']),
  /** Subscriptions running, by where (gateway: clients' subscriptions; a subgraph's name: its listeners). */
  subscriptions: summedGauge('subscriptions_active', 'Subscriptions running, by where they run (gateway, or a subgraph)', ['where']),
  /** Jobs waiting, by queue and state (ready, deferred, active). */
  jobQueue: summedGauge('job_queue_depth', 'Jobs of a queue waiting or running, by state (ready, deferred, active)', ['queue', 'state']),
  /** Database connections, by subgraph and state (busy, idle, waiting for one). */
  databasePool: summedGauge('database_pool_connections', 'Connections of a subgraph’s pool, by state (busy, idle, waiting)', [
    'subgraph',
    'state',
  ]),
};

/**
 * `GET /metrics` in Prometheus' text format. With a token, only for `Authorization: Bearer <token>`; without one,
 * only while `open` (the process is not reachable from other machines): metrics name routes and volumes.
 */
export function metricsEndpoint({ token, open }: { token?: string; open: boolean }): RequestHandler {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return void res.status(401).json({ detail: 'Metrics need the metrics token' });
      }
    } else if (!open) {
      return void res.status(404).json({ detail: 'Metrics are off: set METRICS_TOKEN' });
    }
    res.type(register.contentType).send(await register.metrics());
  };
}

/** Times one HTTP request into `http_requests_total` and `http_request_duration_seconds` when its answer ends. */
export function observeRequest(door: string, route: string, method: string, status: number, startedAt: bigint): void {
  metrics.httpRequests.inc({ door, route, method, status: String(status) });
  metrics.httpDuration.observe({ door, route }, Number(process.hrtime.bigint() - startedAt) / 1e9);
}

/**
 * An operation name as a label, from a bounded set: clients choose the names, so past `limit` distinct ones
 * the rest count as `other` (a label per name would let any client grow the series without end).
 */
export class BoundedLabels {
  private readonly seen = new Set<string>();
  constructor(private readonly limit = 500) {}

  of(value: string | undefined, none = 'anonymous'): string {
    if (!value) return none;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(value);
    return value;
  }
}
