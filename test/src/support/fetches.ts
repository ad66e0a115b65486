import { metrics, Role, type Identity, type SubgraphClient, type SubgraphRequest, type SubgraphResponse } from '@salesgraph/platform';

/** A subgraph transport whose answers the test releases, recording who asked what. */
export class HeldSubgraph implements SubgraphClient {
  readonly name = 'held';
  readonly asked: { request: SubgraphRequest; as: Identity; answer: (response: SubgraphResponse) => void }[] = [];
  execute(request: SubgraphRequest, as: Identity): Promise<SubgraphResponse> {
    return new Promise((answer) => this.asked.push({ request, as, answer }));
  }
  subscribe(): AsyncIterable<SubgraphResponse> {
    throw new Error('not used');
  }
  healthy(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

/** A manager (an organization-wide role) of `organizationId`, signed in with a session of their own. */
export const managerIdentity = (organizationId: string, userId: number): Identity => ({
  kind: 'user',
  organizationId,
  userId,
  role: Role.MANAGER,
  sessionId: `s${userId}`,
});

/**
 * The gateway's fetches from `subgraph` so far with `outcome` (`ok`; `shared`: answered by an identical fetch under
 * way; `cached`: answered from its entity cache), as its metrics count them.
 */
export async function subgraphFetches(subgraph: string, outcome: string): Promise<number> {
  const { values } = await metrics.subgraphFetch.get();
  return values
    .filter(
      (v) => v.metricName === 'subgraph_fetch_duration_seconds_count' && v.labels.subgraph === subgraph && v.labels.outcome === outcome,
    )
    .reduce((sum, v) => sum + v.value, 0);
}
