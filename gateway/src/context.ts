import type { Identity, IdentitySigner } from '@salesgraph/platform';

/** The gateway's per-request context: who is calling, and that identity signed for the subgraphs. */
export interface GatewayContext {
  identity: Identity;
  /** Signed lazily and once per request, whatever number of subgraph fetches the plan makes. */
  signedIdentity(): Promise<string>;
}

export function gatewayContext(identity: Identity, signer: IdentitySigner): GatewayContext {
  let signed: Promise<string> | undefined;
  return { identity, signedIdentity: () => (signed ??= signer.sign(identity)) };
}
