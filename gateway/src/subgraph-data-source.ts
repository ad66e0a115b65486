import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  AppError,
  ErrorCode,
  log,
  metrics,
  PERSONAL_EXTENSION,
  type Identity,
  type SubgraphClient,
  type SubgraphRequest,
} from '@salesgraph/platform';
import type { GatewayContext } from './context.js';
import type { EntityCache } from './entity-cache.js';
import { viewOf } from './views.js';

/** What a client is told to wait before retrying when a subgraph is down (a restarted one is back within seconds). */
export const SUBGRAPH_RETRY_AFTER_SECONDS = 2;
const fetchLog = log.child({ component: 'query-plan' });

/** A fetch under way and whether anyone else is waiting for its answer. */
interface InFlight {
  response: Promise<GatewayGraphQLResponse>;
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

  constructor(
    private readonly client: SubgraphClient,
    /** Entities kept between requests, for subgraphs that announce their changes. */
    private readonly entities?: EntityCache,
  ) {}

  async process({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const identity = 'identity' in context ? (context.identity as Identity | undefined) : undefined;
    if (!identity) throw new Error(`no identity to send to subgraph ${this.client.name}`);
    const { query, variables, operationName } = request;
    if (!query) throw new Error('the query planner sent no query');
    const fetch: SubgraphRequest = { query, variables, operationName };
    if (!READ.test(query)) return this.write(fetch, identity);
    if (this.entities?.applies(query) && Array.isArray(variables?.representations))
      return this.fromEntityCache(fetch, identity, this.entities);
    return this.shared(fetch, identity);
  }

  /** A mutation: never joined, and the kept entities it may change are dropped before and after it. */
  private async write(fetch: SubgraphRequest, identity: Identity): Promise<GatewayGraphQLResponse> {
    if (!this.entities) return this.send(fetch, identity);
    this.entities.written(identity.organizationId);
    try {
      return await this.send(fetch, identity);
    } finally {
      this.entities.written(identity.organizationId);
    }
  }

  /** A query, joining an identical one of the same view under way, if any. */
  private async shared(fetch: SubgraphRequest, identity: Identity, view = viewOf(identity)): Promise<GatewayGraphQLResponse> {
    const key = `${view.key}\n${fetch.operationName ?? ''}\n${fetch.query}\n${JSON.stringify(fetch.variables ?? {})}`;
    const running = this.inFlight.get(key);
    if (running) {
      running.joined++;
      // Unavailable for them is unavailable for this caller too (the same error).
      const response = await running.response;
      if (!view.shared || !response.extensions?.[PERSONAL_EXTENSION]) {
        metrics.subgraphFetch.observe({ subgraph: this.client.name, outcome: 'shared' }, 0);
        return structuredClone(response);
      }
      // Its answer was the other caller's own: ask for this one.
      return this.send(fetch, identity);
    }
    const entry: InFlight = { response: this.send(fetch, identity), joined: 0 };
    this.inFlight.set(key, entry);
    try {
      const response = await entry.response;
      // Others hold the same object: the query plan's result shaping must not see their changes, nor they its.
      return entry.joined > 0 ? structuredClone(response) : response;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * An `_entities` fetch of kept fields: the entities this view read before come from the cache, the others in
   * one fetch of just those (joined like any query), which are kept for next time.
   */
  private async fromEntityCache(fetch: SubgraphRequest, identity: Identity, cache: EntityCache): Promise<GatewayGraphQLResponse> {
    const { representations, ...others } = fetch.variables as { representations: Record<string, unknown>[] };
    const view = viewOf(identity);
    // The planner names its fetches after the client's operation: the same selection is the same entity.
    const prefix = `${view.key}\n${fetch.query.replace(OPERATION_NAME, 'query')}\n${JSON.stringify(others)}\n`;
    const since = cache.mark();
    const entities: unknown[] = new Array(representations.length);
    const missing: number[] = [];
    representations.forEach((representation, at) => {
      const kept = cache.get(prefix + JSON.stringify(representation));
      if (kept) entities[at] = kept.value;
      else missing.push(at);
    });
    if (missing.length === 0) {
      metrics.subgraphFetch.observe({ subgraph: this.client.name, outcome: 'cached' }, 0);
      return { data: { _entities: entities } };
    }
    const partial = missing.length < representations.length;
    const asked = partial ? { ...fetch, variables: { ...others, representations: missing.map((at) => representations[at]) } } : fetch;
    const response = await this.shared(asked, identity, view);
    const fetched = response.data?._entities as unknown;
    if (response.errors?.length || !Array.isArray(fetched) || fetched.length !== missing.length) {
      // Errors' paths count the fetch's own representations: ask for all of them, as the plan did.
      return partial ? this.shared(fetch, identity, view) : response;
    }
    const keep = !view.shared || !response.extensions?.[PERSONAL_EXTENSION];
    missing.forEach((at, k) => {
      entities[at] = fetched[k];
      const { __typename: type, id } = representations[at];
      if (keep && typeof type === 'string' && (typeof id === 'string' || typeof id === 'number'))
        cache.put(prefix + JSON.stringify(representations[at]), `${type}:${String(id)}`, identity.organizationId, fetched[k], since);
    });
    return partial ? { ...response, data: { ...response.data, _entities: entities } } : response;
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

/** The planner's operation name in a fetch's query (`query Leads__identity__1(…)`). */
const OPERATION_NAME = /^\s*query\s+[_A-Za-z][_0-9A-Za-z]*/;
