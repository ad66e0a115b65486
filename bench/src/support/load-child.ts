/** The load generator's process (see load.ts): runs autocannon for each request description it is sent. */
import { createRequire } from 'node:module';
import type { LoadRequest, LoadResult } from './load.js';

interface AutocannonResult {
  requests: { total: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  statusCodeStats?: Record<string, { count: number }>;
}
type Autocannon = (
  opts: Record<string, unknown>,
  cb: (error: Error | null, result: AutocannonResult) => void,
) => { on(event: string, fn: (...args: unknown[]) => void): void };

// autocannon is CommonJS without type declarations; typed by hand above.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

async function run(message: LoadRequest): Promise<LoadResult> {
  const { IdentitySigner, IDENTITY_HEADER } = await import('@salesgraph/platform');
  const signing = message.signIdentity;
  const signer = signing && new IdentitySigner(signing.secret);
  const bound = signing && (JSON.parse(message.body ?? '{}') as { query: string; variables?: Record<string, unknown> });
  const tokens = message.tokens ?? [];
  let next = 0;
  let sampleBadBody: string | undefined;
  const latencies: number[] = [];
  return new Promise((resolvePromise, reject) => {
    const instance = autocannon(
      {
        url: message.url,
        method: message.method ?? 'POST',
        headers: message.headers ?? {},
        ...(message.body !== undefined && { body: message.body }),
        ...((signer || tokens.length > 0) && {
          requests: [
            {
              // Per request: the next caller's token, and a freshly signed identity (its cost is the generator's).
              setupRequest: (request: { headers: Record<string, string> }) => ({
                ...request,
                headers: {
                  ...request.headers,
                  ...(tokens.length > 0 && { authorization: `Bearer ${tokens[next++ % tokens.length]}` }),
                  ...(signer && { [IDENTITY_HEADER]: signer.sign(signing.identity as never, signing.audience, bound!) }),
                },
              }),
            },
          ],
        }),
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
        if (error) return reject(error);
        const sorted = latencies.sort((a, b) => a - b);
        resolvePromise({
          label: message.label,
          requests: r.requests.total,
          durationSeconds: r.duration,
          rps: r.requests.total / r.duration,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          failures: r.non2xx + r.errors + r.timeouts + r.mismatches,
          failuresByKind: { non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, mismatches: r.mismatches },
          statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, { count }]) => [code, count])),
          sampleBadBody,
        });
      },
    );
    // (client, statusCode, bytes, responseTime in ms)
    instance.on('response', (...args: unknown[]) => latencies.push(args[3] as number));
    instance.on('error', () => undefined);
  });
}

process.on('message', (message: LoadRequest) => {
  run(message).then(
    (result) => process.send!({ result }),
    (error: Error) => process.send!({ error: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
