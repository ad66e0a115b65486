import diagnostics from 'node:diagnostics_channel';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-node';
import type { GraphQLSchema } from 'graphql';
import { log } from './logging.js';

/** `OTEL_*` as `loadSettings` read them; there are none (tracing off) without a collector. */
export interface TracingSettings {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`, without a trailing slash: spans go to `<endpoint>/v1/traces` as OTLP/JSON. */
  endpoint: string;
  /** `OTEL_EXPORTER_OTLP_HEADERS`, lower-case names. */
  headers: Record<string, string>;
  /** `OTEL_SERVICE_NAME`; unset, each entry point names its own process. */
  serviceName?: string;
  /** `OTEL_TRACES_SAMPLER`. */
  sampler: 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';
  /** `OTEL_TRACES_SAMPLER_ARG`: the share a ratio sampler records. */
  ratio: number;
  /** `OTEL_BSP_SCHEDULE_DELAY`. */
  scheduleDelayMs: number;
}

/** The process's tracing, once started; `shutdown` exports what is left and turns it off. */
export interface Tracing {
  readonly enabled: boolean;
  /** Exports every span ended so far. */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Spans are made through the OpenTelemetry API alone: until `startTracing` registers the SDK, its tracer is the
 * no-op one, and the helpers below do next to nothing (they look for a sampled span and find none).
 */
export const tracer = trace.getTracer('salesgraph');

/** The attribute naming the subgraph a span is about (the call, its execution, its SQL). */
export const SUBGRAPH_ATTRIBUTE = 'salesgraph.subgraph';

let enabled = false;

/** Whether this process records traces (`startTracing` was called with a collector). */
export function tracingEnabled(): boolean {
  return enabled;
}

function samplerOf({ sampler, ratio }: TracingSettings): Sampler {
  const root = sampler.endsWith('always_on')
    ? new AlwaysOnSampler()
    : sampler.endsWith('always_off')
      ? new AlwaysOffSampler()
      : new TraceIdRatioBasedSampler(ratio);
  return sampler.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/**
 * Registers the SDK when `settings` name a collector: spans are batched and sent over OTLP/HTTP as JSON, context
 * travels through AsyncLocalStorage, and W3C `traceparent`/`tracestate` are read from and written to HTTP headers
 * (no baggage: a client's baggage is not passed on). Call it at the entry point, before serving. Without
 * settings it registers nothing.
 */
export function startTracing(settings: TracingSettings | undefined, serviceName: string): Tracing {
  if (!settings) return { enabled: false, forceFlush: async () => {}, shutdown: async () => {} };
  if (enabled) throw new Error('tracing is already started in this process');
  const tracingLog = log.child({ component: 'tracing' });
  // The SDK reports failed exports through `diag`: a collector that cannot be reached is worth a warning.
  diag.setLogger(
    {
      error: (message) => tracingLog.warn(message),
      warn: (message) => tracingLog.warn(message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName ?? serviceName }),
    sampler: samplerOf(settings),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces`, headers: settings.headers }), {
        scheduledDelayMillis: settings.scheduleDelayMs,
      }),
    ],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const stopFetches = traceOutboundFetches();
  enabled = true;
  return {
    enabled: true,
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      if (!enabled) return;
      enabled = false;
      stopFetches();
      try {
        await provider.shutdown();
      } catch (error) {
        // A collector that is gone must not fail an otherwise clean stop.
        tracingLog.warn({ reason: (error as Error).message }, 'the last spans could not be exported');
      } finally {
        // Back to the API's no-op tracer, context and propagator.
        trace.disable();
        context.disable();
        propagation.disable();
        diag.disable();
      }
    },
  };
}

/** What undici (Node's `fetch`) publishes about a request on its diagnostics channels, as far as read here. */
interface UndiciRequest {
  origin?: string | URL;
  method?: string;
  /** `name: value\r\n` lines, or names and values in turn, as undici's versions have it. */
  headers?: string | (string | string[])[];
}

function carriesTraceparent(headers: UndiciRequest['headers']): boolean {
  if (typeof headers === 'string') return /(^|\r\n)traceparent:/i.test(headers);
  return (headers ?? []).some((item, i) => i % 2 === 0 && typeof item === 'string' && item.toLowerCase() === 'traceparent');
}

/**
 * Outbound `fetch` calls (providers: OpenAI-compatible APIs, WhatsApp, CRMs) as client spans, read from undici's
 * diagnostics channels (no import hooks needed). A span names the method and host only: a path or query may hold
 * a key. No trace context goes out to providers; the subgraph client's calls, which carry one, have their own span.
 */
function traceOutboundFetches(): () => void {
  const spans = new WeakMap<UndiciRequest, Span>();
  const handlers: Record<string, (message: unknown) => void> = {
    'undici:request:create': (message) => {
      const { request } = message as { request: UndiciRequest };
      if (!underSampledSpan() || carriesTraceparent(request.headers) || !request.origin) return;
      const origin = new URL(request.origin);
      const method = request.method ?? 'GET';
      const span = tracer.startSpan(`${method} ${origin.hostname}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method,
          'server.address': origin.hostname,
          'server.port': Number(origin.port) || (origin.protocol === 'https:' ? 443 : 80),
        },
      });
      spans.set(request, span);
    },
    'undici:request:headers': (message) => {
      const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
      const span = spans.get(request);
      span?.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
    },
    'undici:request:trailers': (message) => {
      const { request } = message as { request: UndiciRequest };
      spans.get(request)?.end();
      spans.delete(request);
    },
    'undici:request:error': (message) => {
      const { request, error } = message as { request: UndiciRequest; error: Error };
      const span = spans.get(request);
      // The error's name only: a message may repeat the URL.
      span?.setStatus({ code: SpanStatusCode.ERROR, message: error.name });
      span?.end();
      spans.delete(request);
    },
  };
  for (const [channel, handler] of Object.entries(handlers)) diagnostics.subscribe(channel, handler);
  return () => {
    for (const [channel, handler] of Object.entries(handlers)) diagnostics.unsubscribe(channel, handler);
  };
}

/**
 * Whether a span made now would be recorded: only under a sampled parent, so background work starts no trace. The
 * parent may have ended already (work it started outlives it, as a DataLoader's batch does).
 */
function underSampledSpan(): boolean {
  const parent = trace.getActiveSpan()?.spanContext();
  return parent !== undefined && (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
}

/** The HTTP requests a process serves without a span: probes and scrapes, every few seconds. */
const UNTRACED_PATHS = new Set(['/livez', '/readyz', '/metrics']);

/**
 * The span of one HTTP request this process serves (kind server), continuing the caller's trace when its
 * `traceparent` is valid (an invalid one is ignored: a new trace starts). Undefined when tracing is off, or for
 * probes. Run the request's handlers through `run`; end it with `endServerSpan`.
 */
export function startServerSpan(
  headers: IncomingHttpHeaders,
  method: string,
  path: string,
  attributes: Attributes = {},
): { span: Span; run: <T>(work: () => T) => T } | undefined {
  if (!enabled || UNTRACED_PATHS.has(path)) return undefined;
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path, ...attributes } },
    parent,
  );
  const active = trace.setSpan(parent, span);
  return { span, run: (work) => context.with(active, work) };
}

/** Ends a server span once its answer is sent: named after the route (`POST /graphql`), with its status. */
export function endServerSpan(
  span: Span,
  { method, route, status, attributes = {} }: { method: string; route?: string; status: number; attributes?: Attributes },
): void {
  if (route) span.updateName(`${method} ${route}`);
  span.setAttributes({ ...(route && { 'http.route': route }), 'http.response.status_code': status, ...attributes });
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * Runs `work` in a child span of the active one, ending it when `work` settles (an error marks it failed). Without
 * a sampled span active, `work` runs alone: no span, next to no cost.
 */
export function inSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes }, work: (span?: Span) => T): T {
  if (!underSampledSpan()) return work();
  return tracer.startActiveSpan(name, options, (span) => endWhenSettled(span, work));
}

/**
 * Runs background work (a job's attempt, an event's handler) in a span of its own, kind consumer: a child of the
 * trace that started it when `carrier` holds that trace's context (`traceparent`, as `traceHeaders` gave it), else
 * the root of a new trace, sampled as a new request's would be. Never under whatever span happens to be active
 * where the work is picked up. Without tracing, `work` runs alone.
 */
export function inConsumerSpan<T>(name: string, carrier: Record<string, string> | undefined, attributes: Attributes, work: () => T): T {
  if (!enabled) return work();
  const parent = carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
  return tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, (span) => endWhenSettled(span, work));
}

/** Runs `work` with `span` active and ends the span once `work` is done (a promise settled, an error marks it failed). */
function endWhenSettled<T>(span: Span, work: (span: Span) => T): T {
  const fail = (error: unknown) => {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    span.end();
  };
  let result: T;
  try {
    result = work(span);
  } catch (error) {
    fail(error);
    throw error;
  }
  // A list of promises (`_entities`: one per representation) is done when they all are; it is handed on as it is.
  if (Array.isArray(result) && result.some((item) => item instanceof Promise)) {
    void Promise.allSettled(result).then(() => span.end());
    return result;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        fail(error);
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/** The headers that carry the active trace to another process (`traceparent`, `tracestate`); none when tracing is off. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  if (enabled) propagation.inject(context.active(), headers);
  return headers;
}

/**
 * One SQL statement the ORM ran, as a span ending now (the ORM reports statements once they are done): its text
 * with placeholders, never its parameters' values. Recorded only under a sampled span (a request's).
 */
export function recordStatement({
  schema,
  sql,
  tookMs,
  failed,
  rows,
}: {
  schema: string;
  sql: string;
  tookMs?: number;
  failed: boolean;
  rows?: number;
}): void {
  if (!underSampledSpan()) return;
  const end = Date.now();
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';
  const span = tracer.startSpan(`${verb} ${schema}`, {
    kind: SpanKind.CLIENT,
    startTime: end - (tookMs ?? 0),
    attributes: {
      'db.system': 'postgresql',
      'db.statement': sql,
      'db.operation.name': verb,
      // A subgraph's schema is named after it.
      [SUBGRAPH_ATTRIBUTE]: schema,
      ...(rows !== undefined && { 'db.response.returned_rows': rows }),
    },
  });
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(end);
}

/**
 * Names the operation on the span a subgraph serves it in (the HTTP request's, or `subgraph <name>` in-process):
 * `graphql.operation.name` and `graphql.operation.type`. Never the document's arguments or the variables.
 */
export function traceOperations<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const span = trace.getActiveSpan();
      if (!span?.isRecording()) return;
      return {
        async didResolveOperation({ operation, operationName }) {
          span.setAttributes({
            ...(operationName && { 'graphql.operation.name': operationName }),
            ...(operation && { 'graphql.operation.type': operation.operation }),
          });
        },
      };
    },
  };
}

/**
 * Wraps the resolvers of the root fields (`Query.*`, `Mutation.*`, `_entities` for references) in a span each: where
 * a subgraph's work for a fetch starts, so its SQL hangs under the field that ran it. Nested fields get none (one
 * per field of a page would cost more than it tells). Without a sampled span active, the resolver runs alone.
 */
export function traceRootFields(schema: GraphQLSchema): void {
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const resolve = field.resolve;
      if (!resolve) continue;
      const name = `${root!.name}.${field.name}`;
      const attributes = { 'graphql.field.name': field.name, 'graphql.field.parent_type': root!.name };
      field.resolve = (source, args, contextValue, info) => inSpan(name, { attributes }, () => resolve(source, args, contextValue, info));
    }
  }
}
