/**
 * Throughput against the database's ceiling: for a few representative reads, the stack's req/s next to what
 * PostgreSQL alone allows for the same statements, in one run.
 *
 *   npm run bench:throughput
 *   options: --duration=5 --rounds=3 --warmup=2 --connections=10 --users=10   (or BENCH_DURATION, BENCH_ROUNDS, ...)
 *            --modes=in-process,processes,floor   (which stacks to measure)
 *            --reads=list,own,one,rest      (which reads)
 *   database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/salesgraph_bench (dropped and created afresh)
 *
 * Reads, each by `--users` callers in turn:
 *   - list:  `calls(first: 20)` with each call's assignee (identity resolves `assignedUser`), by managers (an
 *            organization-wide role: they all see the same page, so identical fetches under way are shared)
 *   - own:   the same query by agents, each of whom sees only their own 20 calls (nothing can be shared)
 *   - one:   `call(id)` with its assignee (identity) and its lead (leads), by managers
 *   - rest:  seed 002's `GET /api/calls?limit=20`, the managers' list through the REST table
 * Stacks, one after the other (together they would hold more connections than a default server allows):
 *   - in-process: gateway and all six subgraphs in this process (`startProduct`), as `npm start` runs them
 *   - processes:  identity, leads and calls each in its own process, our gateway in another, over HTTP
 *   - floor:      the list only, through the frameworks alone (support/framework-floor.ts: Apollo Server and
 *                 Gateway over two type-graphql subgraphs in this process, rows in memory, no database): the
 *                 most any code of ours on this architecture can reach, as a ratio of the same ceiling
 * Ceiling: the statements one request of that read issues (recorded from the in-process stack at steady
 * state, values written in) replayed in sequence on `--connections` bare `pg` connections, as fast as they go,
 * alternating with the stack's rounds.
 * Stack CPU: the CPU time the stack's processes used during its rounds ÷ the requests served (this process's own
 * in-process, the children's from /proc otherwise), ms a request. Steadier than req/s on a shared machine, and it
 * says what a request costs whatever else runs beside it.
 * Every stack runs with NODE_ENV=production, as deployed (no playground or introspection; libraries skip their
 * development checks).
 * Rate-limit counters live where the settings put them (PostgreSQL, or Redis with REDIS_URL); their round trip
 * is part of the stack's cost, not of the ceiling. autocannon runs in a forked child; rounds rotate the order;
 * figures are medians. Any non-2xx answer or GraphQL error fails the bench.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { LoadGenerator, loadOptions, median, numericOption, reportFailures, type LoadRequest, type LoadResult } from './support/load.js';
import type { FrameworkFloor } from './support/framework-floor.js';
import { freePort, spawnNode, stopChild, waitHealthy } from './support/processes.js';
import { graphql } from './support/graphql.js';
import { runBench } from './support/run.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CALLS = 20;
const BENCH_RATE_LIMIT = 1_000_000_000;
const LIST = `{ calls(first: ${CALLS}) { nodes { id callerNumber status startedAt assignedUser { id firstName lastName } } } }`;
const ONE = 'query One($id: ID!) { call(id: $id) { id callerNumber status assignedUser { id firstName lastName } lead { id name } } }';

type Mode = 'in-process' | 'processes' | 'floor';
const MODES: Mode[] = ['in-process', 'processes', 'floor'];
/** The reads the floor stack serves: the GraphQL list (the agents' own list is the same query to it). */
const FLOOR_READS: ReadName[] = ['list'];
type ReadName = 'list' | 'own' | 'one' | 'rest';

interface Read {
  name: ReadName;
  describe: string;
  /** The load for a stack at `url`. */
  request(url: string): Omit<LoadRequest, 'duration' | 'connections' | 'label'>;
}

/** A fresh database of the bench's own on the server. */
async function freshDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DATABASE_URL must name a plain database, got "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

/** `count` members of `role`, signed in: their ids and access tokens. */
async function members(url: string, admin: string, role: 'MANAGER' | 'USER', count: number): Promise<{ id: string; token: string }[]> {
  const signedIn: { id: string; token: string }[] = [];
  for (let n = 0; n < count; n++) {
    const username = `${role.toLowerCase()}${n}`;
    const { createUser } = await graphql<{ createUser: { id: string } }>(
      url,
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { email: `${username}@example.com`, username, password: 'bench password', firstName: role, lastName: `No. ${n}`, role } },
      admin,
    );
    const { login } = await graphql<{ login: { accessToken: string } }>(
      url,
      'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
      {
        i: { login: username, password: 'bench password' },
      },
    );
    signedIn.push({ id: createUser.id, token: login.accessToken });
  }
  return signedIn;
}

/**
 * Managers and agents who take turns; 20 leads with phones and 20 calls from those phones, each assigned to a
 * manager; and 20 calls assigned to each agent, who sees only those.
 */
async function seed(url: string, adminPassword: string, users: number): Promise<{ managers: string[]; agents: string[]; callId: string }> {
  const { login } = await graphql<{ login: { accessToken: string } }>(
    url,
    'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
    {
      i: { login: 'admin', password: adminPassword },
    },
  );
  const admin = login.accessToken;
  const managers = await members(url, admin, 'MANAGER', users);
  const agents = await members(url, admin, 'USER', users);
  const createCall = async (callerNumber: string, assignedUserId: string) =>
    (
      await graphql<{ createCall: { id: string } }>(
        url,
        'mutation($i: CreateCallInput!) { createCall(input: $i) { id } }',
        { i: { callerNumber, assignedUserId } },
        admin,
      )
    ).createCall.id;
  for (const [a, agent] of agents.entries()) {
    for (let n = 0; n < CALLS; n++) await createCall(`+7812${String(1_000_000 + a * 1_000 + n)}`, agent.id);
  }
  // The newest calls, which a manager's first page shows: with leads, so `call(id)` has one to resolve.
  let callId = '';
  for (let n = 0; n < CALLS; n++) {
    const phone = `+7495${String(1_000_000 + n)}`;
    await graphql(
      url,
      'mutation($i: CreateLeadInput!) { createLead(input: $i) { __typename } }',
      { i: { name: `Customer ${n}`, phone } },
      admin,
    );
    callId ||= await createCall(phone, managers[n % users].id);
  }
  return { managers: managers.map((m) => m.token), agents: agents.map((m) => m.token), callId };
}

/**
 * CPU seconds the stack has used so far: this process's for the in-process stack (the load runs in a forked
 * child), else the sum over `children` read from /proc (Linux; elsewhere NaN, and the column says so).
 */
function stackCpuSeconds(children: ChildProcess[]): number {
  if (children.length === 0) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  let ticks = 0;
  for (const child of children) {
    try {
      // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th of those.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return NaN;
    }
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** Linux's USER_HZ, which /proc's times count in: 100 on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Replays `statements` in order on each of `connections` connections for `seconds`; the rounds per second. */
async function ceiling(databaseUrl: string, statements: string[], connections: number, seconds: number): Promise<number> {
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: databaseUrl }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    let rounds = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < until) {
          for (const sql of statements) await client.query(sql);
          rounds++;
        }
      }),
    );
    return rounds / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts = {
    ...loadOptions(argv, { warmup: 2 }),
    users: Math.round(numericOption(argv, 'users', 10)),
  };
  const modesArg = argv.find((a) => a.startsWith('--modes='))?.slice('--modes='.length) ?? process.env.BENCH_MODES ?? MODES.join(',');
  const modes = modesArg
    .split(',')
    .filter(Boolean)
    .map((mode): Mode => {
      if (!MODES.includes(mode as Mode)) throw new Error(`--modes: unknown "${mode}"`);
      return mode as Mode;
    });
  const readsArg = argv.find((a) => a.startsWith('--reads='))?.slice('--reads='.length) ?? process.env.BENCH_READS;
  const chosen = readsArg?.split(',').filter(Boolean);
  for (const name of chosen ?? []) if (!['list', 'own', 'one', 'rest'].includes(name)) throw new Error(`--reads: unknown "${name}"`);
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/salesgraph_bench';
  await freshDatabase(databaseUrl);

  // The stacks run as deployed. In this process too: graphql-js reads NODE_ENV once, when first loaded (by the
  // imports below, none before), and skips its development checks in production; Express does likewise.
  process.env.NODE_ENV = 'production';
  const adminPassword = randomBytes(18).toString('base64url');
  const dataDir = mkdtempSync(join(tmpdir(), 'salesgraph-bench-throughput-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    GATEWAY_SECRET: randomBytes(32).toString('base64url'),
    SECRETS_KEY: randomBytes(32).toString('base64url'),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(BENCH_RATE_LIMIT),
    RATE_LIMIT_AUTHENTICATED_PER_MINUTE: String(BENCH_RATE_LIMIT),
  };
  const { configureLogging, loadSettings, statementTap } = await import('@salesgraph/platform');
  const { startProduct } = await import('@salesgraph/gateway');
  const settings = loadSettings(env);
  configureLogging(settings.logging);
  const startInProcess = () =>
    startProduct({ settings, port: 0, rateLimits: { anonymousPerWindow: BENCH_RATE_LIMIT, authenticatedPerWindow: BENCH_RATE_LIMIT } });
  /** identity, leads and calls in their own processes, our gateway in another (the other subgraphs idle in it). */
  const startProcesses = async (children: ChildProcess[]): Promise<string> => {
    const urls: Record<string, string> = {};
    for (const name of ['identity', 'leads', 'calls']) {
      const port = await freePort();
      const child = spawnNode(name, [join(ROOT, 'packages/registry/dist/serve.js'), name], { ...env, ...urls, PORT: String(port) }, ROOT);
      children.push(child);
      await waitHealthy(`http://127.0.0.1:${port}/health`, child, `${name} subgraph`);
      urls[`SUBGRAPH_${name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}/graphql`;
    }
    const port = await freePort();
    const gateway = spawnNode('gateway', [join(ROOT, 'gateway/dist/main.js')], { ...env, ...urls, PORT: String(port) }, ROOT);
    children.push(gateway);
    await waitHealthy(`http://127.0.0.1:${port}/health`, gateway, 'gateway');
    return `http://127.0.0.1:${port}`;
  };

  // One stack at a time: two at once would hold more connections than a default server allows (100).
  let product: Awaited<ReturnType<typeof startInProcess>> | undefined = await startInProcess();
  const children: ChildProcess[] = [];
  let floor: FrameworkFloor | undefined;
  const load = new LoadGenerator();
  try {
    const { managers, agents, callId } = await seed(product.url, adminPassword, opts.users);
    const tokens = managers;
    const readable: Read[] = [
      {
        name: 'list',
        describe: `calls(first: ${CALLS}) with assignedUser, by managers (one organization-wide view: fetches can be shared)`,
        request: (url) => ({
          url: `${url}/graphql`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: LIST }),
          tokens,
          expect: '"assignedUser":{',
        }),
      },
      {
        name: 'own',
        describe: `the same list by agents, each seeing only their own ${CALLS} calls (nothing to share)`,
        request: (url) => ({
          url: `${url}/graphql`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: LIST }),
          tokens: agents,
          expect: '"assignedUser":{',
        }),
      },
      {
        name: 'one',
        describe: 'call(id) with assignedUser and lead',
        request: (url) => ({
          url: `${url}/graphql`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: ONE, variables: { id: callId } }),
          tokens,
          expect: '"lead":{',
        }),
      },
      {
        name: 'rest',
        describe: `GET /api/calls?limit=${CALLS} (seed 002)`,
        request: (url) => ({ url: `${url}/api/calls?limit=${CALLS}`, method: 'GET', tokens, expect: '"success":true' }),
      },
    ];

    const reads = chosen ? readable.filter((read) => chosen.includes(read.name)) : readable;

    // What one request of each read costs the database, recorded at steady state (after a few requests).
    const send = async (url: string, read: Read) => {
      const r = read.request(url);
      const response = await fetch(r.url, {
        method: r.method ?? 'POST',
        headers: { ...r.headers, authorization: `Bearer ${r.tokens![0]}` },
        body: r.body,
      });
      const text = await response.text();
      if (!response.ok || !text.includes(r.expect) || text.includes('"errors"'))
        throw new Error(`${read.name} answered ${response.status}: ${text.slice(0, 300)}`);
    };
    const statements = {} as Record<ReadName, string[]>;
    for (const read of reads) {
      for (let i = 0; i < 5; i++) await send(product.url, read);
      const recorded: string[] = [];
      statementTap.onStatement = (_schema, sql) => recorded.push(sql);
      try {
        await send(product.url, read);
      } finally {
        statementTap.onStatement = undefined;
      }
      statements[read.name] = recorded;
    }

    console.log(`throughput against the database's ceiling — node ${process.version}, ${opts.connections} connections`);
    console.log(`database: ${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}; rate-limit counters: ${product.counters.kind}`);
    console.log(`stacks: ${modes.join(', ')}, one after the other; ${opts.users} managers' (or agents') tokens in turn`);
    for (const read of reads) {
      console.log(`\n${read.name}: ${read.describe} — ${statements[read.name].length} statements a request:`);
      for (const sql of statements[read.name]) console.log(`    ${sql.length > 150 ? `${sql.slice(0, 150)}…` : sql}`);
    }
    console.log(
      `\nper stack and read: warm-up ${opts.warmup} s each, then ${opts.rounds} rounds of ${opts.duration} s each of stack and ceiling, the order alternating; medians\n`,
    );

    const results = {} as Record<Mode, Partial<Record<ReadName, { stack: number; ceiling: number; cpuMs: number }>>>;
    const failed: LoadResult[] = [];
    const readsOf = (mode: Mode) => (mode === 'floor' ? reads.filter((read) => FLOOR_READS.includes(read.name)) : reads);
    for (const mode of modes) {
      let url: string;
      if (mode === 'in-process') {
        product ??= await startInProcess();
        url = product.url;
      } else {
        await product?.close();
        product = undefined;
        for (const child of children.splice(0).reverse()) await stopChild(child);
        if (mode === 'processes') {
          url = await startProcesses(children);
        } else {
          const { startFrameworkFloor } = await import('./support/framework-floor.js');
          floor = await startFrameworkFloor();
          url = floor.url;
        }
      }
      results[mode] = {};
      for (const read of readsOf(mode)) {
        await send(url, read);
        const cpuMs: number[] = [];
        const measure = async (column: 'stack' | 'ceiling', duration: number): Promise<number> => {
          if (column === 'ceiling') return ceiling(databaseUrl, statements[read.name], opts.connections, duration);
          const cpuBefore = stackCpuSeconds(children);
          const r = await load.run({ label: `${mode} ${read.name}`, ...read.request(url), duration, connections: opts.connections });
          cpuMs.push(((stackCpuSeconds(children) - cpuBefore) * 1000) / r.requests);
          if (r.failures > 0) failed.push(r);
          return r.rps;
        };
        await measure('stack', opts.warmup);
        await measure('ceiling', opts.warmup);
        cpuMs.length = 0;
        const stack: number[] = [];
        const top: number[] = [];
        for (let round = 0; round < opts.rounds; round++) {
          for (const column of round % 2 ? (['ceiling', 'stack'] as const) : (['stack', 'ceiling'] as const)) {
            (column === 'stack' ? stack : top).push(await measure(column, opts.duration));
          }
        }
        results[mode][read.name] = { stack: median(stack), ceiling: median(top), cpuMs: median(cpuMs) };
        console.log(
          `  ${mode.padEnd(10)} ${read.name.padEnd(4)}  stack ${stack.map((v) => v.toFixed(0)).join(' ')}   ceiling ${top.map((v) => v.toFixed(0)).join(' ')}   req/s;  stack CPU ${cpuMs.map((v) => v.toFixed(2)).join(' ')} ms a request`,
        );
      }
    }

    console.log(`\n${'stack'.padEnd(10)} ${'read'.padEnd(4)} ${'req/s'.padStart(7)} ${'ceiling'.padStart(8)}  ratio  CPU ms/req`);
    for (const mode of modes) {
      for (const read of readsOf(mode)) {
        const { stack, ceiling: top, cpuMs } = results[mode][read.name]!;
        console.log(
          `${mode.padEnd(10)} ${read.name.padEnd(4)} ${stack.toFixed(0).padStart(7)} ${top.toFixed(0).padStart(8)}  ${(stack / top).toFixed(2)}  ${cpuMs.toFixed(2).padStart(10)}`,
        );
      }
    }
    const products = modes.filter((mode) => mode !== 'floor');
    for (const name of ['list', 'own'] as const) {
      if (!reads.some((read) => read.name === name) || products.length === 0) continue;
      const met = products.every((mode) => results[mode][name]!.stack / results[mode][name]!.ceiling >= 0.5);
      console.log(
        `goal: ${name === 'list' ? "the managers' list" : "the agents' own list"} at ≥ 0.50 of the ceiling in every stack — ${met ? 'met' : 'NOT met'}`,
      );
    }

    const bound = results.floor?.list;
    if (bound) {
      console.log(
        `floor: the frameworks alone serve the list at ${(bound.stack / bound.ceiling).toFixed(2)} of the ceiling (${bound.cpuMs.toFixed(2)} ms of CPU a request), with no database, ORM or code of ours`,
      );
    }

    return reportFailures(failed, 'the reads') ? 1 : 0;
  } finally {
    await load.close();
    for (const child of children.reverse()) await stopChild(child);
    await product?.close();
    await floor?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
