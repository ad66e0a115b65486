import type { GraphQLSchema } from 'graphql';
import { assertSubscriptionsHydrate } from './lookups.js';
import { SupergraphIndex } from './supergraph-index.js';

export interface SubscriptionSchema {
  /** The client-facing schema operations are validated against. */
  apiSchema: GraphQLSchema;
  index: SupergraphIndex;
}

/** The gateway's current schema, refreshed from `gateway.onSchemaLoadOrUpdate`. */
export class SchemaRegistry {
  current?: SubscriptionSchema;

  /**
   * Takes a loaded supergraph once every client-visible subscription has a usable lookup; else throws
   * (SubscriptionHydrationError) and keeps what it had, so a bad supergraph fails the gateway's start
   * (gateway.ts) rather than its first subscriber.
   */
  update = ({ apiSchema, coreSupergraphSdl }: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }): void => {
    const index = new SupergraphIndex(coreSupergraphSdl);
    assertSubscriptionsHydrate(apiSchema, index);
    this.current = { apiSchema, index };
  };
}
