import type { ApolloServerPlugin } from '@apollo/server';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

export interface PlaygroundOptions {
  /** @default '/graphql' */
  endpoint?: string;
  /** @default 'Salesgraph playground' */
  title?: string;
}

/**
 * Serves a self-hosted GraphiQL (scripts, styles and workers inlined, no CDN) as Apollo's landing page,
 * with subscriptions over graphql-ws on the same endpoint.
 */
export function usePlayground({ endpoint = '/graphql', title = 'Salesgraph playground' }: PlaygroundOptions = {}): ApolloServerPlugin {
  let html: string | undefined;
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          // ~9 MB of inlined assets: rendered on first use, then reused.
          return {
            html: async () => (html ??= renderGraphiQL({ endpoint, title, subscriptionsProtocol: 'WS', shouldPersistHeaders: true })),
          };
        },
      };
    },
  };
}
