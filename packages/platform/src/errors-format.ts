import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { ErrorCode } from './errors.js';

const UNEXPECTED = 'Unexpected error';

/**
 * Apollo `formatError`: coded errors pass through, argument validation becomes BAD_USER_INPUT naming
 * each field, anything else is masked (and logged) so no internals or stack traces leave the server.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    const fields = original.extensions.validationErrors?.map((v) => ({
      field: v.property,
      message: Object.values(v.constraints ?? {}).join('; ') || 'is invalid',
    }));
    return {
      message: `Invalid input: ${fields?.map((f) => `${f.field} ${f.message}`).join(', ')}`,
      path: formatted.path,
      extensions: { code: ErrorCode.BadUserInput, fields },
    };
  }
  const code = formatted.extensions?.code;
  if (code && code !== ErrorCode.Internal) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (original instanceof GraphQLError && !original.originalError) {
    // Already a client-safe GraphQL error (a subgraph masked it before it reached the gateway).
    if (code !== ErrorCode.Internal) return formatted;
  } else {
    console.error('unexpected error', original);
  }
  return { message: UNEXPECTED, path: formatted.path, extensions: { code: ErrorCode.Internal } };
}
