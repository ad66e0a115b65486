import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { prettyFactory } from 'pino-pretty';

/** What every log line written while serving one request says about it (the line's own fields come beside). */
export interface RequestScope {
  /** The caller's `X-Request-Id` when sane, else one made here; the same in the gateway's and subgraphs' lines. */
  requestId: string;
  /** The GraphQL operation (or the REST route's operation), once known. */
  operationName?: string;
  organizationId?: string;
  userId?: number;
  /** The OpenTelemetry trace serving it, when traced: lines written outside its spans still join it. */
  traceId?: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** The request whose work is running now, if any. */
export function currentRequest(): RequestScope | undefined {
  return scopes.getStore();
}

/** Runs `work` as part of the request `scope`: log lines written meanwhile, and subgraph calls, carry its id. */
export function inRequest<T>(scope: RequestScope, work: () => T): T {
  return scopes.run(scope, work);
}

/** The header a request id travels in, from clients, to subgraphs and back in every answer. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * An incoming request id if it is one (at most 128 letters, digits and `-_.:`, as proxies and tracing tools
 * make them), else a new UUID: anything else could forge or break log lines.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * Fields never written, whatever a log call is given: credentials and secrets under any of these names, at the top
 * or one level down (`*.password`), and request headers that carry them.
 */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'secret',
  'secretKey',
  'x-api-key',
  'set-cookie',
];
const REDACTED = SECRET_FIELDS.flatMap((field) => (/^\w+$/.test(field) ? [field, `*.${field}`] : [`["${field}"]`, `*["${field}"]`]));

function spanIds(): { traceId: string; spanId: string } | undefined {
  const ids = trace.getActiveSpan()?.spanContext();
  return ids && isSpanContextValid(ids) ? { traceId: ids.traceId, spanId: ids.spanId } : undefined;
}

/** Where log lines go: standard output unless told otherwise (`logTo`). */
interface LineSink {
  write(line: string): unknown;
}

const output = {
  sink: process.stdout as LineSink,
  format: undefined as ((line: string) => string) | undefined,
  write(line: string) {
    this.sink.write(this.format ? this.format(line) : line);
  },
};

/**
 * The process's logger: one JSON object a line (pino), with the current request's id, operation and caller
 * beside each line's own fields. Modules take children of it (`log.child({ subgraph: 'leads' })`).
 */
export const log: Logger = pino(
  {
    level: 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED, censor: '[redacted]' },
    // The active span's ids join a line to its trace (no span while tracing is off: nothing added).
    mixin: () => ({ ...scopes.getStore(), ...spanIds() }),
  },
  output,
);

export type LogFormat = 'json' | 'pretty';

export interface LoggingSettings {
  level: LevelWithSilent;
  format: LogFormat;
}

/** Applies `LOG_LEVEL` and `LOG_FORMAT` (pretty: one coloured line per entry, for a person at a terminal). */
export function configureLogging({ level, format }: LoggingSettings): void {
  log.level = level;
  output.format = format === 'pretty' ? prettyFactory({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid' }) : undefined;
}

/** Sends log lines to `sink` instead (a file, a collector); returns the one they went to before. */
export function logTo(sink: LineSink): LineSink {
  const previous = output.sink;
  output.sink = sink;
  return previous;
}
