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
 * generator (autocannon, support/load.ts) runs in a forked child. Any non-2xx answer or GraphQL error fails the bench.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadGenerator, loadOptions, median, reportFailures, type LoadResult } from './support/load.js';
import { runBench } from './support/run.js';

const LEADS = 100;
const USERS = 10;
const CAMPAIGNS = 5;
const QUERY = (first: number) => `{ leads(first: ${first}) { nodes { id name assignedUser { firstName } campaign { name } } } }`;
const REST_PATH = (limit: number) => `/api/v1/leads/?limit=${limit}`;
const BENCH_RATE_LIMIT = 1_000_000_000;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts = {
    ...loadOptions(argv, { warmup: 2 }),
  };
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
    return reportFailures(all, 'the lists') ? 1 : 0;
  } finally {
    await load.close();
    await product.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
