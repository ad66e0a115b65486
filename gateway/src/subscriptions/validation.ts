import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';
import { OPERATION_LIMITS } from '../hardening.js';

// By default armor's rules throw on rejection; report instead, so the client gets every error as usual.
const report = { propagateOnRejection: false, onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)] };

/** The same limits as HTTP operations (hardening.ts), as plain validation rules. */
export const subscriptionRules: readonly ValidationRule[] = [
  ...specifiedRules,
  maxDepthRule({ n: OPERATION_LIMITS.maxDepth, flattenFragments: true, ...report }),
  costLimitRule({ maxCost: OPERATION_LIMITS.maxCost, flattenFragments: true, ...report }),
  maxAliasesRule({ n: OPERATION_LIMITS.maxAliases, ...report }),
  maxDirectivesRule({ n: OPERATION_LIMITS.maxDirectives, ...report }),
];

/** Parses (with the token limit) and validates one operation; the errors, or the document. */
export function parseAndValidate(schema: GraphQLSchema, query: unknown): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  if (typeof query !== 'string') return { errors: [new GraphQLError('The subscribe payload needs a "query" string', { extensions: { code: 'BAD_REQUEST' } })] };
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: OPERATION_LIMITS.maxTokens });
  } catch (error) {
    const cause = error instanceof GraphQLError ? error : new GraphQLError(String(error));
    return { errors: [new GraphQLError(cause.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] };
  }
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, document, subscriptionRules);
  } catch (error) {
    errors = [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
  }
  if (errors.length) return { errors: errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } })) };
  return { document };
}
