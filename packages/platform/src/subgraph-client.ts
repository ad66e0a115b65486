import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { IDENTITY_HEADER } from './identity.js';
import type { SubgraphServer } from './subgraph-server.js';

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
 * HTTP and graphql-ws. Every call carries an identity the gateway's secret signed.
 */
export interface SubgraphClient {
  readonly name: string;
  execute(request: SubgraphRequest, identityToken: string): Promise<SubgraphResponse>;
  /** A subscription's results until the caller stops iterating (`return()`), or an error. */
  subscribe(request: SubgraphRequest, identityToken: string): AsyncIterable<SubgraphResponse>;
  healthy(): Promise<boolean>;
}

export class InProcessSubgraphClient implements SubgraphClient {
  readonly name: string;
  constructor(private readonly server: SubgraphServer) {
    this.name = server.name;
  }

  async execute(request: SubgraphRequest, identityToken: string): Promise<SubgraphResponse> {
    const response = await this.server.execute(request, identityToken);
    if (response.body.kind !== 'single') throw new Error(`subgraph ${this.name} answered with an incremental result`);
    const { data, errors, extensions } = response.body.singleResult;
    return { data: data as SubgraphResponse['data'], errors, extensions };
  }

  async *subscribe(request: SubgraphRequest, identityToken: string): AsyncIterable<SubgraphResponse> {
    const result = await this.server.subscribe(request, identityToken);
    if (!(Symbol.asyncIterator in result)) {
      yield toResponse(result);
      return;
    }
    for await (const next of result) yield toResponse(next);
  }

  healthy(): Promise<boolean> {
    return this.server.databaseReachable();
  }
}

function toResponse(result: ExecutionResult): SubgraphResponse {
  return { data: result.data, errors: result.errors?.map((e) => e.toJSON()), extensions: result.extensions };
}

export class HttpSubgraphClient implements SubgraphClient {
  constructor(readonly name: string, private readonly url: string, private readonly timeoutMs = 30_000) {}

  async execute(request: SubgraphRequest, identityToken: string): Promise<SubgraphResponse> {
    const { query, variables, operationName } = request;
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', [IDENTITY_HEADER]: identityToken },
      body: JSON.stringify({ query, variables, operationName }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = (await response.json().catch(() => undefined)) as SubgraphResponse | undefined;
    if (!body || (!body.data && !body.errors)) throw new Error(`subgraph ${this.name} answered HTTP ${response.status} without a GraphQL body`);
    return body;
  }

  /** One graphql-ws connection per subscription, closed with it; the identity rides in connection_init. */
  async *subscribe(request: SubgraphRequest, identityToken: string): AsyncIterable<SubgraphResponse> {
    const client = createClient({
      url: this.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { [IDENTITY_HEADER]: identityToken },
      lazy: true,
      retryAttempts: 0,
      keepAlive: 10_000,
    });
    try {
      for await (const next of client.iterate({ query: request.query, variables: request.variables, operationName: request.operationName })) {
        yield next as SubgraphResponse;
      }
    } finally {
      await client.dispose();
    }
  }

  async healthy(): Promise<boolean> {
    try {
      const response = await fetch(new URL('/health', this.url), { signal: AbortSignal.timeout(3_000) });
      return response.ok;
    } catch {
      return false;
    }
  }
}
