import { ApolloArmor } from '@escape.tech/graphql-armor';

/** Limits every operation must pass, over HTTP and (later) WebSocket alike. */
export const OPERATION_LIMITS = {
  maxDepth: 10,
  maxCost: 5000,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2000,
};

/** Depth, cost, alias and directive limits; field suggestions hidden in production. Tokens: `parseOptions`. */
export function armor(production: boolean) {
  return new ApolloArmor({
    maxDepth: { n: OPERATION_LIMITS.maxDepth, flattenFragments: true },
    costLimit: { maxCost: OPERATION_LIMITS.maxCost, flattenFragments: true },
    maxAliases: { n: OPERATION_LIMITS.maxAliases },
    maxDirectives: { n: OPERATION_LIMITS.maxDirectives },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  }).protect();
}
