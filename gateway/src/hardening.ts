import type { ApolloServerPlugin } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';

/** Limits every operation must pass, over HTTP and WebSocket alike. */
export const OPERATION_LIMITS = {
  maxDepth: 10,
  maxCost: 5000,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2000,
};

// By default armor's rules throw on rejection; report instead, so the client gets every error as usual.
const report = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/**
 * Depth, cost, alias and directive limits: the validation rules both doors add to graphql-js's own
 * (Apollo's `validationRules` for HTTP, subscriptions/validation.ts for WebSocket). The token limit is a
 * parse option (`OPERATION_LIMITS.maxTokens`).
 */
export const operationLimitRules: readonly ValidationRule[] = [
  maxDepthRule({ n: OPERATION_LIMITS.maxDepth, flattenFragments: true, ...report }),
  costLimitRule({ maxCost: OPERATION_LIMITS.maxCost, flattenFragments: true, ...report }),
  maxAliasesRule({ n: OPERATION_LIMITS.maxAliases, ...report }),
  maxDirectivesRule({ n: OPERATION_LIMITS.maxDirectives, ...report }),
];

/**
 * The message without graphql-js's "Did you mean …?" hints (fields, arguments, types, enum values), which
 * spell the schema out to whoever guesses; production hides them from clients on both doors.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '');
}

/** Production's masking for HTTP: every error the client gets (validation, variables) loses its hints. */
export function hideSuggestions<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = withoutSuggestions(error.message);
        },
      };
    },
  };
}
