import type { Identity, SubgraphClient, SubgraphRequest, SubgraphResponse } from '@salesgraph/platform';

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
