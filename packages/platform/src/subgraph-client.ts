import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { IDENTITY_HEADER, type Identity, type IdentitySigner } from './identity.js';
import type { SubgraphServer } from './subgraph-server.js';
import { currentRequest, REQUEST_ID_HEADER } from './logging.js';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, SUBGRAPH_ATTRIBUTE, traceHeaders } from './tracing.js';

export interface SubgraphRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/**
 * How one subgraph is reached (by the gateway, or by another subgraph): in the same process, or over
 * HTTP and graphql-ws. Every call carries `as`, signed with the gateway's secret for this subgraph and
 * this one request.
 */
export interface SubgraphClient {
  readonly name: string;
  execute(request: SubgraphRequest, as: Identity): Promise<SubgraphResponse>;
  /** A subscription's results until the caller stops iterating (`return()`), or an error. */
  subscribe(request: SubgraphRequest, as: Identity): AsyncIterable<SubgraphResponse>;
  healthy(): Promise<boolean>;
}

export class InProcessSubgraphClient implements SubgraphClient {
  readonly name: string;
  constructor(
    private readonly server: SubgraphServer,
    private readonly signer: IdentitySigner,
  ) {
    this.name = server.name;
  }

  /** Traced as `subgraph <name>`, the subgraph's work (resolvers, SQL) under it: the same context, no hop. */
  execute(request: SubgraphRequest, as: Identity): Promise<SubgraphResponse> {
    return inSpan(`subgraph ${this.name}`, { attributes: { [SUBGRAPH_ATTRIBUTE]: this.name } }, async () => {
      const response = await this.server.execute(request, this.signer.sign(as, this.name, request));
      if (response.body.kind !== 'single') throw new Error(`subgraph ${this.name} answered with an incremental result`);
      const { data, errors, extensions } = response.body.singleResult;
      return { data, errors, extensions };
    });
  }

  subscribe(request: SubgraphRequest, as: Identity): AsyncIterable<SubgraphResponse> {
    return {
      [Symbol.asyncIterator]: () => stopAtOnce(this.server.subscribe(request, this.signer.sign(as, this.name, request)), toResponse),
    };
  }

  healthy(): Promise<boolean> {
    return this.server.databaseReachable();
  }
}

/**
 * graphql-ws throws the errors of an operation the subgraph refused (an array of formatted errors); the
 * in-process client answers such a refusal as one result with `errors`. So does this, then ends, so a caller
 * reads a subgraph's refusal, with its code, the same way over either client.
 */
function refusalAsResult(iterator: AsyncIterator<unknown>): AsyncIterator<unknown> {
  let refused = false;
  return {
    async next() {
      if (refused) return { value: undefined, done: true };
      try {
        return await iterator.next();
      } catch (error) {
        if (!Array.isArray(error)) throw error;
        refused = true;
        return { value: { errors: error as unknown[] }, done: false };
      }
    },
    return: async () => (await iterator.return?.()) ?? { value: undefined, done: true },
  };
}

function toResponse(result: ExecutionResult): SubgraphResponse {
  return { data: result.data, errors: result.errors?.map((e) => e.toJSON()), extensions: result.extensions };
}

/**
 * A subscription's results as an iterator whose `return()` ends it at once. An `async function*` would
 * not: its `return()` waits until the event it is awaiting arrives, which keeps the subgraph's listener
 * (or socket) alive for as long as the topic stays quiet.
 */
function stopAtOnce<T, R>(
  started: Promise<AsyncIterator<T> | T>,
  map: (item: T) => R,
  onEnd?: () => Promise<void> | void,
): AsyncIterator<R> {
  // Awaited by next(); until then, a refusal must not count as an unhandled rejection.
  started.catch(() => undefined);
  let finished = false;
  const isStream = (value: AsyncIterator<T> | T): value is AsyncIterator<T> =>
    typeof value === 'object' && value !== null && typeof (value as AsyncIterator<T>).next === 'function';
  const finish = async (): Promise<IteratorResult<R>> => {
    if (!finished) {
      finished = true;
      const source = await started.catch(() => undefined);
      if (source !== undefined && isStream(source)) await source.return?.().catch(() => undefined);
      await onEnd?.();
    }
    return { value: undefined, done: true };
  };
  let single = false;
  return {
    async next() {
      if (finished) return { value: undefined, done: true };
      let source: AsyncIterator<T> | T;
      try {
        source = await started;
      } catch (error) {
        await finish();
        throw error;
      }
      if (!isStream(source)) {
        // Refused before it started (e.g. validation errors): one result, then the end.
        if (single) return finish();
        single = true;
        return { value: map(source), done: false };
      }
      try {
        const next = await source.next();
        if (next.done || finished) return finish();
        return { value: map(next.value), done: false };
      } catch (error) {
        await finish();
        throw error;
      }
    },
    return: finish,
  };
}

export class HttpSubgraphClient implements SubgraphClient {
  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly signer: IdentitySigner,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Traced as `subgraph <name>` (a client span); the subgraph continues the trace from its `traceparent`. */
  execute(request: SubgraphRequest, as: Identity): Promise<SubgraphResponse> {
    const target = new URL(this.url);
    const attributes = {
      [SUBGRAPH_ATTRIBUTE]: this.name,
      'http.request.method': 'POST',
      'server.address': target.hostname,
      'server.port': Number(target.port) || (target.protocol === 'https:' ? 443 : 80),
      'url.path': target.pathname,
    };
    return inSpan(`subgraph ${this.name}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const { query, variables, operationName } = request;
      const requestId = currentRequest()?.requestId;
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          [IDENTITY_HEADER]: this.signer.sign(as, this.name, request),
          // The subgraph's log lines carry the id of the request that made this call, and its spans join this trace.
          ...(requestId && { [REQUEST_ID_HEADER]: requestId }),
          ...traceHeaders(),
        },
        body: JSON.stringify({ query, variables, operationName }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      span?.setAttribute('http.response.status_code', response.status);
      const body = (await response.json().catch(() => undefined)) as SubgraphResponse | undefined;
      if (!body || (!body.data && !body.errors))
        throw new Error(`subgraph ${this.name} answered HTTP ${response.status} without a GraphQL body`);
      return body;
    });
  }

  /**
   * One graphql-ws connection per subscription, closed with it. The identity rides in connection_init,
   * signed for this one subscription: the subgraph accepts it once, so it opens no other connection.
   */
  subscribe(request: SubgraphRequest, as: Identity): AsyncIterable<SubgraphResponse> {
    return {
      [Symbol.asyncIterator]: () => {
        const client = createClient({
          url: this.url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: () => ({ [IDENTITY_HEADER]: this.signer.sign(as, this.name, request) }),
          lazy: true,
          retryAttempts: 0,
          keepAlive: 10_000,
        });
        const iterator = client.iterate({ query: request.query, variables: request.variables, operationName: request.operationName });
        return stopAtOnce(
          Promise.resolve(refusalAsResult(iterator)),
          (next) => next as SubgraphResponse,
          () => client.dispose(),
        );
      },
    };
  }

  async healthy(): Promise<boolean> {
    try {
      // Ready: its database answers and it is not shutting down.
      const response = await fetch(new URL('/readyz', this.url), { signal: AbortSignal.timeout(3_000) });
      return response.ok;
    } catch {
      return false;
    }
  }
}
