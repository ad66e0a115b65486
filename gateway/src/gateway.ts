import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { formatError } from '@salesgraph/platform';
import type { GatewayContext } from './context.js';
import { hideSuggestions, operationLimitRules, OPERATION_LIMITS } from './hardening.js';
import { unavailableAsStatus } from './plugins/unavailable-status.js';
import { usePlayground } from './plugins/use-playground.js';
import { observeOperations } from './request-log.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import type { EntityCache } from './entity-cache.js';
import { rejectSubscriptionsOverHttp } from './subscriptions/http-rejection.js';
import type { PlaygroundExample, SubgraphClient } from '@salesgraph/platform';

export const SUPERGRAPH_PATH = new URL('../../schema/supergraph.graphql', import.meta.url);

export interface GatewayServerOptions {
  clients: Map<string, SubgraphClient>;
  production: boolean;
  /** Serve the playground in production too. @default false */
  playgroundInProduction?: boolean;
  /**
   * Told the API schema and supergraph on load and every update (the subscription bridge needs both). What
   * it throws on load fails the server's start.
   */
  onSchemaLoadOrUpdate?: (schema: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void;
  /** The supergraph to serve. @default schema/supergraph.graphql, composed at build time */
  supergraphSdl?: string;
  /** The playground's first tabs (the subgraphs' examples). */
  playgroundExamples?: PlaygroundExample[];
  /** Per subgraph, the entities kept between requests (subgraphs that announce their changes). */
  entityCaches?: ReadonlyMap<string, EntityCache>;
}

/** Apollo Server over an Apollo Gateway that reads the supergraph composed at build time. */
export function createGatewayServer({
  clients,
  production,
  playgroundInProduction = false,
  onSchemaLoadOrUpdate,
  supergraphSdl,
  playgroundExamples,
  entityCaches,
}: GatewayServerOptions): ApolloServer<GatewayContext> {
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name }) => {
      const client = clients.get(name);
      if (!client) throw new Error(`no client for subgraph "${name}"`);
      return new SubgraphDataSource(client, entityCaches?.get(name));
    },
    // Its OpenTelemetry spans (gateway.request, plan, fetch per subgraph) without the document, whose literals may
    // hold what a client typed (a password in a login's arguments), and without errors' details.
    telemetry: { includeDocument: false, recordExceptions: false },
  });
  // Apollo Gateway only logs what a listener throws; kept here, it fails the start (serverWillStart below).
  let loadFailure: Error | undefined;
  if (onSchemaLoadOrUpdate) {
    gateway.onSchemaLoadOrUpdate((schema) => {
      try {
        onSchemaLoadOrUpdate(schema);
      } catch (error) {
        loadFailure ??= error instanceof Error ? error : new Error(String(error));
        throw error;
      }
    });
  }
  const playground = !production || playgroundInProduction;
  return new ApolloServer<GatewayContext>({
    gateway,
    // The same limits as WebSocket subscriptions (hardening.ts); graphql-js's own rules come first.
    validationRules: [...operationLimitRules],
    allowBatchedHttpRequests: false,
    // APQ stays on, in Apollo's in-memory LRU cache of each process: a miss costs the client one retry, and
    // nothing an anonymous client sends is written anywhere shared (README, "Trusted documents and APQ").
    persistedQueries: {},
    formatError,
    // graphql-js's own token limit fails parsing with a 400 (armor's variant throws past Apollo as a 500).
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    // Any header a browser must preflight proves a request is no simple cross-site one; a client's name is such a
    // header, so a trusted document fetched with GET (?documentId=) needs nothing else.
    csrfPrevention: {
      requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'graphql-client-name', 'apollographql-client-name'],
    },
    introspection: !production || playgroundInProduction,
    includeStacktraceInErrorResponses: false,
    // main.ts drains and stops everything in order on SIGTERM (Apollo's own handler would stop this server first).
    stopOnTerminationSignals: false,
    plugins: [
      {
        serverWillStart: async () => {
          if (loadFailure) throw loadFailure;
        },
      },
      // Masked here rather than with hideSchemaDetailsFromClientErrors: one rule for both doors (hardening.ts).
      ...(production ? [hideSuggestions<GatewayContext>()] : []),
      rejectSubscriptionsOverHttp<GatewayContext>(),
      unavailableAsStatus<GatewayContext>(),
      observeOperations<GatewayContext>(),
      playground ? usePlayground({ examples: playgroundExamples }) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
}
