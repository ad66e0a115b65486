/**
 * Our gateway vs Hive Gateway on the same query over the same subgraph processes, in one run: a page of 20 calls
 * with each call's assignee (`calls` from the calls subgraph, `assignedUser` from identity).
 *
 *   npm run bench:hive
 *   options: --duration=5 --rounds=3 --warmup=3 --connections=10 --users=10   (or BENCH_DURATION, BENCH_ROUNDS, ...)
 *   database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test (its subgraph schemas are used as they are)
 *
 * identity, leads and calls run as their own processes on PostgreSQL (calls reads leads); our gateway
 * (`gateway/dist/main.js`, the other subgraphs in its process, idle) and Hive Gateway (`hive-gateway supergraph
 * schema/supergraph.graphql` with gateway/dist/hive/gateway.config.js, the supported deployment) both reach them
 * over HTTP and sign the identity per subgraph fetch. Hive runs twice: as documented (in-flight deduplication of
 * identical subgraph queries, keyed by the caller's identity) and with deduplication off. Requests take the
 * `--users` members' tokens in turn, so deduplication only merges requests of one user that overlap.
 * autocannon runs in a forked child; rounds alternate the order; figures are medians. Any non-2xx answer or
 * GraphQL error fails the bench.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startHiveGatewayProcess, type HiveGatewayProcess } from '@salesgraph/gateway/hive/process';
import { freePort, spawnNode, stopChild, waitHealthy } from './support/processes.js';
import { runBench } from './support/run.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(SELF), '../..');
const QUERY = '{ calls(first: 20) { nodes { id callerNumber status startedAt assignedUser { id username firstName lastName } } } }';
const BODY = JSON.stringify({ query: QUERY });
const CALLS = 20;
const BENCH_RATE_LIMIT = 1_000_000_000;

type Label = 'ours' | 'hive' | 'hive, no dedup';
const LABELS: Label[] = ['ours', 'hive', 'hive, no dedup'];

interface LoadRequest {
  label: Label;
  url: string;
  tokens: string[];
  duration: number;
  connections: number;
}
interface LoadResult {
  label: Label;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  sampleBadBody?: string;
}

// ---------------------------------------------------------------------------------------------------
// Load generator (child process).

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
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

function runLoadChild(): void {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  process.on('message', (message: LoadRequest) => {
    let sampleBadBody: string | undefined;
    let next = 0;
    const instance = autocannon(
      {
        url: `${message.url}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: BODY,
        requests: [
          {
            // Each request as the next member in turn.
            setupRequest: (request: { headers: Record<string, string> }) => ({
              ...request,
              headers: { ...request.headers, authorization: `Bearer ${message.tokens[next++ % message.tokens.length]}` },
            }),
          },
        ],
        duration: message.duration,
        connections: message.connections,
        pipelining: 1,
        timeout: 10,
        verifyBody: (body: string) => {
          if (body.includes('"assignedUser":{') && !body.includes('"errors"')) return true;
          sampleBadBody ??= body.slice(0, 300);
          return false;
        },
      },
      (error, r) => {
        if (error) return void process.send!({ error: error.message });
        const result: LoadResult = {
          label: message.label,
          requests: r.requests.total,
          rps: r.requests.total / r.duration,
          p50: r.latency.p50,
          p99: r.latency.p99,
          failures: r.non2xx + r.errors + r.timeouts + r.mismatches,
          sampleBadBody,
        };
        process.send!({ result });
      },
    );
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

interface Options {
  duration: number;
  rounds: number;
  warmup: number;
  connections: number;
  users: number;
}

function options(argv: string[]): Options {
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
    warmup: num('warmup', 3),
    connections: Math.round(num('connections', 10)),
    users: Math.round(num('users', 10)),
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`${url} answered HTTP ${response.status}: ${JSON.stringify(body)}`);
  return body.data;
}

interface CallsPage {
  calls: { nodes: unknown[] };
}

/** The members whose tokens the load takes in turn, and 20 calls assigned among them. */
async function seed(gatewayUrl: string, users: number): Promise<string[]> {
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
      { i: { email: `${username}@example.com`, username, password: 'bench password', role: 'MANAGER' } },
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
  const { calls } = await graphql<{ calls: { totalCount: number } }>(gatewayUrl, '{ calls(first: 1) { totalCount } }', {}, admin);
  for (let n = calls.totalCount; n < CALLS; n++) {
    await graphql(
      gatewayUrl,
      'mutation($i: CreateCallInput!) { createCall(input: $i) { id } }',
      { i: { callerNumber: `+7495${String(1_000_000 + n)}`, assignedUserId: members[n % users].id } },
      admin,
    );
  }
  return members.map((m) => m.token);
}

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
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

    const tokens = await seed(targets.ours, opts.users);
    const answers = await Promise.all(LABELS.map((label) => graphql<CallsPage>(targets[label], QUERY, {}, tokens[0])));
    if (new Set(answers.map((a) => JSON.stringify(a))).size !== 1)
      throw new Error(`the gateways answer differently: ${JSON.stringify(answers)}`);
    if (answers[0].calls.nodes.length !== CALLS) throw new Error(`expected ${CALLS} calls, got ${answers[0].calls.nodes.length}`);
    console.log(`query: ${QUERY}`);
    console.log(`  all three answer the same ${CALLS} calls with their assignees; ${opts.users} members' tokens in turn`);
    console.log(`  subgraphs identity, leads, calls: own processes on ${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}`);
    console.log(
      `load: autocannon in a child process, ${opts.connections} connections; warm-up ${opts.warmup} s each, then ${opts.rounds} rounds of ${opts.duration} s each, order rotating\n`,
    );

    const run = (label: Label, duration: number) =>
      load.run({ label, url: targets[label], tokens, duration, connections: opts.connections });
    const line = (name: string, r: LoadResult) =>
      `  ${name.padEnd(26)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   failures ${r.failures}`;
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
        `  ${label.padEnd(16)} ${rps(label).toFixed(0).padStart(6)} req/s   p50 ${median(measured[label].map((r) => r.p50))} ms   p99 ${median(measured[label].map((r) => r.p99))} ms`,
      );
    }
    const ratio = rps('ours') / rps('hive');
    console.log(`  ratio ours/hive (as documented): ${ratio.toFixed(2)}  (goal ≥ 1.5: ${ratio >= 1.5 ? 'met' : 'NOT met'})`);
    console.log(`  ratio ours/hive without deduplication: ${(rps('ours') / rps('hive, no dedup')).toFixed(2)}`);

    const bad = all.filter((r) => r.failures > 0);
    if (bad.length) {
      for (const r of bad) console.log(`  ${r.label}: ${r.failures} failures${r.sampleBadBody ? `, e.g. ${r.sampleBadBody}` : ''}`);
      console.log('RESULT INVALID: some requests failed, the figures above do not measure the query');
      return 1;
    }
    return 0;
  } finally {
    await load.close();
    for (const hive of hives) await hive.stop();
    for (const child of children.reverse()) await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--load-child')) {
  runLoadChild();
} else {
  runBench(main);
}
