import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { OPERATION_LIMITS, operationLimitRules, withoutSuggestions } from '../hardening.js';

/** graphql-js's rules and the same limits as HTTP operations (hardening.ts). */
export const subscriptionRules: readonly ValidationRule[] = [...specifiedRules, ...operationLimitRules];

/**
 * Parses (with the token limit) and validates one operation; the errors, or the document. In production
 * the errors lose their "Did you mean …?" hints, as over HTTP.
 */
export function parseAndValidate(
  schema: GraphQLSchema,
  query: unknown,
  production = false,
): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  if (typeof query !== 'string')
    return { errors: [new GraphQLError('The subscribe payload needs a "query" string', { extensions: { code: 'BAD_REQUEST' } })] };
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
  const shown = (message: string) => (production ? withoutSuggestions(message) : message);
  if (errors.length)
    return {
      errors: errors.map(
        (e) => new GraphQLError(shown(e.message), { nodes: e.nodes, extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ),
    };
  return { document };
}
