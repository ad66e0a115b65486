import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadSettings, log, logTo } from '@salesgraph/platform';
import { startProduct, type Product } from '@salesgraph/gateway';
import { graphql, rest } from './support/client.js';
import { processEnv, startSubgraphProcess, type SubgraphProcess } from './support/processes.js';
import { loginToken } from './support/stack.js';
import { until } from './support/wait.js';
import { parseLines, type LogLine } from './support/log-lines.js';

/** Prometheus' text format as `series → value`, a series being the name with its labels as written. */
function parseMetrics(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    series.set(match[1], Number(match[2]));
  }
  return series;
}

/**
 * A gateway whose identity subgraph runs as its own process (as docker-compose deploys it), so a request id is
 * seen crossing a process boundary, and readiness can lose a subgraph.
 */
describe('observability: request ids, logs, metrics and probes', () => {
  let identity: SubgraphProcess;
  let product: Product;
  let token: string;
  const gatewayLines: string[] = [];
  let restoreSink: ReturnType<typeof logTo>;
  let level: string;
  const env = processEnv('observability', { LOG_LEVEL: 'info' });

  before(async () => {
    identity = await startSubgraphProcess('identity', env);
    product = await startProduct({ settings: loadSettings({ ...process.env, ...env }), port: 0, subgraphUrls: { identity: identity.url } });
    token = await loginToken(product.url, 'admin', 'admin');
    level = log.level;
    log.level = 'info';
    restoreSink = logTo({ write: (line: string) => gatewayLines.push(line) });
  });
  after(async () => {
    logTo(restoreSink);
    log.level = level;
    await product?.close();
    await identity?.stop();
  });

  it('returns the request id, and the gateway and the subgraph log it with the operation and the caller', async () => {
    const requestId = `obs-${Date.now()}`;
    const me = await graphql(product.url, 'query ObservedMe { me { id username organization { id } } }', undefined, {
      token,
      headers: { 'x-request-id': requestId },
    });
    assert.equal(me.data?.me.username, 'admin', JSON.stringify(me.errors));
    assert.equal(me.headers.get('x-request-id'), requestId);

    const access = await until('the gateway’s access line', () =>
      parseLines(gatewayLines.join('')).some((line) => line.requestId === requestId && line.msg === 'request'),
    ).then(() => parseLines(gatewayLines.join('')).find((line) => line.requestId === requestId && line.msg === 'request')!);
    assert.equal(access.operationName, 'ObservedMe');
    assert.equal(access.organizationId, me.data.me.organization.id);
    assert.equal(access.userId, Number(me.data.me.id));
    assert.equal(access.status, 200);
    assert.equal(access.outcome, 'ok');
    assert.equal(access.door, 'graphql');
    assert.equal(typeof access.durationMs, 'number');
    assert.equal(access.level, 'info');

    // The gateway's own check of the session carries the id too; this is the query plan's fetch.
    const fetched = (line: LogLine) => line.requestId === requestId && String(line.operationName).startsWith('ObservedMe');
    await until('the subgraph’s line with that request id', () => parseLines(identity.output()).some(fetched));
    const subgraphLine = parseLines(identity.output()).find(fetched)!;
    assert.equal(subgraphLine.subgraph, 'identity');
    assert.equal(subgraphLine.organizationId, me.data.me.organization.id);
    assert.equal(subgraphLine.status, 200);

    // An id that is not one (too long, or with characters that could forge a line) is replaced by a fresh one.
    const forged = await rest(product.url, 'GET', '/livez', { headers: { 'x-request-id': 'a b\tc'.repeat(40) } });
    assert.match(String(forged.headers.get('x-request-id')), /^[0-9a-f-]{36}$/);
  });

  it('never writes a token, a password or a secret', async () => {
    const password = 'admin';
    const fresh = await loginToken(product.url, 'admin', password, { 'x-request-id': 'login-to-check' });
    await rest(product.url, 'GET', '/api/v1/leads/?secret=query-string-secret', { token: fresh });
    await graphql(product.url, 'query { me { id } }', undefined, { headers: { 'x-api-key': 'sgk_not_a_real_key_but_secret' } });
    // A careless log call is redacted too.
    log.info({ password: 'hunter2-password', headers: { authorization: `Bearer ${fresh}`, cookie: 'sid=cookie-secret' } }, 'careless');
    await until('the login’s line in the subgraph', () => identity.output().includes('login-to-check'));
    const everything = gatewayLines.join('') + identity.output();
    for (const secret of [fresh, token, 'hunter2-password', 'cookie-secret', 'query-string-secret', 'sgk_not_a_real_key_but_secret'])
      assert.ok(!everything.includes(secret), `the logs hold ${secret.slice(0, 12)}…`);
    assert.ok(!/"password":"admin"/.test(everything));
    assert.ok(everything.includes('[redacted]'));
  });

  it('serves /metrics in Prometheus format, and the counters move with requests', async () => {
    const scrape = async () => {
      const response = await fetch(`${product.url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(String(response.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
      return parseMetrics(await response.text());
    };
    const series = 'http_requests_total{door="graphql",route="CountedMe",method="POST",status="200"}';
    const before = await scrape();
    for (let i = 0; i < 3; i++) await graphql(product.url, 'query CountedMe { me { id } }', undefined, { token });
    const afterwards = await scrape();
    assert.equal((afterwards.get(series) ?? 0) - (before.get(series) ?? 0), 3);
    const fetches = (m: Map<string, number>) => m.get('subgraph_fetch_duration_seconds_count{subgraph="identity",outcome="ok"}') ?? 0;
    assert.ok(fetches(afterwards) - fetches(before) >= 3, 'the identity subgraph was fetched from');
    assert.ok(afterwards.has('http_request_duration_seconds_bucket{le="0.1",door="graphql",route="CountedMe"}'));
    assert.ok(afterwards.has('realtime_connections{protocol="graphql-ws"}'));
    assert.ok(afterwards.has('subscriptions_active{where="gateway"}'));
    assert.ok(afterwards.has('process_resident_memory_bytes'));

    // The subgraph process has its own.
    const own = await fetch(new URL('/metrics', identity.url));
    assert.equal(own.status, 200);
    const subgraphMetrics = parseMetrics(await own.text());
    assert.ok([...subgraphMetrics.keys()].some((key) => key.startsWith('http_requests_total{door="subgraph",route="/graphql"')));
  });

  it('asks for the metrics token once one is set', async () => {
    const metricsToken = 'metrics-token-for-tests-0123456789';
    const guarded = await startProduct({
      settings: loadSettings({ ...process.env, ...env, METRICS_TOKEN: metricsToken }),
      port: 0,
      subgraphUrls: { identity: identity.url },
    });
    try {
      assert.equal((await fetch(`${guarded.url}/metrics`)).status, 401);
      assert.equal((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
      const allowed = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      assert.equal(allowed.status, 200);
      assert.ok(parseMetrics(await allowed.text()).size > 10);
    } finally {
      await guarded.close();
    }
  });

  it('is alive throughout, and ready only while every subgraph answers', async () => {
    const ready = await rest(product.url, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
    assert.equal(ready.body.subgraphs.identity, 'ready');
    assert.equal(ready.headers.get('cache-control'), 'no-store');

    await identity.stop();
    const notReady = await rest(product.url, 'GET', '/readyz');
    assert.equal(notReady.status, 503);
    assert.equal(notReady.body.status, 'not_ready');
    assert.equal(notReady.body.subgraphs.identity, 'unavailable');
    assert.equal(notReady.body.subgraphs.leads, 'ready');
    const alive = await rest(product.url, 'GET', '/livez');
    assert.deepEqual([alive.status, alive.body], [200, { status: 'alive' }]);
    // Stopped by SIGTERM, the subgraph drained and exited cleanly.
    assert.equal(identity.child.exitCode, 0, identity.output().split('\n').slice(-5).join('\n'));
    assert.ok(parseLines(identity.output()).some((line) => line.msg === 'shutting down'));
  });
});
