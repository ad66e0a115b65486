/**
 * Chat stream bench: what the gateway's OpenAI-compatible `POST /v1/chat/completions` adds to a streamed
 * completion, against the same OpenAI-compatible provider called directly.
 *
 *   npm run bench:chat
 *   options: --requests=50 --warmup=5 --words=100 --delay=5 --model=gpt-4o-mini   (or BENCH_REQUESTS, ...)
 *
 * The provider is the tests' loopback stand-in (test/src/support/openai.ts, loaded from test/dist: run
 * `npm run build` first), streaming a reply of `words` one-word chunks `delay` ms apart: 5 ms is 200 tokens/s,
 * faster than hosted models stream. With no delay the stand-in, the product and the client (one process, one
 * event loop) push every chunk through before the client reads the first, which measures the loop's backlog,
 * not the gateway: about 10 ms more time to first token at 200 chunks (measured). One product boots in
 * this process (gateway + subgraphs, embedded PostgreSQL in memory) with `OPENAI_BASE_URL` = the stand-in and
 * `OPENAI_API_KEY` = the key it requires; a user signs up. The openai SDK is the client and sends, one at a
 * time, `requests` streamed completions (after `warmup` unmeasured ones) each way, alternating:
 *   (a) direct:  the stand-in, with the provider's key;
 *   (b) gateway: `<gateway>/v1/chat/completions`, with the user's access token.
 * Time to first token = request start → first non-empty content delta. Streamed tokens/s = content chunks
 * after the first / (last content chunk − first), summed over the requests. Goals: p95 overhead (b − a) of
 * the time to first token ≤ 20 ms; tokens/s ratio b/a ≥ 0.9. Exit code 1 on a failed or wrong stream (or a
 * gateway without the route: then only (a) is measured), 2 when a goal is not met.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import OpenAI from 'openai';
import { runBench } from './support/run.js';

const SELF = fileURLToPath(import.meta.url);
const STAND_IN = resolve(SELF, '../../../test/dist/support/openai.js');
const PROVIDER_KEY = 'sk-bench-provider-key';
const BENCH_RATE_LIMIT = 1_000_000_000;
const OVERHEAD_P95_GOAL_MS = 20;
const RATE_RATIO_GOAL = 0.9;

/** The part of the tests' stand-in (test/src/support/openai.ts) this bench uses. */
interface StandIn {
  readonly url: string;
  reply: string;
  chunkDelayMs: number;
  close(): Promise<void>;
}
interface StandInModule {
  OpenAIStandIn: { start(options: { models?: string[]; requiredKey?: string; reply?: string; chunkDelayMs?: number }): Promise<StandIn> };
  words: (n: number) => string;
}

function options(argv: string[]) {
  const raw = (name: string) => {
    const hit = argv.find((a) => a.startsWith(`--${name}=`));
    return hit ? hit.slice(hit.indexOf('=') + 1) : process.env[`BENCH_${name.toUpperCase()}`];
  };
  const num = (name: string, fallback: number, min = 1) => {
    const value = raw(name);
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${value}"`);
    return n;
  };
  return {
    requests: num('requests', 50),
    warmup: num('warmup', 5, 0),
    words: num('words', 100),
    delay: num('delay', 5, 0),
    model: raw('model') || 'gpt-4o-mini',
  };
}

interface Sample {
  /** Request start → first non-empty content delta, ms. */
  ttft: number;
  /** First → last content delta, ms. */
  streaming: number;
  chunks: number;
  text: string;
}

/** One streamed completion, timed. */
async function streamOnce(client: OpenAI, model: string, prompt: string): Promise<Sample> {
  const started = performance.now();
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: prompt }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let first: number | undefined;
  let last = started;
  let chunks = 0;
  let text = '';
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta.content;
    if (!content) continue;
    last = performance.now();
    first ??= last;
    chunks++;
    text += content;
  }
  if (first === undefined) throw new Error('the stream had no content');
  return { ttft: first - started, streaming: last - first, chunks, text };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const ms = (value: number) => `${Number.isFinite(value) ? value.toFixed(1) : '–'} ms`;
/** Content chunks after the first per second of streaming, over all samples. */
const rate = (samples: Sample[]) => {
  const seconds = samples.reduce((sum, s) => sum + s.streaming, 0) / 1000;
  return seconds > 0 ? samples.reduce((sum, s) => sum + s.chunks - 1, 0) / seconds : NaN;
};

/** Why the gateway cannot serve the bench, when it answers 404 for the route itself (not for the model). */
function missingRoute(error: unknown): string | undefined {
  if (!(error instanceof OpenAI.APIError) || error.status !== 404 || error.code === 'model_not_found') return undefined;
  return `the gateway answered 404 to POST /v1/chat/completions (${error.message}): the OpenAI-compatible route does not exist on this build`;
}

async function signUp(gatewayUrl: string): Promise<string> {
  const run = Date.now().toString(36);
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }',
      variables: {
        i: {
          organizationName: `Bench ${run}`,
          email: `bench-${run}@example.com`,
          username: `bench_${run}`,
          password: 'bench admin password',
        },
      },
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json().catch(() => undefined)) as
    { data?: { signUp: { accessToken: string } }; errors?: unknown[] } | undefined;
  if (response.status !== 200 || !body?.data || body.errors?.length) {
    throw new Error(`signUp: HTTP ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
  return body.data.signUp.accessToken;
}

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  const { OpenAIStandIn, words } = (await import(pathToFileURL(STAND_IN).href).catch((error: unknown) => {
    throw new Error(`cannot load the OpenAI stand-in from ${STAND_IN} (run npm run build first): ${String(error)}`);
  })) as StandInModule;
  const reply = words(opts.words);
  const standIn = await OpenAIStandIn.start({ models: [opts.model], requiredKey: PROVIDER_KEY, reply, chunkDelayMs: opts.delay });

  // The product reads its provider from the environment (settings), as it would in production.
  process.env.OPENAI_BASE_URL = standIn.url;
  process.env.OPENAI_API_KEY = PROVIDER_KEY;
  const { loadSettings } = await import('@salesgraph/platform');
  const { startProduct } = await import('@salesgraph/gateway');
  const dataDir = mkdtempSync(join(tmpdir(), 'salesgraph-bench-'));
  const settings = loadSettings({ ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: '' });
  const product = await startProduct({
    settings,
    port: 0,
    host: '127.0.0.1',
    inMemory: true,
    rateLimits: { anonymousPerWindow: BENCH_RATE_LIMIT, authenticatedPerWindow: BENCH_RATE_LIMIT },
  });
  try {
    console.log(
      `chat stream — node ${process.version}, ${opts.requests} streamed completions each way (after ${opts.warmup} warm-ups), ` +
        `${opts.words} one-word chunks ${opts.delay} ms apart, model ${opts.model}`,
    );
    console.log(
      `product: gateway + subgraphs in this process, embedded PostgreSQL (PGlite) in memory; llm backend ${settings.llm.backend}`,
    );
    console.log(`provider: the OpenAI stand-in at ${standIn.url}\n`);

    const token = await signUp(product.url);
    const direct = new OpenAI({ apiKey: PROVIDER_KEY, baseURL: standIn.url, maxRetries: 0, timeout: 30_000 });
    const gateway = new OpenAI({ apiKey: token, baseURL: `${product.url}/v1`, maxRetries: 0, timeout: 30_000 });
    const ways = [
      { label: '(a) direct to the provider', client: direct, samples: [] as Sample[] },
      { label: '(b) through the gateway', client: gateway, samples: [] as Sample[] },
    ];
    const wrong: string[] = [];
    const check = (label: string, sample: Sample) => {
      if (sample.text !== reply || sample.chunks !== opts.words) {
        wrong.push(`${label}: ${sample.chunks} chunks, text ${JSON.stringify(sample.text.slice(0, 80))}…`);
      }
    };

    // Warm-ups, and whether the gateway serves the route at all.
    let gatewayProblem: string | undefined;
    for (let i = 0; i < Math.max(opts.warmup, 1); i++) {
      check(ways[0].label, await streamOnce(direct, opts.model, `warm-up ${i}`));
      if (gatewayProblem) continue;
      try {
        check(ways[1].label, await streamOnce(gateway, opts.model, `warm-up ${i}`));
      } catch (error) {
        gatewayProblem = missingRoute(error);
        if (!gatewayProblem) throw error;
      }
    }
    if (gatewayProblem) console.error(`ERROR: ${gatewayProblem}; measuring (a) only\n`);
    const measured = gatewayProblem ? ways.slice(0, 1) : ways;

    // Measured: one at a time, the order of (a) and (b) swapping every round.
    for (let i = 0; i < opts.requests; i++) {
      for (const way of i % 2 ? [...measured].reverse() : measured) {
        const sample = await streamOnce(way.client, opts.model, `request ${i}`);
        check(way.label, sample);
        way.samples.push(sample);
      }
    }

    const row = (label: string, values: number[]) => {
      const s = sorted(values);
      return `  ${label.padEnd(50)} ${ms(percentile(s, 50)).padStart(9)} ${ms(percentile(s, 95)).padStart(9)} ${ms(s[s.length - 1]).padStart(9)}`;
    };
    console.log(`${opts.requests} streamed completions each way, sequential:`);
    console.log(`  ${''.padEnd(50)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'max'.padStart(9)}`);
    for (const way of measured)
      console.log(
        row(
          `${way.label}: time to first token`,
          way.samples.map((s) => s.ttft),
        ),
      );
    for (const way of measured)
      console.log(
        row(
          `${way.label}: first → last token`,
          way.samples.map((s) => s.streaming),
        ),
      );
    for (const way of measured) console.log(`  ${way.label}: ${rate(way.samples).toFixed(0)} streamed tokens/s`);
    if (wrong.length) console.log(`\nWRONG streams: ${wrong.length} (first: ${wrong[0]})`);

    if (gatewayProblem) {
      console.log(`\ngoals not evaluated: ${gatewayProblem}`);
      return 1;
    }
    const [a, b] = ways;
    const p95 = (samples: Sample[]) => percentile(sorted(samples.map((s) => s.ttft)), 95);
    const overhead = p95(b.samples) - p95(a.samples);
    const pairedOverhead = percentile(sorted(b.samples.map((s, i) => s.ttft - a.samples[i].ttft)), 95);
    const ratio = rate(b.samples) / rate(a.samples);
    const overheadMet = overhead <= OVERHEAD_P95_GOAL_MS;
    const ratioMet = ratio >= RATE_RATIO_GOAL;
    console.log(`\ntime to first token, p95 (b) − p95 (a): ${ms(overhead)} (p95 of the per-round differences: ${ms(pairedOverhead)})`);
    console.log(`streamed tokens/s, (b) / (a): ${ratio.toFixed(2)}`);
    console.log(`overhead goal ≤ ${OVERHEAD_P95_GOAL_MS} ms: ${overheadMet ? 'met' : `NOT met (${ms(overhead)})`}`);
    console.log(`tokens/s ratio goal ≥ ${RATE_RATIO_GOAL}: ${ratioMet ? 'met' : `NOT met (${ratio.toFixed(2)})`}`);
    if (wrong.length) return 1;
    return overheadMet && ratioMet ? 0 : 2;
  } finally {
    await product.close();
    await standIn.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
