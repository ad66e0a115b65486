/**
 * Leads list bench: one organization with 100 leads, each assigned to a user and in a campaign, listed through
 * the gateway as GraphQL (`leads(first: 100)` with the assignee's name from identity and the campaign's from
 * leads) and through seed 000's REST URL (`GET /api/v1/leads/?limit=100`), in one run.
 *
 *   npm run bench:leads
 *   options: --duration=5 --rounds=3 --warmup=2 --connections=10   (or BENCH_DURATION, BENCH_ROUNDS, ...)
 *
 * Prints req/s and p95 of each (medians over rounds, the order alternating), the REST/GraphQL ratio, and the
 * SQL statements one request costs per subgraph at 10 and at 100 leads (the fewest over a few runs, as the
 * tests count them). Gateway and subgraphs run in this process on an embedded database in memory; the load
 * generator (autocannon) runs in a forked child. Any non-2xx answer or GraphQL error fails the bench.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBench } from './support/run.js';

const SELF = fileURLToPath(import.meta.url);
const LEADS = 100;
const USERS = 10;
const CAMPAIGNS = 5;
const QUERY = (first: number) => `{ leads(first: ${first}) { nodes { id name assignedUser { firstName } campaign { name } } } }`;
const REST_PATH = (limit: number) => `/api/v1/leads/?limit=${limit}`;
const BENCH_RATE_LIMIT = 1_000_000_000;

interface LoadRequest {
  label: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** A substring every good answer has. */
  expect: string;
  duration: number;
  connections: number;
}
interface LoadResult {
  label: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  failures: number;
  sampleBadBody?: string;
}

// ---------------------------------------------------------------------------------------------------
// Load generator (child process).

interface AutocannonResult {
  requests: { total: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
}
type Autocannon = (
  opts: Record<string, unknown>,
  cb: (error: Error | null, result: AutocannonResult) => void,
) => { on(event: string, fn: (...args: unknown[]) => void): void };

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

function runLoadChild(): void {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  process.on('message', (message: LoadRequest) => {
    let sampleBadBody: string | undefined;
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url: message.url,
        method: message.method,
        headers: message.headers,
        ...(message.body && { body: message.body }),
        duration: message.duration,
        connections: message.connections,
        pipelining: 1,
        timeout: 10,
        verifyBody: (body: string) => {
          if (body.includes(message.expect) && !body.includes('"errors"')) return true;
          sampleBadBody ??= body.slice(0, 300);
          return false;
        },
      },
      (error, r) => {
        if (error) return void process.send!({ error: error.message });
        const sorted = latencies.sort((a, b) => a - b);
        const result: LoadResult = {
          label: message.label,
          requests: r.requests.total,
          rps: r.requests.total / r.duration,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          failures: r.non2xx + r.errors + r.timeouts + r.mismatches,
          sampleBadBody,
        };
        process.send!({ result });
      },
    );
    // (client, statusCode, bytes, responseTime in ms)
    instance.on('response', (...args: unknown[]) => latencies.push(args[3] as number));
    instance.on('error', () => undefined);
  });
  process.on('disconnect', () => process.exit(0));
}

class LoadGenerator {
  private readonly child: ChildProcess = fork(SELF, ['--load-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  run(request: LoadRequest): Promise<LoadResult> {
    return new Promise((resolvePromise, reject) => {
      this.child.once('message', (message: { result?: LoadResult; error?: string }) =>
        message.result ? resolvePromise(message.result) : reject(new Error(`load generator: ${message.error}`)),
      );
      this.child.send(request);
    });
  }
  close(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolvePromise) => {
      this.child.once('exit', () => resolvePromise());
      this.child.disconnect();
    });
  }
}

// ---------------------------------------------------------------------------------------------------

function options(argv: string[]) {
  const num = (name: string, fallback: number) => {
    const hit = argv.find((a) => a.startsWith(`--${name}=`));
    const value = hit ? hit.slice(hit.indexOf('=') + 1) : process.env[`BENCH_${name.toUpperCase()}`];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
    return n;
  };
  return {
    duration: num('duration', 5),
    rounds: Math.round(num('rounds', 3)),
    warmup: num('warmup', 2),
    connections: Math.round(num('connections', 10)),
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  const { loadSettings, sqlStatements } = await import('@salesgraph/platform');
  const { startProduct } = await import('@salesgraph/gateway');
  const dataDir = mkdtempSync(join(tmpdir(), 'salesgraph-bench-'));
  const settings = loadSettings({ ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: '' });
  const product = await startProduct({
    settings,
    port: 0,
    inMemory: true,
    rateLimits: { anonymousPerWindow: BENCH_RATE_LIMIT, authenticatedPerWindow: BENCH_RATE_LIMIT },
  });
  const load = new LoadGenerator();
  try {
    console.log(`leads list — GraphQL vs REST through the gateway, in-process, embedded PostgreSQL in memory, node ${process.version}`);
    const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
      const response = await fetch(`${product.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, { id?: string; accessToken?: string }>; errors?: unknown };
      if (!body.data || body.errors) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const login = await gql('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', {
      i: { login: 'admin@example.com', password: 'admin' },
    });
    const token = login.login.accessToken!;

    // The organization: users, a niche with campaigns, and leads each assigned and in a campaign.
    const users: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const created = await gql(
        'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
        {
          i: {
            email: `seller${i}@example.com`,
            username: `seller${i}`,
            password: 'seller password',
            firstName: `Seller ${i}`,
            role: 'USER',
          },
        },
        token,
      );
      users.push(created.createUser.id!);
    }
    const niche = await gql('mutation { createNiche(input: {name: "Bench niche"}) { id } }', {}, token);
    const campaigns: string[] = [];
    for (let i = 0; i < CAMPAIGNS; i++) {
      const created = await gql(
        'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }',
        { i: { nicheId: niche.createNiche.id, name: `Campaign ${i}`, platform: 'OLX' } },
        token,
      );
      campaigns.push(created.createCampaign.id!);
    }
    for (let i = 0; i < LEADS; i++)
      await gql(
        'mutation($i: CreateLeadInput!) { createLead(input: $i) { __typename } }',
        {
          i: {
            name: `Lead ${i}`,
            phone: `+7 701 ${String(1_000_000 + i)}`,
            assignedUserId: users[i % USERS],
            campaignId: campaigns[i % CAMPAIGNS],
          },
        },
        token,
      );
    console.log(`seeded: ${LEADS} leads, each assigned to one of ${USERS} users and in one of ${CAMPAIGNS} campaigns`);

    const headers = { authorization: `Bearer ${token}` };
    const graphqlRequest = (first: number) => ({
      url: `${product.url}/graphql`,
      method: 'POST' as const,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY(first) }),
    });
    const restRequest = (limit: number) => ({ url: `${product.url}${REST_PATH(limit)}`, method: 'GET' as const, headers });
    const send = async (r: { url: string; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }) => {
      const response = await fetch(r.url, r);
      const text = await response.text();
      if (!response.ok || text.includes('"errors"'))
        throw new Error(`${r.method} ${r.url} answered ${response.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as { data?: { leads: { nodes: { assignedUser: unknown; campaign: unknown }[] } }; items?: unknown[] };
    };

    // Both answer the whole list before anything is measured.
    const viaGraphql = await send(graphqlRequest(LEADS));
    const viaRest = await send(restRequest(LEADS));
    const nodes = viaGraphql.data!.leads.nodes;
    if (nodes.length !== LEADS || nodes.some((n) => !n.assignedUser || !n.campaign) || viaRest.items?.length !== LEADS)
      throw new Error(`expected ${LEADS} leads with assignees and campaigns from both`);

    // SQL statements per request and subgraph: the fewest over five runs, at 10 and at 100 leads.
    const statements = async (request: () => Promise<unknown>) => {
      let fewest: Record<string, number> | undefined;
      for (let run = 0; run < 5; run++) {
        const before = { ...sqlStatements.bySchema };
        await request();
        const spent = Object.fromEntries(
          Object.entries(sqlStatements.bySchema)
            .map(([schema, count]) => [schema, count - (before[schema] ?? 0)] as const)
            .filter(([, n]) => n > 0),
        );
        const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
        if (!fewest || total(spent) < total(fewest)) fewest = spent;
      }
      return fewest!;
    };
    const show = (counts: Record<string, number>) =>
      Object.entries(counts)
        .sort()
        .map(([schema, n]) => `${schema} ${n}`)
        .join(', ') || 'none';
    console.log(`\nSQL statements per request, per subgraph (goal ≤ 3 each, the same at 10 and ${LEADS} rows):`);
    let statementsMet = true;
    const measured: Record<string, Record<string, number>> = {};
    for (const [label, make] of [
      ['GraphQL', (n: number) => () => send(graphqlRequest(n))],
      ['REST', (n: number) => () => send(restRequest(n))],
    ] as const) {
      for (const n of [10, LEADS]) {
        const counts = await statements(make(n));
        measured[`${label} ${n}`] = counts;
        if (Object.values(counts).some((c) => c > 3)) statementsMet = false;
        console.log(`  ${`${label}, ${n} leads`.padEnd(18)} ${show(counts)}`);
      }
      if (show(measured[`${label} 10`]) !== show(measured[`${label} ${LEADS}`])) statementsMet = false;
    }
    console.log(`  ${statementsMet ? 'met' : 'NOT met'}`);

    console.log(`\nGraphQL: POST /graphql ${QUERY(LEADS)}`);
    console.log(`REST:    GET ${REST_PATH(LEADS)}`);
    console.log(
      `load: autocannon in a child process, ${opts.connections} connections, pipelining 1; warm-up ${opts.warmup} s each, then ${opts.rounds} rounds of ${opts.duration} s each, order alternating\n`,
    );
    const run = (label: 'GraphQL' | 'REST', duration: number) =>
      load.run({
        label,
        ...(label === 'GraphQL' ? { ...graphqlRequest(LEADS), expect: '"leads":{' } : { ...restRequest(LEADS), expect: '"items":[' }),
        duration,
        connections: opts.connections,
      });
    const line = (name: string, r: LoadResult) =>
      `  ${name.padEnd(18)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(0).padStart(5)} ms   p95 ${r.p95.toFixed(0).padStart(5)} ms   ${String(r.requests).padStart(6)} requests   failures ${r.failures}`;
    const all: LoadResult[] = [];
    for (const label of ['GraphQL', 'REST'] as const) {
      const r = await run(label, opts.warmup);
      all.push(r);
      console.log(line(`warm-up ${label}`, r));
    }
    const results: Record<'GraphQL' | 'REST', LoadResult[]> = { GraphQL: [], REST: [] };
    for (let round = 1; round <= opts.rounds; round++) {
      for (const label of round % 2 ? (['GraphQL', 'REST'] as const) : (['REST', 'GraphQL'] as const)) {
        const r = await run(label, opts.duration);
        all.push(r);
        results[label].push(r);
        console.log(line(`round ${round} ${label}`, r));
      }
    }
    const summary = (label: 'GraphQL' | 'REST') => ({
      rps: median(results[label].map((r) => r.rps)),
      p95: median(results[label].map((r) => r.p95)),
    });
    const g = summary('GraphQL');
    const r = summary('REST');
    const ratio = r.rps / g.rps;
    console.log(`\nmedians over ${opts.rounds} rounds:`);
    console.log(`  GraphQL  ${g.rps.toFixed(0).padStart(6)} req/s   p95 ${g.p95.toFixed(0)} ms`);
    console.log(`  REST     ${r.rps.toFixed(0).padStart(6)} req/s   p95 ${r.p95.toFixed(0)} ms`);
    console.log(`  ratio REST/GraphQL (req/s): ${ratio.toFixed(2)}  (goal ≥ 0.90: ${ratio >= 0.9 ? 'met' : 'NOT met'})`);
    const bad = all.filter((x) => x.failures > 0);
    for (const x of bad) console.log(`  ${x.label}: ${x.failures} failures${x.sampleBadBody ? `, e.g. ${x.sampleBadBody}` : ''}`);
    if (bad.length) {
      console.log('RESULT INVALID: some requests failed');
      return 1;
    }
    return 0;
  } finally {
    await load.close();
    await product.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--load-child')) runLoadChild();
else runBench(main);
