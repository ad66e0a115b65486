import type { GraphQLSchema } from 'graphql';
import type { Database, OrmOptions } from './database.js';
import type { IdentitySigner } from './identity.js';
import type { Settings } from './settings.js';
import type { SubgraphClient } from './subgraph-client.js';
import type { SubgraphServer } from './subgraph-server.js';

export interface SubgraphDeps {
  db: Database;
  signer: IdentitySigner;
  settings: Settings;
  /** Another subgraph, for the rare read a subgraph needs from another's domain (never its tables). */
  peer: (name: string) => SubgraphClient;
}

/** The shape every `subgraphs/<name>` package exports, so the gateway and scripts treat all six alike. */
export interface SubgraphModule {
  name: string;
  /** Default port when the subgraph runs as its own process. */
  port: number;
  ormOptions: OrmOptions;
  /** The schema without a database, for printing the SDL. */
  buildSchema(): Promise<GraphQLSchema>;
  /** Opens its ORM, applies migrations and starts the server. */
  create(deps: SubgraphDeps): Promise<SubgraphServer>;
}
