/**
 * Our gateway vs Hive Gateway on the same query over the same subgraph processes, in one run: a page of 20 calls
 * with each call's assignee (`calls` from the calls subgraph, `assignedUser` from identity).
 *
 *   npm run bench:hive
 *   options: --duration=5 --rounds=3 --warmup=3 --connections=10 --users=10   (or BENCH_DURATION, BENCH_ROUNDS, ...)
 *            --callers=managers|agents   (BENCH_CALLERS; default managers)
 *   database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test (its subgraph schemas are used as they are)
 *
 * identity, leads and calls run as their own processes on PostgreSQL (calls reads leads); our gateway
 * (`gateway/dist/main.js`, the other subgraphs in its process, idle) and Hive Gateway (`hive-gateway supergraph
 * schema/supergraph.graphql` with gateway/dist/hive/gateway.config.js, the supported deployment) both reach them
 * over HTTP and sign the identity per subgraph fetch. Hive runs twice: as documented (in-flight deduplication of
 * identical subgraph queries, keyed by the caller's identity) and with deduplication off. Requests take the
 * `--users` members' tokens in turn, so deduplication only merges requests of one user that overlap.
 * Callers: managers of one organization (an organization-wide role: they all read the same page, so our gateway
 * shares their fetches, which Hive, keyed by identity, does not), or agents who each see only their own 20 calls
 * (nothing can be shared by either gateway).
 * autocannon runs in a forked child (support/load.ts); rounds rotate the order; figures are medians (latencies
 * from every response's time). Any non-2xx answer or GraphQL error fails the bench.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startHiveGatewayProcess, type HiveGatewayProcess } from '@salesgraph/gateway/hive/process';
import { LoadGenerator, loadOptions, median, numericOption, reportFailures, type LoadResult } from './support/load.js';
import { freePort, spawnNode, stopChild, waitHealthy } from './support/processes.js';
import { graphql } from './support/graphql.js';
import { runBench } from './support/run.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const QUERY = '{ calls(first: 20) { nodes { id callerNumber status startedAt assignedUser { id username firstName lastName } } } }';
const BODY = JSON.stringify({ query: QUERY });
const CALLS = 20;
const BENCH_RATE_LIMIT = 1_000_000_000;

type Label = 'ours' | 'hive' | 'hive, no dedup';
const LABELS: Label[] = ['ours', 'hive', 'hive, no dedup'];

interface CallsPage {
  calls: { nodes: unknown[] };
}

type Callers = 'managers' | 'agents';

/**
 * The members whose tokens the load takes in turn, and the calls they see: managers see the organization's
 * newest 20 (made up to 20, assigned among them), agents 20 of their own each.
 */
async function seed(gatewayUrl: string, users: number, callers: Callers): Promise<string[]> {
  const tag = randomBytes(4).toString('hex');
  const { login } = await graphql<{ login: { accessToken: string } }>(
    gatewayUrl,
    'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
    {
      i: { login: 'admin', password: 'admin' },
    },
  );
  const admin = login.accessToken;
  const members: { id: string; token: string }[] = [];
  for (let n = 0; n < users; n++) {
    const username = `bench${tag}m${n}`;
    const { createUser } = await graphql<{ createUser: { id: string } }>(
      gatewayUrl,
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { email: `${username}@example.com`, username, password: 'bench password', role: callers === 'managers' ? 'MANAGER' : 'USER' } },
      admin,
    );
    const signedIn = await graphql<{ login: { accessToken: string } }>(
      gatewayUrl,
      'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
      {
        i: { login: username, password: 'bench password' },
      },
    );
    members.push({ id: createUser.id, token: signedIn.login.accessToken });
  }
  const createCall = (n: number, assignedUserId: string) =>
    graphql(
      gatewayUrl,
      'mutation($i: CreateCallInput!) { createCall(input: $i) { id } }',
      { i: { callerNumber: `+7495${String(1_000_000 + n)}`, assignedUserId } },
      admin,
    );
  if (callers === 'managers') {
    const { calls } = await graphql<{ calls: { totalCount: number } }>(gatewayUrl, '{ calls(first: 1) { totalCount } }', {}, admin);
    for (let n = calls.totalCount; n < CALLS; n++) await createCall(n, members[n % users].id);
  } else {
    for (const [m, member] of members.entries()) for (let n = 0; n < CALLS; n++) await createCall(m * CALLS + n, member.id);
  }
  return members.map((m) => m.token);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts = {
    ...loadOptions(argv, { warmup: 3 }),
    users: Math.round(numericOption(argv, 'users', 10)),
  };
  const callers = argv.find((a) => a.startsWith('--callers='))?.slice('--callers='.length) ?? process.env.BENCH_CALLERS ?? 'managers';
  if (callers !== 'managers' && callers !== 'agents') throw new Error(`--callers: "managers" or "agents", not "${callers}"`);
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dataDir = mkdtempSync(join(tmpdir(), 'salesgraph-bench-hive-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    GATEWAY_SECRET: randomBytes(32).toString('base64url'),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(BENCH_RATE_LIMIT),
    RATE_LIMIT_AUTHENTICATED_PER_MINUTE: String(BENCH_RATE_LIMIT),
  };
  const children: ChildProcess[] = [];
  const hives: HiveGatewayProcess[] = [];
  const load = new LoadGenerator();
  console.log(`our gateway vs Hive Gateway — node ${process.version}`);
  try {
    // identity, leads, calls: each its own process on the server, started in the order they read each other.
    const urls: Record<string, string> = {};
    for (const name of ['identity', 'leads', 'calls']) {
      const port = await freePort();
      const child = spawnNode(
        name,
        [join(ROOT, 'packages/registry/dist/serve.js'), name],
        { ...env, ...urls, DATABASE_URL: databaseUrl, PORT: String(port) },
        ROOT,
      );
      children.push(child);
      await waitHealthy(`http://127.0.0.1:${port}/health`, child, `${name} subgraph`);
      urls[`SUBGRAPH_${name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}/graphql`;
    }
    const oursPort = await freePort();
    const ours = spawnNode(
      'ours',
      [join(ROOT, 'gateway/dist/main.js')],
      { ...env, ...urls, DATABASE_URL: '', PORT: String(oursPort) },
      ROOT,
    );
    children.push(ours);
    await waitHealthy(`http://127.0.0.1:${oursPort}/health`, ours, 'our gateway');
    // The same configuration file as `npm run start:hive`, and one that turns deduplication off.
    const noDedup = join(dataDir, 'hive-no-dedup.config.js');
    writeFileSync(
      noDedup,
      `import { hiveGatewayConfig } from ${JSON.stringify(pathToFileURL(join(ROOT, 'gateway/dist/hive/config.js')).href)};\n` +
        'export const gatewayConfig = hiveGatewayConfig({ deduplicateRequests: false });\n',
    );
    for (const configPath of [undefined, noDedup]) {
      hives.push(await startHiveGatewayProcess({ env: { ...env, ...urls, DATABASE_URL: '', PORT: String(await freePort()) }, configPath }));
    }
    const targets: Record<Label, string> = { ours: `http://127.0.0.1:${oursPort}`, hive: hives[0].url, 'hive, no dedup': hives[1].url };

    const tokens = await seed(targets.ours, opts.users, callers);
    const answers = await Promise.all(LABELS.map((label) => graphql<CallsPage>(targets[label], QUERY, {}, tokens[0])));
    if (new Set(answers.map((a) => JSON.stringify(a))).size !== 1)
      throw new Error(`the gateways answer differently: ${JSON.stringify(answers)}`);
    if (answers[0].calls.nodes.length !== CALLS) throw new Error(`expected ${CALLS} calls, got ${answers[0].calls.nodes.length}`);
    console.log(`query: ${QUERY}`);
    console.log(`  all three answer the same ${CALLS} calls with their assignees; ${opts.users} ${callers}' tokens in turn`);
    console.log(`  subgraphs identity, leads, calls: own processes on ${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}`);
    console.log(
      `load: autocannon in a child process, ${opts.connections} connections; warm-up ${opts.warmup} s each, then ${opts.rounds} rounds of ${opts.duration} s each, order rotating\n`,
    );

    // Each request as the next member in turn.
    const run = (label: Label, duration: number) =>
      load.run({
        label,
        url: `${targets[label]}/graphql`,
        headers: { 'content-type': 'application/json' },
        body: BODY,
        tokens,
        expect: '"assignedUser":{',
        duration,
        connections: opts.connections,
      });
    const line = (name: string, r: LoadResult) =>
      `  ${name.padEnd(26)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1).padStart(5)} ms   p99 ${r.p99.toFixed(1).padStart(5)} ms   failures ${r.failures}`;
    const all: LoadResult[] = [];
    for (const label of LABELS) {
      const r = await run(label, opts.warmup);
      all.push(r);
      console.log(line(`warm-up ${label}`, r));
    }
    const measured: Record<Label, LoadResult[]> = { ours: [], hive: [], 'hive, no dedup': [] };
    for (let round = 0; round < opts.rounds; round++) {
      for (let i = 0; i < LABELS.length; i++) {
        const label = LABELS[(round + i) % LABELS.length];
        const r = await run(label, opts.duration);
        all.push(r);
        measured[label].push(r);
        console.log(line(`round ${round + 1} ${label}`, r));
      }
    }
    const rps = (label: Label) => median(measured[label].map((r) => r.rps));
    console.log(`\nmedians over ${opts.rounds} rounds:`);
    for (const label of LABELS) {
      console.log(
        `  ${label.padEnd(16)} ${rps(label).toFixed(0).padStart(6)} req/s   p50 ${median(measured[label].map((r) => r.p50)).toFixed(1)} ms   p99 ${median(measured[label].map((r) => r.p99)).toFixed(1)} ms`,
      );
    }
    const ratio = rps('ours') / rps('hive');
    console.log(`  ratio ours/hive (as documented): ${ratio.toFixed(2)}  (goal ≥ 1.5: ${ratio >= 1.5 ? 'met' : 'NOT met'})`);
    console.log(`  ratio ours/hive without deduplication: ${(rps('ours') / rps('hive, no dedup')).toFixed(2)}`);

    return reportFailures(all, 'the query') ? 1 : 0;
  } finally {
    await load.close();
    for (const hive of hives) await hive.stop();
    for (const child of children.reverse()) await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
