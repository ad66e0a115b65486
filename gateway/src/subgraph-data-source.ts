import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  AppError,
  ErrorCode,
  log,
  metrics,
  ORGANIZATION_WIDE,
  PERSONAL_EXTENSION,
  type Identity,
  type SubgraphClient,
  type SubgraphRequest,
} from '@salesgraph/platform';
import type { GatewayContext } from './context.js';

/** What a client is told to wait before retrying when a subgraph is down (a restarted one is back within seconds). */
export const SUBGRAPH_RETRY_AFTER_SECONDS = 2;
const fetchLog = log.child({ component: 'query-plan' });

/** A fetch under way and whether anyone else is waiting for its answer. */
interface InFlight {
  response: Promise<GatewayGraphQLResponse>;
  /** Whether the answer may go to any caller of the key's view, or only to the very same identity. */
  view: 'shared' | 'exact';
  joined: number;
}

/**
 * Sends the query planner's fetches to a subgraph as the caller (the client signs the identity per fetch).
 *
 * Identical queries under way at once are sent once ("many agents refreshing the same queue cost one fetch"):
 * callers join a fetch with the same query and variables made for the same view — the very same identity, or,
 * for organization-wide roles, the same organization and role (they read the same rows). A subgraph marks an
 * answer that depended on who exactly the caller is (`extensions.callerSpecific`); such an answer goes only to
 * the caller it was made for, and the others who joined send their own fetch. Mutations are never joined.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(private readonly client: SubgraphClient) {}

  async process({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const identity = 'identity' in context ? (context.identity as Identity | undefined) : undefined;
    if (!identity) throw new Error(`no identity to send to subgraph ${this.client.name}`);
    const { query, variables, operationName } = request;
    if (!query) throw new Error('the query planner sent no query');
    const fetch: SubgraphRequest = { query, variables, operationName };
    if (!READ.test(query)) return this.send(fetch, identity);

    const { key, view } = viewKey(identity, fetch);
    const running = this.inFlight.get(key);
    if (running) {
      running.joined++;
      // Unavailable for them is unavailable for this caller too (the same error).
      const response = await running.response;
      if (running.view === 'exact' || !response.extensions?.[PERSONAL_EXTENSION]) {
        metrics.subgraphFetch.observe({ subgraph: this.client.name, outcome: 'shared' }, 0);
        return structuredClone(response);
      }
      // Its answer was the other caller's own: ask for this one.
      return this.send(fetch, identity);
    }
    const entry: InFlight = { response: this.send(fetch, identity), view, joined: 0 };
    this.inFlight.set(key, entry);
    try {
      const response = await entry.response;
      // Others hold the same object: the query plan's result shaping must not see their changes, nor they its.
      return entry.joined > 0 ? structuredClone(response) : response;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async send(request: SubgraphRequest, identity: Identity): Promise<GatewayGraphQLResponse> {
    const timer = metrics.subgraphFetch.startTimer({ subgraph: this.client.name });
    try {
      const response = await this.client.execute(request, identity);
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

/** A query (the planner writes `query …` or a bare selection set), not a mutation. */
const READ = /^\s*(query\b|\{)/;

/**
 * The key of a fetch: its view, query and variables. Organization-wide roles (admin, analyst, manager) read the
 * same rows, so they share a view whose answers are checked for `callerSpecific`; anyone else shares only with
 * the very same identity (user, key, session and address), where any answer fits.
 */
function viewKey(identity: Identity, { query, variables, operationName }: SubgraphRequest): { key: string; view: InFlight['view'] } {
  const shared = identity.kind !== 'anonymous' && identity.role !== undefined && ORGANIZATION_WIDE.includes(identity.role);
  const who = shared
    ? ['view', identity.kind, identity.organizationId, identity.role]
    : ['exact', identity.kind, identity.organizationId, identity.role, identity.userId, identity.apiKeyId, identity.sessionId, identity.ip];
  return {
    key: `${who.join(':')}\n${operationName ?? ''}\n${query}\n${JSON.stringify(variables ?? {})}`,
    view: shared ? 'shared' : 'exact',
  };
}
