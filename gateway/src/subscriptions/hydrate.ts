import type { ApolloServer } from '@apollo/server';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Identity, SubgraphResponse } from '@salesgraph/platform';
import { viewOf } from '../views.js';
import { gatewayContext, type GatewayContext } from '../context.js';
import type { SubscriptionPlan } from './plan.js';

/** Codes meaning "this subscriber may not see that", which skip the event instead of reporting it. */
const INVISIBLE = new Set(['NOT_FOUND', 'FORBIDDEN']);

export interface HydrateDeps {
  apollo: ApolloServer<GatewayContext>;
  /** Hydrations under way, shared by subscribers who would run the very same one. */
  inFlight?: Map<string, Promise<ExecutionResult | null>>;
}

/**
 * One event reaches every subscriber at once; those with the same identity, query and variables would
 * all read the same thing, so they share one hydration while it runs (a widget on 50 screens of one user,
 * or one service key feeding many dashboards, costs one read per event, not 50).
 */
function shared(deps: HydrateDeps, key: string, run: () => Promise<ExecutionResult | null>): Promise<ExecutionResult | null> {
  const { inFlight } = deps;
  if (!inFlight) return run();
  let pending = inFlight.get(key);
  if (!pending) {
    pending = run().finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

/**
 * Turns one upstream event into what the client asked for, through the gateway's normal pipeline (query
 * planning across subgraphs, auth, armor): the entity lookup or the list query, as this subscriber.
 * Null when the subscriber can't see the event's object: the event is skipped.
 */
export async function hydrate(
  deps: HydrateDeps,
  plan: SubscriptionPlan,
  identity: Identity,
  event: SubgraphResponse,
): Promise<ExecutionResult | null> {
  const { hydration, responseKey } = plan;
  if (event.errors?.length) return { data: null, errors: event.errors.map(toGraphQLError) };
  const value = event.data?.[plan.fieldName];
  if (hydration.kind === 'value') return { data: { [responseKey]: value } };
  if (value === null || value === undefined) return null;

  const variables = { ...hydration.variables };
  if (hydration.kind === 'entity') {
    const key = (value as Record<string, unknown>)[hydration.keyField];
    if (key === null || key === undefined) return null;
    variables[hydration.keyVariable] = key;
  }
  const key = `${viewOf(identity).key}\n${hydration.query}\n${JSON.stringify(variables)}`;
  const request = { query: hydration.query, variables, operationName: hydration.operationName };
  return shared(deps, key, () => run(deps, request, identity, responseKey));
}

async function run(
  { apollo }: HydrateDeps,
  request: { query: string; variables: Record<string, unknown>; operationName?: string },
  identity: Identity,
  responseKey: string,
): Promise<ExecutionResult | null> {
  const response = await apollo.executeOperation(request, { contextValue: gatewayContext(identity) });
  if (response.body.kind !== 'single') return { data: null, errors: [new GraphQLError('Hydration answered with an incremental result')] };
  const { data, errors } = response.body.singleResult;
  const hydrated = data?.[responseKey];
  if (hydrated === null || hydrated === undefined) {
    if (!errors?.length || errors.every((e) => INVISIBLE.has(String(e.extensions?.code)))) return null;
    return { data: null, errors: errors.map(toGraphQLError) };
  }
  return { data: { [responseKey]: hydrated }, ...(errors?.length && { errors: errors.map(toGraphQLError) }) };
}

/** graphql-ws serializes errors with `toJSON()`, so formatted errors become GraphQLErrors again. */
function toGraphQLError(error: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(error.message, { path: error.path, extensions: error.extensions });
}
