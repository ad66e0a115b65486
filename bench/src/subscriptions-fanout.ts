/**
 * Subscription fan-out bench: N graphql-ws connections through the gateway, each subscribed to
 * `incomingCall`, then calls created one at a time; how fast and how completely each event reaches every
 * subscriber, and what a connection costs in the gateway's memory.
 *
 *   npm run bench:subscriptions
 *   npm run bench:socketio       the same with seed 002's Socket.IO clients (`incoming-call`) beside graphql-ws, same run
 *   options: --connections=2000 --events=20 --interval=500 --managers=100 --scenarios=AB   (or BENCH_CONNECTIONS, ...)
 *            --protocols=graphql-ws,socket.io   which clients to measure, one after the other in each scenario
 *            --cpu-profile=DIR   writes a V8 CPU profile of the gateway process during each scenario's events
 *
 * Two scenarios in one run, on one product booted in this process (embedded database in memory):
 *   A  every connection signs in as the same organization admin (a wallboard on N screens): they share
 *      one upstream subscription and one hydration per event;
 *   B  the connections spread over `managers` manager users of one organization (N / managers each): one
 *      upstream subscription per user, and (organization-wide role) one shared hydration per event.
 * The WebSocket clients run in a forked child process, so they do not share the gateway's event loop.
 * Latency of a delivery = receive time in the child − the call's `startedAt` (stamped in the calls
 * subgraph when the row is flushed, before commit; same machine, same clock).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { numericOption } from './support/load.js';
import { runBench } from './support/run.js';

const SELF = fileURLToPath(import.meta.url);
/** High enough that no login, mutation or subscription of the bench is ever limited. */
const BENCH_RATE_LIMIT = 1_000_000_000;
const SUBSCRIPTION = 'subscription Incoming { incomingCall { id type call { id callerNumber startedAt assignedUser { id username } } } }';
const P95_GOAL_MS = 250;
const DELIVERY_GOAL = 0.999;
/** Socket.IO's p95 against graphql-ws's in the same run and scenario. */
const SOCKET_IO_GOAL = 1.2;
/** Server events of seed 002's Socket.IO protocol, each one gateway stream per signed-in identity. */
const SOCKET_IO_EVENTS = 8;
/** Bounds of every wait, so the bench always ends. */
const CONNECT_TIMEOUT_MS = 180_000;
const PROBE_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 60_000;
const SETTLE_MS = 1_500;

// ---------------------------------------------------------------------------------------------------
// WebSocket clients (child process).

type Protocol = 'graphql-ws' | 'socket.io';
const PROTOCOLS: Protocol[] = ['graphql-ws', 'socket.io'];

type ToChild =
  | { cmd: 'open'; protocol: Protocol; url: string; tokens: string[]; query: string; concurrency: number }
  | { cmd: 'counts'; callIds: string[] }
  | { cmd: 'stats'; callIds: string[] }
  | { cmd: 'close' };

interface OpenResult {
  connected: number;
  failed: number;
  firstFailure?: string;
  ms: number;
}
interface Stats {
  /** Latencies (ms) of the first delivery of each call to each connection, by call id. */
  latencies: Record<string, number[]>;
  duplicates: number;
  /** Subscription payloads carrying GraphQL errors, and error() ends of subscriptions. */
  graphqlErrors: number;
  sampleError?: string;
  /** Sockets that closed (or subscriptions that ended) before the bench closed them. */
  unexpectedCloses: number;
  sampleClose?: string;
  completed: number;
}

async function runClientChild(): Promise<void> {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  const { io } = await import('socket.io-client');
  let clients: { dispose(): unknown }[] = [];
  let closing = false;
  // call id → connection index → latency
  const received = new Map<string, Map<number, number>>();
  const stats = {
    duplicates: 0,
    graphqlErrors: 0,
    unexpectedCloses: 0,
    completed: 0,
    sampleError: undefined as string | undefined,
    sampleClose: undefined as string | undefined,
  };
  const reset = () => {
    received.clear();
    Object.assign(stats, {
      duplicates: 0,
      graphqlErrors: 0,
      unexpectedCloses: 0,
      completed: 0,
      sampleError: undefined,
      sampleClose: undefined,
    });
  };
  const describe = (e: unknown) => {
    if (Array.isArray(e)) return JSON.stringify(e).slice(0, 300);
    const close = e as { code?: number; reason?: string; message?: string };
    if (close && typeof close.code === 'number') return `close ${close.code} ${close.reason ?? ''}`;
    return String(close?.message ?? e).slice(0, 300);
  };

  /** The first delivery of a call to a connection, by the call's id and when it started. */
  const record = (callId: string, index: number, at: number, startedAt: string) => {
    let byConnection = received.get(callId);
    if (!byConnection) received.set(callId, (byConnection = new Map<number, number>()));
    if (byConnection.has(index)) stats.duplicates++;
    else byConnection.set(index, at - Date.parse(startedAt));
  };

  /**
   * A seed 002 front end: connects, emits `authenticate` with its token, listens for `incoming-call`
   * (WebSocket transport only, as polling across a load balancer would need sticky sessions).
   */
  const openSocketIo = (url: string, token: string, index: number) =>
    new Promise<string | undefined>((resolve) => {
      let done = false;
      const finish = (why?: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(why);
      };
      const timer = setTimeout(() => finish('not authenticated within 30 s'), 30_000);
      const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
      clients.push({ dispose: () => socket.disconnect() });
      socket.on('connect', () => socket.emit('authenticate', { token }));
      socket.on('authenticated', () => finish());
      socket.on('connect_error', (e) => finish(describe(e)));
      socket.on('error', (e: unknown) => {
        if (!done) return finish(describe(JSON.stringify(e)));
        stats.graphqlErrors++;
        stats.sampleError ??= describe(JSON.stringify(e));
      });
      socket.on('disconnect', (reason) => {
        if (!done) finish(reason);
        else if (!closing) {
          stats.unexpectedCloses++;
          stats.sampleClose ??= reason;
        }
      });
      socket.on('incoming-call', (call: { id: number; timestamp: string }) => record(String(call.id), index, Date.now(), call.timestamp));
    });

  const open = async (protocol: Protocol, url: string, tokens: string[], query: string, concurrency: number): Promise<OpenResult> => {
    const started = Date.now();
    let next = 0;
    let connected = 0;
    let failed = 0;
    let firstFailure: string | undefined;
    const openOne = async (index: number) => {
      if (protocol === 'socket.io') {
        const failure = await openSocketIo(url, tokens[index], index);
        if (failure === undefined) connected++;
        else {
          failed++;
          firstFailure ??= failure;
        }
        return;
      }
      return new Promise<void>((resolve) => {
        let done = false;
        const finish = (ok: boolean, why?: string) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (ok) connected++;
          else {
            failed++;
            firstFailure ??= why;
          }
          resolve();
        };
        const timer = setTimeout(() => finish(false, 'no connection_ack within 30 s'), 30_000);
        const client = createClient({
          url,
          webSocketImpl: WebSocket,
          connectionParams: { Authorization: `Bearer ${tokens[index]}` },
          lazy: false,
          retryAttempts: 0,
          onNonLazyError: () => undefined,
          on: {
            connected: () => {
              client.subscribe<{ incomingCall: { call: { id: string; startedAt: string } } }>(
                { query },
                {
                  next: (result) => {
                    const at = Date.now();
                    if (result.errors?.length) {
                      stats.graphqlErrors++;
                      stats.sampleError ??= describe(result.errors);
                    }
                    const call = result.data?.incomingCall?.call;
                    if (call) record(call.id, index, at, call.startedAt);
                  },
                  error: (e) => {
                    if (closing) return;
                    if (Array.isArray(e)) {
                      stats.graphqlErrors++;
                      stats.sampleError ??= describe(e);
                    } else {
                      stats.unexpectedCloses++;
                      stats.sampleClose ??= describe(e);
                    }
                  },
                  complete: () => {
                    if (!closing) stats.completed++;
                  },
                },
              );
              finish(true);
            },
            closed: (event) => {
              if (!done) finish(false, describe(event));
              else if (!closing) {
                stats.unexpectedCloses++;
                stats.sampleClose ??= describe(event);
              }
            },
            error: (e) => {
              if (!done) finish(false, describe(e));
            },
          },
        });
        clients.push(client);
      });
    };
    const worker = async () => {
      while (next < tokens.length) await openOne(next++);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, tokens.length) }, worker));
    return { connected, failed, firstFailure, ms: Date.now() - started };
  };

  const onMessage = async (message: ToChild) => {
    switch (message.cmd) {
      case 'open': {
        reset();
        closing = false;
        process.send!({ open: await open(message.protocol, message.url, message.tokens, message.query, message.concurrency) });
        break;
      }
      case 'counts':
        process.send!({ counts: message.callIds.map((id) => received.get(id)?.size ?? 0) });
        break;
      case 'stats': {
        const latencies: Record<string, number[]> = {};
        for (const id of message.callIds) latencies[id] = [...(received.get(id)?.values() ?? [])];
        const result: Stats = { latencies, ...stats };
        process.send!({ stats: result });
        break;
      }
      case 'close': {
        closing = true;
        const all = clients;
        clients = [];
        await Promise.all(all.map((c) => c.dispose()));
        process.send!({ closed: all.length });
        break;
      }
    }
  };
  process.on('message', (message: ToChild) => {
    // A failure ends this child with the error printed, as the unhandled rejection did before.
    onMessage(message).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
  process.on('disconnect', () => process.exit(0));
}

class Clients {
  private readonly child: ChildProcess = fork(SELF, ['--client-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  private ask<K extends string, T>(message: ToChild, key: K, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`client process: no answer to ${message.cmd} within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (answer: Record<string, unknown>) => {
        if (key in answer) finish(undefined, answer[key] as T);
      };
      const onExit = (code: number | null) => finish(new Error(`client process exited (${code})`));
      const finish = (error?: Error, value?: T) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve(value as T);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(message);
    });
  }
  open(protocol: Protocol, url: string, tokens: string[], query: string, concurrency: number) {
    return this.ask<'open', OpenResult>({ cmd: 'open', protocol, url, tokens, query, concurrency }, 'open', CONNECT_TIMEOUT_MS);
  }
  counts(callIds: string[]) {
    return this.ask<'counts', number[]>({ cmd: 'counts', callIds }, 'counts', 10_000);
  }
  stats(callIds: string[]) {
    return this.ask<'stats', Stats>({ cmd: 'stats', callIds }, 'stats', 30_000);
  }
  closeAll() {
    return this.ask<'closed', number>({ cmd: 'close' }, 'closed', 30_000);
  }
  exit(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      this.child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      this.child.disconnect();
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Gateway side (this process).

function options(argv: string[]) {
  const num = (name: string, fallback: number) => numericOption(argv, name, fallback, { integer: true });
  const connections = num('connections', 2000);
  const managers = num('managers', 100);
  if (connections % managers) throw new Error(`--connections (${connections}) must be a multiple of --managers (${managers})`);
  const scenarios = (
    argv.find((a) => a.startsWith('--scenarios='))?.slice('--scenarios='.length) ??
    process.env.BENCH_SCENARIOS ??
    'AB'
  ).toUpperCase();
  if (!/^[AB]+$/.test(scenarios)) throw new Error(`--scenarios must be made of A and B, got "${scenarios}"`);
  const cpuProfile =
    argv.find((a) => a.startsWith('--cpu-profile='))?.slice('--cpu-profile='.length) || process.env.BENCH_CPU_PROFILE || undefined;
  const protocols = (
    argv.find((a) => a.startsWith('--protocols='))?.slice('--protocols='.length) ??
    process.env.BENCH_PROTOCOLS ??
    'graphql-ws'
  )
    .split(',')
    .map((p) => p.trim()) as Protocol[];
  const unknown = protocols.filter((p) => !PROTOCOLS.includes(p));
  if (unknown.length || !protocols.length) throw new Error(`--protocols must list ${PROTOCOLS.join(', ')}, got "${protocols.join(',')}"`);
  return {
    protocols,
    cpuProfile,
    scenarios,
    connections,
    events: Math.min(num('events', 20), 200),
    interval: num('interval', 500),
    managers,
    concurrency: num('concurrency', 50),
  };
}

/** A full GC: global.gc under --expose-gc, otherwise exposed at run time through V8 flags. */
function garbageCollector(): { gc?: () => void; how: string } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return { gc: exposed, how: 'global.gc (--expose-gc)' };
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    if (typeof gc === 'function') return { gc, how: 'full GC forced (gc exposed at run time via v8.setFlagsFromString)' };
  } catch {
    // not available
  }
  return { how: 'WITHOUT forced GC (figures include garbage)' };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** POSTs a GraphQL operation; `T` is the shape of the data its selection asks for. */
async function post<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json().catch(() => undefined)) as { data?: T; errors?: unknown[] } | undefined;
  if (response.status !== 200 || !body?.data || body.errors?.length)
    throw new Error(`HTTP ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

interface ScenarioSetup {
  name: string;
  description: string;
  tokens: string[];
  adminToken: string;
  assignees: string[];
  identities: number;
}

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  const { loadSettings } = await import('@salesgraph/platform');
  const { startProduct } = await import('@salesgraph/gateway');
  const { gc, how: gcHow } = garbageCollector();
  const collect = async () => {
    for (let i = 0; i < 3 && gc; i++) {
      gc();
      await sleep(50);
    }
  };

  console.log(
    `subscription fan-out — node ${process.version}, ${opts.connections} connections, ${opts.events} events ${opts.interval} ms apart per scenario`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'salesgraph-bench-'));
  const settings = loadSettings({ ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: '' });
  const product = await startProduct({
    settings,
    port: 0,
    inMemory: true,
    rateLimits: { anonymousPerWindow: BENCH_RATE_LIMIT, authenticatedPerWindow: BENCH_RATE_LIMIT },
    // Scenario A signs every connection in as one identity, past the default of 100 per identity.
    // Socket.IO clients count as pending for their address until `authenticate` is answered: all handshakes in flight may be.
    subscriptionLimits: { maxConnectionsPerIdentity: opts.connections, maxPendingConnectionsPerIp: Math.max(20, opts.concurrency) },
  });
  const httpUrl = `${product.url}/graphql`;
  const wsUrl = httpUrl.replace(/^http/, 'ws');
  const clients = new Clients();
  let exitCode = 0;
  try {
    console.log(
      'product: gateway + identity + calls subgraphs in this process, embedded PostgreSQL (PGlite) in memory; WebSocket clients in a forked child process',
    );
    console.log(
      `gateway rate limits raised to ${BENCH_RATE_LIMIT.toLocaleString('en')} requests/minute (anonymous and authenticated) for this bench; connections per identity raised to ${opts.connections.toLocaleString('en')}, unauthenticated connections per address to ${Math.max(20, opts.concurrency)}, other subscription limits are the defaults`,
    );
    console.log(`subscription: ${SUBSCRIPTION}`);
    console.log(`memory: measured in this (gateway) process, ${gcHow}\n`);

    const run = Date.now().toString(36);
    const signUp = async (tag: string) => {
      const data = await post<{ signUp: { accessToken: string; user: { id: string } } }>(
        httpUrl,
        'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken user { id } } }',
        {
          i: {
            organizationName: `Bench ${tag} ${run}`,
            email: `bench-${tag}-${run}@example.com`,
            username: `bench_${tag}_${run}`,
            password: 'bench admin password',
          },
        },
      );
      return { token: data.signUp.accessToken, id: data.signUp.user.id };
    };

    const scenarios: Record<'A' | 'B', () => Promise<ScenarioSetup>> = {
      A: async () => {
        const admin = await signUp('a');
        return {
          name: 'A',
          description: `one identity: all ${opts.connections} connections signed in as one organization admin (a wallboard)`,
          tokens: Array.from({ length: opts.connections }, () => admin.token),
          adminToken: admin.token,
          assignees: [admin.id],
          identities: 1,
        };
      },
      B: async () => {
        const admin = await signUp('b');
        const started = Date.now();
        const names = Array.from({ length: opts.managers }, (_, i) => `bench_mgr_${run}_${i}`);
        const ids = await inBatches(names, 10, async (username) => {
          const data = await post<{ createUser: { id: string } }>(
            httpUrl,
            'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
            {
              i: { email: `${username}@example.com`, username, password: 'manager password', role: 'MANAGER' },
            },
            admin.token,
          );
          return data.createUser.id;
        });
        const tokens = await inBatches(names, 10, async (login) => {
          const data = await post<{ login: { accessToken: string } }>(
            httpUrl,
            'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
            { i: { login, password: 'manager password' } },
          );
          return data.login.accessToken;
        });
        const per = opts.connections / opts.managers;
        console.log(
          `  created and signed in ${opts.managers} MANAGER users via GraphQL (createUser + login) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        return {
          name: 'B',
          description: `${opts.managers} manager users of one organization, ${per} connections each`,
          tokens: Array.from({ length: opts.connections }, (_, i) => tokens[Math.floor(i / per)]),
          adminToken: admin.token,
          assignees: ids,
          identities: opts.managers,
        };
      },
    };

    const verdicts: string[] = [];
    const figures: { scenario: string; protocol: Protocol; p95: number; ratio: number }[] = [];
    for (const name of opts.scenarios as Iterable<'A' | 'B'>) {
      const setup = await scenarios[name]();
      console.log(`scenario ${setup.name}: ${setup.description}`);
      const createCall = async (i: number) => {
        const data = await post<{ createCall: { id: string } }>(
          httpUrl,
          'mutation($i: CreateCallInput!) { createCall(input: $i) { id } }',
          {
            i: { callerNumber: `+7495${String(1_000_000 + i).slice(-7)}`, assignedUserId: setup.assignees[i % setup.assignees.length] },
          },
          setup.adminToken,
        );
        return data.createCall.id;
      };

      for (const protocol of opts.protocols) {
        console.log(`  ${protocol}:`);
        // Memory before any connection opens.
        await collect();
        const before = process.memoryUsage();

        const opened = await clients.open(
          protocol,
          protocol === 'socket.io' ? product.url : wsUrl,
          setup.tokens,
          SUBSCRIPTION,
          opts.concurrency,
        );
        console.log(
          `  connections: ${opened.connected}/${opts.connections} acknowledged in ${(opened.ms / 1000).toFixed(1)} s (${opts.concurrency} handshakes in flight)${opened.failed ? `, ${opened.failed} FAILED, first: ${opened.firstFailure}` : ''}`,
        );
        // graphql-ws has no "subscribed" ack: wait for the gateway's streams, then let them reach the event bus.
        // Socket.IO: one stream per server event and identity (its sockets share a room), opened on authentication.
        const wanted = protocol === 'socket.io' ? product.socketIo.groups * SOCKET_IO_EVENTS : opened.connected;
        const until = Date.now() + 60_000;
        while (product.subscriptions.streams.size < wanted && Date.now() < until) await sleep(100);
        const streams = product.subscriptions.streams.size;
        await sleep(SETTLE_MS);
        await collect();
        const after = process.memoryUsage();
        console.log(`  subscribed: ${streams} gateway streams (waited for all, then ${SETTLE_MS} ms settle)`);

        // A probe event, not measured: proves every subscription reaches the event bus before measuring.
        const probe = await createCall(0);
        const probeUntil = Date.now() + PROBE_TIMEOUT_MS;
        let probeCount = 0;
        while (Date.now() < probeUntil) {
          [probeCount] = await clients.counts([probe]);
          if (probeCount >= opened.connected) break;
          await sleep(200);
        }
        console.log(`  probe event (not measured): reached ${probeCount}/${opened.connected} subscribers`);
        await sleep(1_000);

        // Measured events, one at a time, `interval` apart.
        const callIds: string[] = [];
        const mutationMs: number[] = [];
        let profiler: Session | undefined;
        if (opts.cpuProfile) {
          profiler = new Session();
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        }
        const delay = monitorEventLoopDelay({ resolution: 10 });
        delay.enable();
        const cpuBefore = process.cpuUsage();
        const eventsStarted = Date.now();
        for (let i = 1; i <= opts.events; i++) {
          const slot = eventsStarted + (i - 1) * opts.interval;
          if (slot > Date.now()) await sleep(slot - Date.now());
          const t = Date.now();
          callIds.push(await createCall(i));
          mutationMs.push(Date.now() - t);
        }
        const expected = opened.connected * callIds.length;
        const drainUntil = Date.now() + DRAIN_TIMEOUT_MS;
        let delivered = 0;
        while (Date.now() < drainUntil) {
          delivered = (await clients.counts(callIds)).reduce((a, b) => a + b, 0);
          if (delivered >= expected) break;
          await sleep(200);
        }
        const eventsMs = Date.now() - eventsStarted;
        const cpu = process.cpuUsage(cpuBefore);
        delay.disable();
        if (profiler) {
          const { profile } = await profiler.post('Profiler.stop');
          const file = join(opts.cpuProfile!, `fanout-${setup.name}-${protocol}.cpuprofile`);
          writeFileSync(file, JSON.stringify(profile));
          profiler.disconnect();
          console.log(`  CPU profile of the events phase: ${file}`);
        }
        const stats = await clients.stats(callIds);

        const all = Object.values(stats.latencies)
          .flat()
          .sort((a, b) => a - b);
        const deliveries = all.length;
        const ratio = deliveries / (opts.connections * callIds.length);
        const p95 = percentile(all, 95);
        const perEvent = callIds.map((id) => {
          const l = [...stats.latencies[id]].sort((a, b) => a - b);
          return { first: l[0] ?? NaN, p50: percentile(l, 50), last: l[l.length - 1] ?? NaN, n: l.length };
        });
        const memRss = (after.rss - before.rss) / opts.connections;
        const memHeap = (after.heapUsed - before.heapUsed) / opts.connections;

        console.log(
          `  events: ${callIds.length} calls created one at a time, ${opts.interval} ms apart, as the org admin over HTTP (createCall took p50 ${percentile(
            [...mutationMs].sort((a, b) => a - b),
            50,
          )} ms, max ${Math.max(...mutationMs)} ms); all deliveries in after ${(eventsMs / 1000).toFixed(1)} s`,
        );
        console.log(`  latency (receive in client − call.startedAt), ${deliveries} deliveries:`);
        console.log(
          `    p50 ${percentile(all, 50)} ms   p95 ${p95} ms   p99 ${percentile(all, 99)} ms   max ${all[all.length - 1]} ms   (min ${all[0]} ms)`,
        );
        console.log(
          `    per event, first / median / last subscriber: ${perEvent.map((e) => `${e.first}/${e.p50}/${e.last}`).join('  ')} ms`,
        );
        console.log(
          `  delivered: ${deliveries} / ${opts.connections} × ${callIds.length} = ${(ratio * 100).toFixed(3)} %  (goal ≥ ${DELIVERY_GOAL * 100} %: ${ratio >= DELIVERY_GOAL ? 'met' : 'NOT met'})`,
        );
        console.log(
          `  p95 goal ≤ ${P95_GOAL_MS} ms: ${p95 <= P95_GOAL_MS ? 'met' : `NOT met (p95 ${p95} ms, ${p95 - P95_GOAL_MS} ms over)`}`,
        );
        console.log(
          `  errors on subscriptions: ${stats.graphqlErrors}${stats.sampleError ? ` (e.g. ${stats.sampleError})` : ''}; sockets closed or subscriptions ended unexpectedly: ${stats.unexpectedCloses + stats.completed}${stats.sampleClose ? ` (e.g. ${stats.sampleClose})` : ''}; duplicate deliveries: ${stats.duplicates}; failed connections: ${opened.failed}`,
        );
        console.log(
          `  gateway process during the events: CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms over ${(eventsMs / 1000).toFixed(1)} s (${((cpu.user + cpu.system) / 1000 / callIds.length).toFixed(0)} ms per event, ${setup.identities} distinct identit${setup.identities === 1 ? 'y' : 'ies'}; the gateway shares upstreams per identity and hydrations per organization-wide role); event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms, max ${(delay.max / 1e6).toFixed(0)} ms`,
        );
        console.log(
          `  memory per connection (gateway process, ${opts.connections} connections, before open → all subscribed): RSS ${kb(memRss)}, heapUsed ${kb(memHeap)}  (RSS ${mb(before.rss)} → ${mb(after.rss)}, heapUsed ${mb(before.heapUsed)} → ${mb(after.heapUsed)})`,
        );
        const ok = opened.failed === 0 && ratio >= DELIVERY_GOAL && p95 <= P95_GOAL_MS;
        figures.push({ scenario: setup.name, protocol, p95, ratio });
        verdicts.push(
          `scenario ${setup.name}, ${protocol}: p95 ${p95} ms (goal ≤ ${P95_GOAL_MS}: ${p95 <= P95_GOAL_MS ? 'met' : 'NOT met'}), delivered ${(ratio * 100).toFixed(3)} % (goal ≥ 99.9 %: ${ratio >= DELIVERY_GOAL ? 'met' : 'NOT met'})`,
        );
        if (opened.failed || stats.graphqlErrors || stats.unexpectedCloses || stats.completed) exitCode = 1;
        if (!ok && exitCode === 0) exitCode = 2;

        const closed = await clients.closeAll();
        const closeUntil = Date.now() + 30_000;
        while (product.subscriptions.streams.size > 0 && Date.now() < closeUntil) await sleep(100);
        console.log(`  closed ${closed} connections; gateway streams left: ${product.subscriptions.streams.size}\n`);
      }
    }
    console.log('summary:');
    for (const v of verdicts) console.log(`  ${v}`);
    for (const name of opts.scenarios) {
      const [ws, sio] = PROTOCOLS.map((p) => figures.find((f) => f.scenario === name && f.protocol === p));
      if (!ws || !sio) continue;
      const times = sio.p95 / ws.p95;
      console.log(
        `  scenario ${name}: socket.io p95 ${sio.p95} ms vs graphql-ws ${ws.p95} ms = ${times.toFixed(2)}× (goal ≤ ${SOCKET_IO_GOAL}×: ${times <= SOCKET_IO_GOAL ? 'met' : 'NOT met'}); delivered ${(sio.ratio * 100).toFixed(3)} % vs ${(ws.ratio * 100).toFixed(3)} %`,
      );
    }
    return exitCode;
  } finally {
    await clients.exit();
    await product.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--client-child')) {
  void runClientChild();
} else {
  runBench(main);
}
