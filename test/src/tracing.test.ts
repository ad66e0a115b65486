import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { graphql, rest } from './support/client.js';
import { OpenAIStandIn } from './support/openai.js';
import { SpanKinds, TestOtlpCollector, type ReceivedSpan } from './support/otlp.js';
import { processEnv, startGatewayProcess, startSubgraphProcess, type ProductProcess } from './support/processes.js';
import { freshServerDatabase, loginToken, usingServer, type ServerDatabase } from './support/stack.js';
import { parseLines } from './support/log-lines.js';

/** A client's W3C trace context: a fresh trace id, the client's own span id, sampled. */
function clientTrace(): { traceId: string; parentId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, traceparent: `00-${traceId}-${parentId}-01` };
}

const PROVIDER_KEY = 'sk-provider-key-never-in-a-span';
const LEAD = { name: 'Quillon Traceworthy', email: 'quillon.traceworthy@example.com' };

/**
 * The gateway (`npm start`'s entry point) and the identity subgraph as two processes, both exporting to a local
 * OTLP collector: the leads subgraph runs inside the gateway (context passed in-process), identity is reached over
 * HTTP (context passed in `traceparent`), so one query shows both hops.
 */
describe('tracing: OpenTelemetry spans from the gateway through the subgraphs down to SQL', () => {
  let collector: TestOtlpCollector;
  let provider: OpenAIStandIn;
  let identity: ProductProcess;
  let gateway: ProductProcess;
  let token: string;
  let adminId: string;
  // On the server, a database of this test's own: the suite stack's job workers would otherwise take the ring-timeout
  // job and trace it nowhere.
  let database: ServerDatabase | undefined;
  const env = (label: string) =>
    processEnv(label, {
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      // Spans leave within a tenth of a second of ending, so the test waits little for them.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      ...(database && { DATABASE_URL: database.url.href }),
    });

  before(async () => {
    if (usingServer) database = await freshServerDatabase('tracing');
    collector = await new TestOtlpCollector().start();
    provider = await OpenAIStandIn.start({ requiredKey: PROVIDER_KEY });
    identity = await startSubgraphProcess('identity', env('tracing-identity'));
    gateway = await startGatewayProcess({
      ...env('tracing-gateway'),
      SUBGRAPH_IDENTITY_URL: identity.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=gateway%20key',
      OPENAI_BASE_URL: provider.url,
      OPENAI_API_KEY: PROVIDER_KEY,
      // Statements are logged too: even so, neither the log nor the trace gets their parameters' values.
      SQL_DEBUG: 'true',
    });
    token = await loginToken(gateway.url, 'admin', 'admin');
    const me = await graphql(gateway.url, 'query { me { id } }', undefined, { token });
    adminId = me.data!.me.id as string;
  });
  after(async () => {
    await gateway?.stop();
    await identity?.stop();
    await collector?.close();
    await provider?.close();
    await database?.drop();
  });

  /**
   * The server span `service` made for a request of trace `traceId`, once it arrived: a process ends it after
   * everything else of the request, and exports spans in the order they end.
   */
  const serverSpan = (traceId: string, service = 'salesgraph-gateway') =>
    collector.spans.waitFor((s) => s.traceId === traceId && s.service === service && s.kind === SpanKinds.server);
  const serverSpans = async (traceId: string) => ({
    gatewaySpan: await serverSpan(traceId),
    identitySpan: await serverSpan(traceId, 'salesgraph-identity'),
  });

  it('continues the client’s trace through the query plan into both subgraphs and their SQL, as one tree', async () => {
    const created = await graphql(
      gateway.url,
      'mutation TracedCreateLead($input: CreateLeadInput!) { createLead(input: $input) { ... on Lead { id } } }',
      { input: { ...LEAD, assignedUserId: adminId } },
      { token },
    );
    assert.ok(created.data?.createLead.id, JSON.stringify(created.errors));

    const client = clientTrace();
    const answer = await graphql(
      gateway.url,
      'query TracedLeads { leads(first: 5) { nodes { name assignedUser { username } } } }',
      undefined,
      { token, headers: { traceparent: client.traceparent, tracestate: 'vendor=opaque' } },
    );
    assert.equal(answer.status, 200);
    const lead = answer.data?.leads.nodes.find((node: { name: string }) => node.name === LEAD.name);
    assert.equal(lead?.assignedUser?.username, 'admin', JSON.stringify(answer.errors));

    const { gatewaySpan, identitySpan } = await serverSpans(client.traceId);
    const spans = collector.trace(client.traceId);

    // The gateway's request continues the client's span; every other span hangs under one of the trace's.
    assert.equal(gatewaySpan.parentSpanId, client.parentId);
    assert.equal(gatewaySpan.name, 'POST /graphql');
    assert.equal(gatewaySpan.attributes['graphql.operation.name'], 'TracedLeads');
    assert.equal(gatewaySpan.attributes['http.response.status_code'], 200);
    const ids = new Set(spans.map((s) => s.spanId));
    const orphans = spans.filter((s) => s !== gatewaySpan && !ids.has(s.parentSpanId ?? ''));
    assert.deepEqual(
      orphans.map((s) => `${s.service} ${s.name}`),
      [],
      'spans outside the tree',
    );
    const parentOf = (span: ReceivedSpan) => spans.find((s) => s.spanId === span.parentSpanId);
    const ancestors = (span: ReceivedSpan) => {
      const chain: ReceivedSpan[] = [];
      for (let at = parentOf(span); at; at = parentOf(at)) chain.push(at);
      return chain;
    };

    // The operation, as Apollo Gateway traces it: its name and type, then a fetch per subgraph of the plan.
    const operation = spans.find((s) => s.name === 'gateway.request');
    assert.equal(operation?.attributes['graphql.operation.name'], 'TracedLeads');
    assert.equal(operation?.attributes['graphql.operation.type'], 'query');
    assert.ok(ancestors(operation).includes(gatewaySpan));
    const fetchOf = (subgraph: string) => {
      const fetch = spans.find((s) => s.name === 'gateway.fetch' && s.attributes.service === subgraph);
      assert.ok(fetch, `a fetch from ${subgraph}`);
      assert.ok(ancestors(fetch).includes(operation));
      return fetch;
    };

    // Leads runs in the gateway's process: its execution, root field and SQL under the fetch.
    const leadsFetch = fetchOf('leads');
    const leadsSql = spans.filter((s) => s.attributes['db.system'] === 'postgresql' && s.attributes['salesgraph.subgraph'] === 'leads');
    assert.ok(leadsSql.length > 0, 'the leads subgraph’s SQL is traced');
    for (const statement of leadsSql) {
      const chain = ancestors(statement).map((s) => s.name);
      assert.ok(chain.includes('Query.leads') && chain.includes('subgraph leads'), `${statement.name} under ${chain.join(' < ')}`);
      assert.ok(ancestors(statement).includes(leadsFetch));
      assert.equal(statement.service, 'salesgraph-gateway');
    }

    // Identity is another process: the gateway's client span, then its server span continues the same trace.
    const identityFetch = fetchOf('identity');
    const call = parentOf(identitySpan);
    assert.equal(call?.name, 'subgraph identity');
    assert.equal(call?.kind, SpanKinds.client);
    assert.equal(call?.service, 'salesgraph-gateway');
    assert.ok(ancestors(call).includes(identityFetch));
    assert.equal(identitySpan.attributes['salesgraph.subgraph'], 'identity');
    assert.match(String(identitySpan.attributes['graphql.operation.name']), /^TracedLeads__identity__\d+$/);
    assert.equal(identitySpan.attributes['graphql.operation.type'], 'query');
    const identitySql = spans.filter((s) => s.service === 'salesgraph-identity' && s.attributes['db.system'] === 'postgresql');
    assert.ok(identitySql.length > 0, 'the identity subgraph’s SQL is traced');
    for (const statement of identitySql) {
      const chain = ancestors(statement);
      assert.ok(chain.includes(identitySpan), `${statement.name} under the identity request`);
      assert.ok(
        chain.some((s) => s.name === 'Query._entities'),
        `${statement.name} under the reference resolver`,
      );
      assert.match(String(statement.attributes['db.statement']), /^select /i);
    }

    // Logs join traces: both processes wrote the trace id on the request's lines.
    const traced = (output: string) => parseLines(output).filter((line) => line.traceId === client.traceId);
    assert.ok(
      traced(gateway.output()).some((line) => line.msg === 'request' && line.operationName === 'TracedLeads'),
      'the gateway’s access line carries the trace id',
    );
    assert.ok(
      traced(identity.output()).some((line) => line.msg === 'request' && line.subgraph === 'identity'),
      'the subgraph’s access line carries the trace id',
    );

    // OTEL_EXPORTER_OTLP_HEADERS go with every export of the gateway.
    assert.ok(collector.exportHeaders.some((headers) => headers['x-collector-key'] === 'gateway key'));
  });

  it('records SQL as text without parameter values, and no token, variable or header anywhere', async () => {
    const client = clientTrace();
    const lookedUp = await graphql(
      gateway.url,
      'query TracedLookup($filter: LeadFilter) { leads(first: 1, filter: $filter) { nodes { email } } }',
      { filter: { search: 'Traceworthy' } },
      { token, headers: { traceparent: client.traceparent } },
    );
    assert.equal(lookedUp.data?.leads.nodes[0]?.email, LEAD.email, JSON.stringify(lookedUp.errors));
    await serverSpan(client.traceId);

    const statements = collector.trace(client.traceId).filter((s) => s.attributes['db.system'] === 'postgresql');
    assert.ok(
      statements.some((s) => /\$\d|\?/.test(String(s.attributes['db.statement']))),
      'statements carry their placeholders',
    );
    // Everything exported so far, the lead's creation (its insert) included.
    const everything = JSON.stringify(collector.spans.all);
    assert.ok(
      collector.spans.all.some((s) => /^insert /i.test(String(s.attributes['db.statement']))),
      'the insert is traced',
    );
    for (const secret of [token, LEAD.name, LEAD.email, 'traceworthy', 'Bearer']) {
      assert.ok(!everything.toLowerCase().includes(secret.toLowerCase()), `a span holds ${secret.slice(0, 12)}…`);
    }
    assert.ok(!gateway.output().toLowerCase().includes('traceworthy'), 'the statements logged (SQL_DEBUG) hold no values');
  });

  it('traces a call to an AI provider by method and host, and sends the provider no trace context', async () => {
    const client = clientTrace();
    const completion = await rest(gateway.url, 'POST', '/v1/chat/completions', {
      token,
      headers: { traceparent: client.traceparent },
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there' }] },
    });
    assert.equal(completion.status, 200, JSON.stringify(completion.body));
    const gatewaySpan = await serverSpan(client.traceId);
    // The completion itself (a model list may be asked for first).
    const call = collector
      .trace(client.traceId)
      .find(
        (s) =>
          s.kind === SpanKinds.client && s.name === 'POST 127.0.0.1' && s.attributes['server.port'] === Number(new URL(provider.url).port),
      );
    assert.ok(call, 'a client span for the provider');
    assert.equal(call.attributes['http.response.status_code'], 200);
    const spans = collector.trace(client.traceId);
    let at: ReceivedSpan | undefined = call;
    while (at && at !== gatewaySpan) at = spans.find((s) => s.spanId === at!.parentSpanId);
    assert.equal(at, gatewaySpan, 'the provider’s call hangs under the request');
    const seen = await provider.waitFor((c) => c.path === '/v1/chat/completions');
    assert.equal(seen.headers.traceparent, undefined);
    assert.ok(!JSON.stringify(spans).includes(PROVIDER_KEY));
  });

  it('runs a job a traced request enqueued in a span of that trace, with the job’s SQL under it', async () => {
    const client = clientTrace();
    // Each ringing call has its ring-timeout job (calls.ring-timeout), due here a second later.
    const created = await graphql(
      gateway.url,
      'mutation TracedRingingCall($input: CreateCallInput!) { createCall(input: $input) { id } }',
      { input: { callerNumber: '+7 495 123-45-67', ringTimeoutSeconds: 1 } },
      { token, headers: { traceparent: client.traceparent } },
    );
    assert.ok(created.data?.createCall.id, JSON.stringify(created.errors));
    const gatewaySpan = await serverSpan(client.traceId);

    const job = await collector.spans.waitFor((s) => s.traceId === client.traceId && s.name === 'job calls.ring-timeout', 15_000);
    assert.equal(job.kind, SpanKinds.consumer);
    assert.equal(job.service, 'salesgraph-gateway');
    assert.equal(job.attributes['messaging.destination.name'], 'calls.ring-timeout');
    assert.equal(job.attributes['salesgraph.job.attempt'], 1);
    assert.equal(job.attributes['salesgraph.request_id'], gatewaySpan.attributes['salesgraph.request_id']);
    assert.equal(job.status, 0, 'the attempt succeeded');
    const spans = collector.trace(client.traceId);
    const parentOf = (span: ReceivedSpan) => spans.find((s) => s.spanId === span.parentSpanId);
    const ancestors = (span: ReceivedSpan) => {
      const chain: ReceivedSpan[] = [];
      for (let at = parentOf(span); at; at = parentOf(at)) chain.push(at);
      return chain;
    };
    // A child of the request that enqueued it, through the mutation that sent it.
    assert.ok(ancestors(job).includes(gatewaySpan), 'the job hangs under the request');
    assert.ok(
      ancestors(job).some((s) => s.name === 'Mutation.createCall'),
      ancestors(job)
        .map((s) => s.name)
        .join(' < '),
    );
    // The handler's statements (it reads the call and marks it missed) hang under the job's span.
    const statements = spans.filter((s) => s.attributes['db.system'] === 'postgresql' && ancestors(s).includes(job));
    assert.ok(statements.length > 0, 'the job’s SQL is traced under it');
    assert.ok(
      statements.some((s) => /^update /i.test(String(s.attributes['db.statement']))),
      statements.map((s) => s.attributes['db.statement']).join('\n'),
    );
    for (const statement of statements) assert.equal(statement.attributes['salesgraph.subgraph'], 'calls');
  });

  it('starts a new trace when the client’s traceparent is not a valid one, and still answers', async () => {
    const invalid = `00-${'0'.repeat(32)}-${randomBytes(8).toString('hex')}-01`;
    for (const traceparent of [invalid, 'not-a-traceparent', `00-${randomBytes(16).toString('hex')}-zzzz-01`]) {
      const before = collector.spans.all.length;
      const answer = await graphql(gateway.url, 'query TracedWithoutParent { me { username } }', undefined, {
        token,
        headers: { traceparent },
      });
      assert.equal(answer.data?.me.username, 'admin', JSON.stringify(answer.errors));
      const started = await collector.spans.waitFor(
        (s) =>
          collector.spans.all.indexOf(s) >= before &&
          s.service === 'salesgraph-gateway' &&
          s.kind === SpanKinds.server &&
          s.attributes['graphql.operation.name'] === 'TracedWithoutParent',
      );
      assert.equal(started.parentSpanId, undefined, `a root span for ${traceparent}`);
      assert.match(started.traceId, /^(?!0{32})[0-9a-f]{32}$/);
      assert.ok(!traceparent.includes(started.traceId));
      // The new trace still reaches the subgraph.
      const { identitySpan } = await serverSpans(started.traceId);
      assert.equal(identitySpan.traceId, started.traceId);
    }
  });

  it('with tracing off exports nothing and passes no trace on, and requests work', async () => {
    // A second gateway whose tracing is turned off although a collector is named.
    const untraced = await startGatewayProcess({
      ...env('tracing-off'),
      SUBGRAPH_IDENTITY_URL: identity.url,
      OTEL_SDK_DISABLED: 'true',
      OTEL_SERVICE_NAME: 'salesgraph-untraced-gateway',
    });
    const client = clientTrace();
    try {
      const answer = await graphql(
        untraced.url,
        'query UntracedLeads { leads(first: 1) { nodes { assignedUser { username } } } me { username } }',
        undefined,
        { token, headers: { traceparent: client.traceparent } },
      );
      assert.equal(answer.status, 200);
      // On failure, what the gateway process logged as errors says why (its output is otherwise not shown).
      const errorLines = () => parseLines(untraced.output()).filter((line) => line.level === 'error');
      assert.equal(answer.data?.me.username, 'admin', `${JSON.stringify(answer.errors)}\n${JSON.stringify(errorLines())}`);
      // The traced identity process still traces its part, as a trace of its own: no context came with the call.
      const own = await collector.spans.waitFor(
        (s) =>
          s.service === 'salesgraph-identity' &&
          s.kind === SpanKinds.server &&
          String(s.attributes['graphql.operation.name']).startsWith('UntracedLeads'),
      );
      assert.equal(own.parentSpanId, undefined);
      assert.notEqual(own.traceId, client.traceId);
      assert.ok(!parseLines(untraced.output()).some((line) => 'traceId' in line), 'no trace id in its log lines');
    } finally {
      // Stopped, it has exported whatever it would ever export.
      await untraced.stop();
    }
    assert.deepEqual(collector.trace(client.traceId), []);
    assert.ok(!collector.spans.all.some((s) => s.service === 'salesgraph-untraced-gateway'));
  });
});
