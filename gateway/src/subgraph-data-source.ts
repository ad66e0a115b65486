import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { AppError, ErrorCode, log, metrics, type Identity, type SubgraphClient } from '@salesgraph/platform';
import type { GatewayContext } from './context.js';

/** What a client is told to wait before retrying when a subgraph is down (a restarted one is back within seconds). */
export const SUBGRAPH_RETRY_AFTER_SECONDS = 2;
const fetchLog = log.child({ component: 'query-plan' });

/** Sends the query planner's fetches to a subgraph as the caller (the client signs the identity per fetch). */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(private readonly client: SubgraphClient) {}

  async process({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const identity = 'identity' in context ? (context.identity as Identity | undefined) : undefined;
    if (!identity) throw new Error(`no identity to send to subgraph ${this.client.name}`);
    const { query, variables, operationName } = request;
    if (!query) throw new Error('the query planner sent no query');
    const timer = metrics.subgraphFetch.startTimer({ subgraph: this.client.name });
    try {
      const response = await this.client.execute({ query, variables, operationName }, identity);
      timer({ outcome: response.errors?.length ? 'errors' : 'ok' });
      return response;
    } catch (error) {
      timer({ outcome: 'unavailable' });
      // Unreachable or timed out: say which, retryably, instead of an internal error; the fields the other
      // subgraphs resolved still come.
      fetchLog.error({ subgraph: this.client.name, reason: (error as Error).message }, 'subgraph unreachable');
      throw new AppError(ErrorCode.SubgraphUnavailable, `The ${this.client.name} service is unavailable, try again`, {
        subgraph: this.client.name,
        retryAfter: SUBGRAPH_RETRY_AFTER_SECONDS,
      });
    }
  }
}
