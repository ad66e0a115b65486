import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One load run: what to send, for how long, and what every good answer contains. */
export interface LoadRequest {
  label: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Bearer tokens taken in turn, one per request (several callers without several generators). */
  tokens?: string[];
  /** Sign the gateway identity afresh per request (a signed identity is good for one request), in the generator's process. */
  signIdentity?: { secret: string; audience: string; identity: Record<string, unknown> };
  /** A substring every good answer has; an answer without it, or with GraphQL `errors`, is a failure. */
  expect: string;
  duration: number;
  connections: number;
}

export interface LoadResult {
  label: string;
  requests: number;
  durationSeconds: number;
  rps: number;
  /** Latencies in ms, from every response's time. */
  p50: number;
  p95: number;
  p99: number;
  /** Non-2xx answers, socket errors, timeouts and answers that failed `expect`, together. */
  failures: number;
  /** `failures` by kind (`mismatches`: answers that failed `expect` or carried GraphQL `errors`). */
  failuresByKind: { non2xx: number; errors: number; timeouts: number; mismatches: number };
  statusCodes: Record<string, number>;
  sampleBadBody?: string;
}

/**
 * autocannon in a forked child process, so the load does not share the measured servers' event loop (nor,
 * in-process, their CPU accounting): `run()` one request description at a time, `close()` at the end.
 */
export class LoadGenerator {
  private readonly child: ChildProcess = fork(fileURLToPath(new URL('./load-child.js', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  run(request: LoadRequest): Promise<LoadResult> {
    return new Promise((resolvePromise, reject) => {
      const onMessage = (message: { result?: LoadResult; error?: string }) => {
        this.child.off('exit', onExit);
        if (message.result) resolvePromise(message.result);
        else reject(new Error(`load generator: ${message.error}`));
      };
      // Should the child die mid-run (an exception in a request's setup, say), fail rather than wait forever.
      const onExit = (code: number | null) => {
        this.child.off('message', onMessage);
        reject(new Error(`load generator exited (${code})`));
      };
      this.child.once('message', onMessage);
      this.child.once('exit', onExit);
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

/** `--name=value` or `BENCH_NAME`, a positive number (a whole one with `integer`), else `fallback`. */
export function numericOption(argv: string[], name: string, fallback: number, { integer = false } = {}): number {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  const value = hit ? hit.slice(hit.indexOf('=') + 1) : process.env[`BENCH_${name.toUpperCase()}`];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (integer ? !Number.isInteger(n) || n <= 0 : !Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  return n;
}

/** The options every load bench takes: seconds per run, rounds, warm-up seconds and connections. */
export function loadOptions(
  argv: string[],
  defaults: { warmup: number },
): { duration: number; rounds: number; warmup: number; connections: number } {
  return {
    duration: numericOption(argv, 'duration', 5),
    rounds: Math.round(numericOption(argv, 'rounds', 3)),
    warmup: numericOption(argv, 'warmup', defaults.warmup),
    connections: Math.round(numericOption(argv, 'connections', 10)),
  };
}

/** Prints the runs in which requests failed and that the figures do not stand; whether there were any. */
export function reportFailures(results: LoadResult[], what: string): boolean {
  const bad = results.filter((r) => r.failures > 0);
  for (const r of bad) console.log(`  ${r.label}: ${r.failures} failures${r.sampleBadBody ? `, e.g. ${r.sampleBadBody}` : ''}`);
  if (bad.length) console.log(`RESULT INVALID: some requests failed, the figures above do not measure ${what}`);
  return bad.length > 0;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
