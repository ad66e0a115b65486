/**
 * Dialog fan-out bench: a client's message comes in through a Telegram webhook and reaches every manager
 * watching the funnel's inbox (`dialogMessageAdded(funnelId:)` over graphql-ws through the gateway).
 *
 *   npm run bench:dialogs
 *   options: --managers=500 --events=20 --interval=500 --chats=4   (or BENCH_MANAGERS, ...)
 *            --cpu-profile=DIR   writes a V8 CPU profile of the gateway process during the measured updates
 *
 * One product booted in this process (gateway + subgraphs, embedded PostgreSQL in memory) with a tiny
 * stand-in Bot API (`TELEGRAM_API_ROOT`) that records the webhook the connection registers; updates are
 * POSTed to that webhook with its secret, as Telegram does. `managers` MANAGER users of one organization each
 * hold one graphql-ws connection, opened in a forked child process so they do not share the gateway's event
 * loop. The chats write first (not measured), so the measured updates are messages in existing dialogs.
 * Latency of a delivery = receive time in the child − the moment the webhook POST started (same machine,
 * same clock).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { numericOption } from './support/load.js';
import { runBench } from './support/run.js';

const SELF = fileURLToPath(import.meta.url);
const BENCH_RATE_LIMIT = 1_000_000_000;
const SUBSCRIPTION = 'subscription Inbox($f: ID) { dialogMessageAdded(funnelId: $f) { id text role dialogId createdAt } }';
const P95_GOAL_MS = 250;
const CONNECT_TIMEOUT_MS = 180_000;
const DRAIN_TIMEOUT_MS = 60_000;
const SETTLE_MS = 1_500;

/** Epoch milliseconds with fractions, comparable between this process and its child. */
const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------------
// WebSocket clients (child process).

type ToChild =
  | { cmd: 'open'; url: string; tokens: string[]; funnelId: string; concurrency: number }
  | { cmd: 'received'; texts: string[] }
  | { cmd: 'close' };

interface Opened {
  connected: number;
  failed: number;
  firstFailure?: string;
  ms: number;
}
interface Received {
  /** By text: when each connection received it (epoch ms). */
  at: Record<string, number[]>;
  duplicates: number;
  errors: number;
  sampleError?: string;
}

async function runClientChild(): Promise<void> {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  const clients: ReturnType<typeof createClient>[] = [];
  const received = new Map<string, Map<number, number>>();
  const problems = { duplicates: 0, errors: 0, sampleError: undefined as string | undefined };

  const open = async ({ url, tokens, funnelId, concurrency }: Extract<ToChild, { cmd: 'open' }>): Promise<Opened> => {
    const started = Date.now();
    let next = 0;
    const result: Opened = { connected: 0, failed: 0, ms: 0 };
    const openOne = (index: number) =>
      new Promise<void>((resolve) => {
        const finish = (why?: string) => {
          clearTimeout(timer);
          if (why === undefined) result.connected++;
          else {
            result.failed++;
            result.firstFailure ??= why;
          }
          resolve();
        };
        const timer = setTimeout(() => finish('no connection_ack within 30 s'), 30_000);
        const client = createClient({
          url,
          webSocketImpl: WebSocket,
          connectionParams: { Authorization: `Bearer ${tokens[index]}` },
          lazy: false,
          retryAttempts: 0,
          onNonLazyError: () => undefined,
          on: {
            connected: () => {
              client.subscribe<{ dialogMessageAdded: { text: string } }>(
                { query: SUBSCRIPTION, variables: { f: funnelId } },
                {
                  next: (answer) => {
                    const at = now();
                    if (answer.errors?.length) {
                      problems.errors++;
                      problems.sampleError ??= JSON.stringify(answer.errors).slice(0, 300);
                    }
                    const text = answer.data?.dialogMessageAdded.text;
                    if (!text) return;
                    let byConnection = received.get(text);
                    if (!byConnection) received.set(text, (byConnection = new Map<number, number>()));
                    if (byConnection.has(index)) problems.duplicates++;
                    else byConnection.set(index, at);
                  },
                  error: (error) => {
                    problems.errors++;
                    problems.sampleError ??= String((error as Error)?.message ?? JSON.stringify(error)).slice(0, 300);
                  },
                  complete: () => undefined,
                },
              );
              finish();
            },
            closed: (event) => finish(`closed ${(event as { code?: number }).code}`),
          },
        });
        clients.push(client);
      });
    const worker = async () => {
      while (next < tokens.length) await openOne(next++);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, tokens.length) }, worker));
    result.ms = Date.now() - started;
    return result;
  };

  process.on('message', (message: ToChild) => {
    const answer = async () => {
      switch (message.cmd) {
        case 'open':
          return { open: await open(message) };
        case 'received': {
          const at: Record<string, number[]> = {};
          for (const text of message.texts) at[text] = [...(received.get(text)?.values() ?? [])];
          const result: Received = { at, ...problems };
          return { received: result };
        }
        case 'close':
          await Promise.all(clients.splice(0).map((c) => c.dispose()));
          return { closed: true };
      }
    };
    answer().then(
      (reply) => process.send!(reply),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  process.on('disconnect', () => process.exit(0));
}

class Clients {
  private readonly child: ChildProcess = fork(SELF, ['--client-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

  private ask<T>(message: ToChild, key: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`client process: no answer to ${message.cmd} within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (answer: Record<string, unknown>) => {
        if (key in answer) done(undefined, answer[key] as T);
      };
      const onExit = (code: number | null) => done(new Error(`client process exited (${code})`));
      const done = (error?: Error, value?: T) => {
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
  open(url: string, tokens: string[], funnelId: string, concurrency: number) {
    return this.ask<Opened>({ cmd: 'open', url, tokens, funnelId, concurrency }, 'open', CONNECT_TIMEOUT_MS);
  }
  received(texts: string[]) {
    return this.ask<Received>({ cmd: 'received', texts }, 'received', 30_000);
  }
  close() {
    return this.ask<boolean>({ cmd: 'close' }, 'closed', 30_000);
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
// A stand-in Bot API: enough for a connection to start (getMe, setWebhook) and for replies to go out.

class BotApi {
  webhook?: { url: string; secret: string };
  private readonly server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      const method = /^\/bot[^/]+\/(\w+)$/.exec(request.url ?? '')?.[1];
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      let result: unknown = true;
      if (method === 'getMe') result = { id: 1, is_bot: true, first_name: 'Bench', username: 'bench_bot' };
      else if (method === 'setWebhook') this.webhook = { url: String(body.url), secret: String(body.secret_token) };
      else if (method === 'sendMessage')
        result = { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: body.chat_id }, text: body.text };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true, result }));
    });
  });
  private updates = 0;
  private messages = 0;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** POSTs a text message of `chatId` to the webhook as Telegram does; its HTTP status. */
  async postText(chatId: number, text: string): Promise<number> {
    if (!this.webhook) throw new Error('no webhook registered');
    const update = {
      update_id: ++this.updates,
      message: {
        message_id: ++this.messages,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: `Client ${chatId}` },
        from: { id: chatId, is_bot: false, first_name: `Client ${chatId}` },
        text,
      },
    };
    const response = await fetch(this.webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': this.webhook.secret },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(30_000),
    });
    await response.body?.cancel();
    return response.status;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------------------------------
// Gateway side (this process).

function options(argv: string[]) {
  const num = (name: string, fallback: number) => numericOption(argv, name, fallback, { integer: true });
  const cpuProfile =
    argv.find((a) => a.startsWith('--cpu-profile='))?.slice('--cpu-profile='.length) || process.env.BENCH_CPU_PROFILE || undefined;
  return {
    managers: num('managers', 500),
    events: Math.min(num('events', 20), 500),
    interval: num('interval', 500),
    chats: num('chats', 4),
    concurrency: num('concurrency', 10),
    cpuProfile,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
const ms = (value: number) => `${Number.isFinite(value) ? value.toFixed(0) : '–'} ms`;

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

/** A port free on loopback now: messengers post to PUBLIC_URL, so it is known before the product starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  const { loadSettings } = await import('@salesgraph/platform');
  const { startProduct } = await import('@salesgraph/gateway');
  console.log(
    `dialog fan-out — node ${process.version}, ${opts.managers} managers subscribed to one funnel, ${opts.events} inbound updates ${opts.interval} ms apart`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'salesgraph-bench-'));
  const bot = new BotApi();
  const port = await freePort();
  const settings = loadSettings({
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    TELEGRAM_API_ROOT: await bot.start(),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  });
  const product = await startProduct({
    settings,
    port,
    host: '127.0.0.1',
    inMemory: true,
    rateLimits: { anonymousPerWindow: BENCH_RATE_LIMIT, authenticatedPerWindow: BENCH_RATE_LIMIT },
    webhookPerMinute: BENCH_RATE_LIMIT,
  });
  const httpUrl = `${product.url}/graphql`;
  const clients = new Clients();
  let exitCode = 0;
  try {
    console.log(
      'product: gateway + subgraphs in this process, embedded PostgreSQL (PGlite) in memory; WebSocket clients in a forked child',
    );
    console.log(`subscription: ${SUBSCRIPTION}\n`);

    // One organization: its admin makes the funnel and the bot, its managers watch the funnel.
    const run = Date.now().toString(36);
    const { signUp } = await post<{ signUp: { accessToken: string } }>(
      httpUrl,
      'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }',
      {
        i: {
          organizationName: `Bench ${run}`,
          email: `bench-${run}@example.com`,
          username: `bench_${run}`,
          password: 'bench admin password',
        },
      },
    );
    const admin = signUp.accessToken;
    const { createFunnel } = await post<{ createFunnel: { id: string } }>(
      httpUrl,
      'mutation($i: CreateFunnelInput!) { createFunnel(input: $i) { id } }',
      { i: { name: `bench-${run}`, displayName: 'Bench', stages: [{ name: 'Greeting', assistantCodeName: 'greeter' }] } },
      admin,
    );
    const funnelId = createFunnel.id;
    const { createMessengerConnection: connection } = await post<{
      createMessengerConnection: { state: string; lastError: string | null };
    }>(
      httpUrl,
      'mutation($i: CreateMessengerConnectionInput!) { createMessengerConnection(input: $i) { state lastError } }',
      { i: { messengerType: 'TELEGRAM', token: '100200300:bench-bot-key-AAAAAAAAAAAAAAAA', funnelId } },
      admin,
    );
    if (connection.state !== 'RUNNING' || !bot.webhook) throw new Error(`the bot did not start: ${connection.lastError}`);

    const started = Date.now();
    const names = Array.from({ length: opts.managers }, (_, i) => `bench_mgr_${run}_${i}`);
    await inBatches(names, 10, (username) =>
      post(
        httpUrl,
        'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
        { i: { email: `${username}@example.com`, username, password: 'manager password', role: 'MANAGER' } },
        admin,
      ),
    );
    const tokens = await inBatches(names, 10, async (login) => {
      const data = await post<{ login: { accessToken: string } }>(
        httpUrl,
        'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
        { i: { login, password: 'manager password' } },
      );
      return data.login.accessToken;
    });
    console.log(
      `set up: a funnel, a running Telegram connection, ${opts.managers} MANAGER users signed in (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );

    const opened = await clients.open(httpUrl.replace(/^http/, 'ws'), tokens, funnelId, opts.concurrency);
    const streamsUntil = Date.now() + 60_000;
    while (product.subscriptions.streams.size < opened.connected && Date.now() < streamsUntil) await sleep(100);
    await sleep(SETTLE_MS);
    console.log(
      `connections: ${opened.connected}/${opts.managers} in ${(opened.ms / 1000).toFixed(1)} s, ${product.subscriptions.streams.size} gateway streams${opened.failed ? `, ${opened.failed} FAILED (first: ${opened.firstFailure})` : ''}`,
    );

    // Each chat writes first (a client and a dialog are created), not measured: every subscription then
    // has proven it reaches the event bus.
    const chats = Array.from({ length: opts.chats }, (_, i) => 900_000_001 + i);
    const probes = chats.map((chat) => `probe ${run} ${chat}`);
    for (const [i, chat] of chats.entries()) await bot.postText(chat, probes[i]);
    const probeUntil = Date.now() + 60_000;
    let probed = 0;
    while (Date.now() < probeUntil) {
      probed = Math.min(...Object.values((await clients.received(probes)).at).map((at) => at.length));
      if (probed >= opened.connected) break;
      await sleep(200);
    }
    console.log(`probes (not measured): ${chats.length} first messages, each reached at least ${probed}/${opened.connected} managers\n`);
    await sleep(1_000);

    let profiler: Session | undefined;
    if (opts.cpuProfile) {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const sentAt = new Map<string, number>();
    const answerMs: number[] = [];
    const statuses: number[] = [];
    const cpuBefore = process.cpuUsage();
    const eventsStarted = Date.now();
    for (let i = 1; i <= opts.events; i++) {
      const slot = eventsStarted + (i - 1) * opts.interval;
      if (slot > Date.now()) await sleep(slot - Date.now());
      const text = `update ${run} ${i}`;
      const t0 = now();
      sentAt.set(text, t0);
      statuses.push(await bot.postText(chats[i % chats.length], text));
      answerMs.push(now() - t0);
    }
    const texts = [...sentAt.keys()];
    const expected = opened.connected * texts.length;
    const drainUntil = Date.now() + DRAIN_TIMEOUT_MS;
    let received = await clients.received(texts);
    while (Date.now() < drainUntil && Object.values(received.at).reduce((n, at) => n + at.length, 0) < expected) {
      await sleep(200);
      received = await clients.received(texts);
    }
    const eventsMs = Date.now() - eventsStarted;
    const cpu = process.cpuUsage(cpuBefore);
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      const file = join(opts.cpuProfile!, 'dialog-fanout.cpuprofile');
      writeFileSync(file, JSON.stringify(profile));
      profiler.disconnect();
      console.log(`CPU profile of the measured updates: ${file}`);
    }

    const latencies = texts.flatMap((text) => received.at[text].map((at) => at - sentAt.get(text)!)).sort((a, b) => a - b);
    const firsts = texts.map((text) => Math.min(...received.at[text]) - sentAt.get(text)!).sort((a, b) => a - b);
    const lasts = texts.map((text) => Math.max(...received.at[text]) - sentAt.get(text)!).sort((a, b) => a - b);
    const answers = [...answerMs].sort((a, b) => a - b);
    const ratio = latencies.length / (opts.managers * texts.length);
    const p95 = percentile(latencies, 95);
    const row = (label: string, sorted: number[]) =>
      `  ${label.padEnd(36)} ${ms(percentile(sorted, 50)).padStart(8)} ${ms(percentile(sorted, 95)).padStart(8)} ${ms(sorted[sorted.length - 1]).padStart(8)}`;
    console.log(
      `${texts.length} updates POSTed to the webhook, ${opts.interval} ms apart, rotating over ${chats.length} existing dialogs:`,
    );
    console.log(`  ${''.padEnd(36)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
    console.log(row('webhook answered (POST → 200)', answers));
    console.log(row('POST → first manager', firsts));
    console.log(row('POST → last manager', lasts));
    console.log(row(`POST → each delivery (${latencies.length})`, latencies));
    console.log(
      `\ndelivered: ${latencies.length} / ${opts.managers} × ${texts.length} = ${(ratio * 100).toFixed(2)} %; webhook statuses: ${[...new Set(statuses)].join(', ')}; duplicates ${received.duplicates}; subscription errors ${received.errors}${received.sampleError ? ` (e.g. ${received.sampleError})` : ''}`,
    );
    console.log(
      `gateway process CPU during the updates: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms over ${(eventsMs / 1000).toFixed(1)} s (${((cpu.user + cpu.system) / 1000 / texts.length).toFixed(0)} ms per update)`,
    );
    const met = p95 <= P95_GOAL_MS;
    console.log(`p95 goal ≤ ${P95_GOAL_MS} ms: ${met ? 'met' : `NOT met (p95 ${p95.toFixed(0)} ms)`}`);
    if (opened.failed || received.errors || statuses.some((s) => s !== 200) || ratio < 1) exitCode = 1;
    else if (!met) exitCode = 2;
    await clients.close();
    return exitCode;
  } finally {
    await clients.exit();
    await product.close();
    await bot.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--client-child')) {
  void runClientChild();
} else {
  runBench(main);
}
