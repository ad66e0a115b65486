import type { GraphQLSchema } from 'graphql';
import { SupergraphIndex } from './supergraph-index.js';

export interface SubscriptionSchema {
  /** The client-facing schema operations are validated against. */
  apiSchema: GraphQLSchema;
  index: SupergraphIndex;
}

/** The gateway's current schema, refreshed from `gateway.onSchemaLoadOrUpdate`. */
export class SchemaRegistry {
  current?: SubscriptionSchema;

  update = ({ apiSchema, coreSupergraphSdl }: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }): void => {
    this.current = { apiSchema, index: new SupergraphIndex(coreSupergraphSdl) };
  };
}
