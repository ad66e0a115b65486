import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { IDENTITY_HEADER, type SubgraphServer } from '@salesgraph/platform';

/** How the gateway reaches one subgraph: in the same process, or over HTTP. Both carry the signed identity. */
export interface SubgraphClient {
  readonly name: string;
  execute(request: GatewayGraphQLRequest, identityToken: string): Promise<GatewayGraphQLResponse>;
  healthy(): Promise<boolean>;
}

export class InProcessSubgraphClient implements SubgraphClient {
  readonly name: string;
  constructor(private readonly server: SubgraphServer) {
    this.name = server.name;
  }

  async execute(request: GatewayGraphQLRequest, identityToken: string): Promise<GatewayGraphQLResponse> {
    const { query, variables, operationName, extensions } = request;
    const response = await this.server.execute({ query, variables, operationName, extensions }, identityToken);
    if (response.body.kind !== 'single') throw new Error(`subgraph ${this.name} answered with an incremental result`);
    const { data, errors, extensions: ext } = response.body.singleResult;
    return { data: data as GatewayGraphQLResponse['data'], errors, extensions: ext };
  }

  healthy(): Promise<boolean> {
    return this.server.databaseReachable();
  }
}

export class HttpSubgraphClient implements SubgraphClient {
  constructor(readonly name: string, private readonly url: string, private readonly timeoutMs = 30_000) {}

  async execute(request: GatewayGraphQLRequest, identityToken: string): Promise<GatewayGraphQLResponse> {
    const { query, variables, operationName } = request;
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', [IDENTITY_HEADER]: identityToken },
      body: JSON.stringify({ query, variables, operationName }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = (await response.json().catch(() => undefined)) as GatewayGraphQLResponse | undefined;
    if (!body || (!body.data && !body.errors)) throw new Error(`subgraph ${this.name} answered HTTP ${response.status} without a GraphQL body`);
    return body;
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
