import type { Identity } from '@salesgraph/platform';

/** The gateway's per-request context: who is calling (each subgraph fetch signs it for that fetch). */
export interface GatewayContext {
  identity: Identity;
}

export function gatewayContext(identity: Identity): GatewayContext {
  return { identity };
}
