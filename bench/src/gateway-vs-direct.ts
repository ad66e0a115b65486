/**
 * Gateway overhead bench: the same `me` query through the gateway (→ identity subgraph) and straight to
 * the identity subgraph's own HTTP port with a freshly signed identity header, in one run.
 *
 *   npm run bench                       # gateway + identity in this process (embedded database in memory)
 *   npm run bench -- --remote           # identity and gateway as child processes on PostgreSQL (or BENCH_REMOTE=1)
 *   options: --duration=5 --rounds=3 --warmup=3 --connections=10   (or BENCH_DURATION, BENCH_ROUNDS, ...)
 *   remote database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test
 *
 * The load generator (autocannon, support/load.ts) runs in a forked child process so it does not share the
 * servers' event loop; for the direct target it signs a fresh identity per request. Rounds alternate which
 * target goes first, so machine noise hits both; the figures are medians (latencies from every response's time).
 * Every non-2xx answer, socket error, timeout and GraphQL error is counted; any of them fails the bench.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoadGenerator, loadOptions, median, type LoadResult } from './support/load.js';
import { freePort, spawnNode, stopChild, waitHealthy } from './support/processes.js';
import { runBench } from './support/run.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const QUERY = '{ me { id email username role organization { id name } } }';
const BODY = JSON.stringify({ query: QUERY });
const ADMIN = { login: 'admin@example.com', password: 'admin' };
/** High enough that one user hammering the gateway for the whole bench is never limited. */
const BENCH_RATE_LIMIT = 1_000_000_000;

// ---------------------------------------------------------------------------------------------------
// Targets: the gateway and the identity subgraph's own port, in this process or as child processes.

interface Target {
  mode: string;
  gatewayUrl: string;
  /** The identity subgraph's own `/graphql` URL. */
  directUrl: string;
  jwtSecret: string;
  gatewaySecret: string;
  close(): Promise<void>;
}

async function inProcessTarget(): Promise<Target> {
  const { loadSettings } = await import('@salesgraph/platform');
  const { startProduct } = await import('@salesgraph/gateway');
  const dataDir = mkdtempSync(join(tmpdir(), 'salesgraph-bench-'));
  const settings = loadSettings({ ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: '' });
  const product = await startProduct({
    settings,
    port: 0,
    inMemory: true,
    rateLimits: { anonymousPerWindow: BENCH_RATE_LIMIT, authenticatedPerWindow: BENCH_RATE_LIMIT },
  });
  const identity = product.subgraphs.get('identity');
  if (!identity) throw new Error('identity subgraph is not running in this process');
  const directUrl = await identity.listen(0);
  return {
    mode: 'in-process (gateway + identity subgraph in one process, embedded PostgreSQL in memory)',
    gatewayUrl: `${product.url}/graphql`,
    directUrl,
    jwtSecret: settings.jwtSecret,
    gatewaySecret: settings.gatewaySecret,
    async close() {
      await product.close(); // also stops the identity subgraph's own HTTP server
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function remoteTarget(): Promise<Target> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const jwtSecret = randomBytes(32).toString('base64url');
  const gatewaySecret = randomBytes(32).toString('base64url');
  const dataDir = mkdtempSync(join(tmpdir(), 'salesgraph-bench-'));
  const [identityPort, gatewayPort] = [await freePort(), await freePort()];
  const common = {
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: jwtSecret,
    GATEWAY_SECRET: gatewaySecret,
    HOST: '127.0.0.1',
  };
  const children: ChildProcess[] = [];
  const close = async () => {
    for (const child of children.reverse()) await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const identity = spawnNode(
      'identity',
      [join(ROOT, 'packages/registry/dist/serve.js'), 'identity'],
      { ...common, PORT: String(identityPort), DATABASE_URL: databaseUrl },
      ROOT,
    );
    children.push(identity);
    await waitHealthy(`http://127.0.0.1:${identityPort}/health`, identity, 'identity subgraph');
    const directUrl = `http://127.0.0.1:${identityPort}/graphql`;
    const gateway = spawnNode(
      'gateway',
      [join(ROOT, 'gateway/dist/main.js')],
      {
        ...common,
        DATABASE_URL: '',
        PORT: String(gatewayPort),
        SUBGRAPH_IDENTITY_URL: directUrl,
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(BENCH_RATE_LIMIT),
        RATE_LIMIT_AUTHENTICATED_PER_MINUTE: String(BENCH_RATE_LIMIT),
      },
      ROOT,
    );
    children.push(gateway);
    await waitHealthy(`http://127.0.0.1:${gatewayPort}/health`, gateway, 'gateway');
    return {
      mode: `remote (identity subgraph and gateway as child processes; identity on ${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}, gateway → identity over HTTP)`,
      gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`,
      directUrl,
      jwtSecret,
      gatewaySecret,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------

/** What the bench reads of a GraphQL response body (the login's token, `me`, errors). */
interface GraphQLBody {
  data?: { login?: { accessToken?: string } | null; me?: unknown } | null;
  errors?: unknown[];
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; json: GraphQLBody | undefined }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, json: (await response.json().catch(() => undefined)) as GraphQLBody | undefined };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const remoteArg = argv.find((a) => a === '--remote' || a.startsWith('--remote='));
  const remote = remoteArg === '--remote' ? 'true' : (remoteArg?.slice('--remote='.length) ?? process.env.BENCH_REMOTE);
  const opts = {
    remote: remote !== undefined && !['', '0', 'false'].includes(remote),
    ...loadOptions(argv, { warmup: 3 }),
  };
  const { AccessTokens, IdentitySigner, IDENTITY_HEADER } = await import('@salesgraph/platform');
  console.log(`gateway vs direct — ${opts.remote ? 'remote' : 'in-process'} mode, node ${process.version}`);
  const target = opts.remote ? await remoteTarget() : await inProcessTarget();
  const load = new LoadGenerator();
  try {
    console.log(`mode: ${target.mode}`);
    console.log(
      `gateway rate limits raised to ${BENCH_RATE_LIMIT.toLocaleString('en')} requests/minute (anonymous and authenticated) for this bench, so they never answer 429`,
    );

    // Sign in through the gateway, then build the identity the gateway itself would forward.
    const login = await post(
      target.gatewayUrl,
      {},
      JSON.stringify({
        query: 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
        variables: { i: ADMIN },
      }),
    );
    const accessToken: string | undefined = login.json?.data?.login?.accessToken;
    if (!accessToken) throw new Error(`login as ${ADMIN.login} failed (HTTP ${login.status}): ${JSON.stringify(login.json)}`);
    const claims = await new AccessTokens(target.jwtSecret).verify(accessToken);
    const signer = new IdentitySigner(target.gatewaySecret);
    const identity = {
      kind: 'user' as const,
      userId: claims.userId,
      organizationId: claims.organizationId,
      role: claims.role,
      sessionId: claims.sessionId,
      ip: '127.0.0.1',
    };
    const gatewayHeaders = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
    // A signed identity is good for one request to one subgraph: the load generator signs each afresh.
    const directHeaders = () => ({
      'content-type': 'application/json',
      [IDENTITY_HEADER]: signer.sign(identity, 'identity', JSON.parse(BODY) as { query: string; variables?: Record<string, unknown> }),
    });
    const signIdentity = { secret: target.gatewaySecret, audience: 'identity', identity };

    // Both paths must answer the same data before measuring anything.
    const viaGateway = await post(target.gatewayUrl, gatewayHeaders, BODY);
    const direct = await post(target.directUrl, directHeaders(), BODY);
    if (viaGateway.status !== 200 || !viaGateway.json?.data?.me || viaGateway.json.errors)
      throw new Error(`gateway answered HTTP ${viaGateway.status}: ${JSON.stringify(viaGateway.json)}`);
    if (direct.status !== 200 || !direct.json?.data?.me || direct.json.errors)
      throw new Error(`identity subgraph answered HTTP ${direct.status}: ${JSON.stringify(direct.json)}`);
    if (JSON.stringify(viaGateway.json.data) !== JSON.stringify(direct.json.data)) {
      throw new Error(
        `the two paths answer differently:\n  gateway ${JSON.stringify(viaGateway.json.data)}\n  direct  ${JSON.stringify(direct.json.data)}`,
      );
    }
    console.log(`query: ${QUERY}`);
    console.log(`  gateway ${target.gatewayUrl}  (Authorization: Bearer <admin access token>)`);
    console.log(`  direct  ${target.directUrl}  (${IDENTITY_HEADER}: signed for user ${claims.userId}, role ${claims.role})`);
    console.log(`  both answer ${JSON.stringify(viaGateway.json.data)}`);
    console.log(
      `load: autocannon in a child process, ${opts.connections} connections, pipelining 1; warm-up ${opts.warmup} s each, then ${opts.rounds} rounds of ${opts.duration} s each, order alternating\n`,
    );

    const run = async (label: 'gateway' | 'direct', duration: number) =>
      load.run({
        label,
        url: label === 'gateway' ? target.gatewayUrl : target.directUrl,
        headers: label === 'gateway' ? gatewayHeaders : { 'content-type': 'application/json' },
        ...(label === 'direct' && { signIdentity }),
        body: BODY,
        expect: '"me":{',
        duration,
        connections: opts.connections,
      });
    const line = (name: string, r: LoadResult) =>
      `  ${name.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(1).padStart(5)} ms   p99 ${r.p99.toFixed(1).padStart(5)} ms   ${String(r.requests).padStart(7)} requests   failures ${r.failures}`;

    const all: LoadResult[] = [];
    for (const label of ['gateway', 'direct'] as const) {
      const r = await run(label, opts.warmup);
      all.push(r);
      console.log(line(`warm-up ${label}`, r));
    }
    const measured: Record<'gateway' | 'direct', LoadResult[]> = { gateway: [], direct: [] };
    for (let round = 1; round <= opts.rounds; round++) {
      const order = round % 2 ? (['gateway', 'direct'] as const) : (['direct', 'gateway'] as const);
      for (const label of order) {
        const r = await run(label, opts.duration);
        all.push(r);
        measured[label].push(r);
        console.log(line(`round ${round} ${label}`, r));
      }
    }

    const summary = (label: 'gateway' | 'direct') => ({
      rps: median(measured[label].map((r) => r.rps)),
      p50: median(measured[label].map((r) => r.p50)),
      p99: median(measured[label].map((r) => r.p99)),
    });
    const g = summary('gateway');
    const d = summary('direct');
    const ratio = g.rps / d.rps;
    const roundRatios = measured.gateway.map((r, i) => (r.rps / measured.direct[i].rps).toFixed(2));
    console.log(`\nmedians over ${opts.rounds} rounds:`);
    console.log(`  gateway → identity  ${g.rps.toFixed(0).padStart(7)} req/s   p50 ${g.p50.toFixed(1)} ms   p99 ${g.p99.toFixed(1)} ms`);
    console.log(`  direct identity     ${d.rps.toFixed(0).padStart(7)} req/s   p50 ${d.p50.toFixed(1)} ms   p99 ${d.p99.toFixed(1)} ms`);
    console.log(
      `  ratio gateway/direct (req/s): ${ratio.toFixed(2)}  (per round: ${roundRatios.join(', ')}; goal ≥ 0.60: ${ratio >= 0.6 ? 'met' : 'NOT met'})`,
    );

    const bad = all.filter((r) => r.failures > 0);
    // mismatches: 2xx answers whose body carried GraphQL errors or no `me` data.
    const total = (key: keyof LoadResult['failuresByKind']) => all.reduce((sum, r) => sum + r.failuresByKind[key], 0);
    console.log(
      `failures over all runs (warm-up included): non-2xx ${total('non2xx')}, socket errors ${total('errors')}, timeouts ${total('timeouts')}, GraphQL errors ${total('mismatches')}`,
    );
    if (bad.length) {
      for (const r of bad)
        console.log(`  ${r.label}: status codes ${JSON.stringify(r.statusCodes)}${r.sampleBadBody ? `, e.g. ${r.sampleBadBody}` : ''}`);
      console.log('RESULT INVALID: some requests failed, the figures above do not measure the query');
      return 1;
    }
    return 0;
  } finally {
    await load.close();
    await target.close();
  }
}

runBench(main);
