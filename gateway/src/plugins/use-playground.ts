import type { ApolloServerPlugin } from '@apollo/server';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { Kind, parse } from 'graphql';
import type { PlaygroundExample } from '@salesgraph/platform';
import { firstVisitScript, playgroundSessionScript, type StoredTab } from './playground-scripts.js';

export interface PlaygroundOptions {
  /** @default '/graphql' */
  endpoint?: string;
  /** @default 'Salesgraph playground' */
  title?: string;
  /** The tabs a first visit opens with (the subgraphs' examples); GraphiQL keeps a returning user's own tabs. */
  examples?: PlaygroundExample[];
}

/**
 * Serves a self-hosted GraphiQL (scripts, styles and workers inlined, no CDN) as Apollo's landing page,
 * with subscriptions over graphql-ws on the same endpoint, the explorer (query builder) beside the docs,
 * example tabs, and a sign-in that carries its token to the next operations (playground-scripts.ts).
 */
export function usePlayground({
  endpoint = '/graphql',
  title = 'Salesgraph playground',
  examples = [],
}: PlaygroundOptions = {}): ApolloServerPlugin {
  // Parsed now: an example that is not one named operation fails the gateway's start, not a page view.
  const tabs: StoredTab[] = examples.map(({ query, variables }) => ({
    title: operationNameOf(query),
    query,
    variables: variables ? JSON.stringify(variables, null, 2) : null,
  }));
  let html: string | undefined;
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          // ~9 MB of inlined assets: rendered on first use, then reused.
          return { html: async () => (html ??= renderPlayground(endpoint, title, tabs)) };
        },
      };
    },
  };
}

function renderPlayground(endpoint: string, title: string, tabs: StoredTab[]): string {
  const page = renderGraphiQL({
    endpoint,
    title,
    subscriptionsProtocol: 'WS',
    shouldPersistHeaders: true,
    defaultTabs: tabs.map(({ query, variables }) => ({ query, variables, headers: null })),
  });
  // Before GraphiQL's own script: the session wraps fetch and WebSocket before GraphiQL first uses them.
  const scripts = `<script>${playgroundSessionScript(endpoint)}${firstVisitScript(tabs)}</script>`;
  const headEnd = page.indexOf('</head>');
  return `${page.slice(0, headEnd)}${scripts}${page.slice(headEnd)}`;
}

function operationNameOf(query: string): string {
  const operation = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation?.name) throw new Error(`a playground example must be one named operation:\n${query}`);
  return operation.name.value;
}
