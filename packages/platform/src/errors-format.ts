import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ConnectionException, DriverException } from '@mikro-orm/core';
import { ArgumentValidationError } from 'type-graphql';
import { log } from './logging.js';
import { ErrorCode, type FieldProblem } from './errors.js';

const UNEXPECTED = 'Unexpected error';
const TOO_MANY_VARIABLE_ERRORS = 'Too many errors processing variables';

/** A column as the API names its field: `is_speaker_on` → `isSpeakerOn`. */
const fieldOf = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * PostgreSQL errors that only input can cause (SQLSTATE → how to tell the client). Input checks should
 * refuse such input before any SQL runs; this is the net for a check that is missing, so the client
 * learns its input was wrong instead of getting a 500.
 */
const INPUT_ERRORS: Record<
  string,
  (error: DriverException & { column?: string; constraint?: string }) => { code: ErrorCode; message: string; fields?: FieldProblem[] }
> = {
  '23502': ({ column }) => ({
    code: ErrorCode.BadUserInput,
    message: `${column ? fieldOf(column) : 'A value'} must not be null`,
    fields: column ? [{ field: fieldOf(column), message: 'must not be null' }] : undefined,
  }),
  '22001': () => ({ code: ErrorCode.BadUserInput, message: 'A value is longer than its field allows' }),
  '22003': () => ({ code: ErrorCode.BadUserInput, message: 'A number is out of range' }),
  '22P02': () => ({ code: ErrorCode.BadUserInput, message: 'A value is not of its field’s type' }),
  '22021': () => ({ code: ErrorCode.BadUserInput, message: 'Text must not contain the NUL character (U+0000)' }),
  '23514': ({ constraint }) => ({ code: ErrorCode.BadUserInput, message: `A value breaks the rule ${constraint ?? 'of its field'}` }),
  '23505': () => ({ code: ErrorCode.Conflict, message: 'This already exists' }),
};

/** Network failures of a database connection (Node's errno codes). */
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** SQLSTATEs of a server going away: connection exceptions (class 08) and shutdowns (57P01–57P03). */
const SERVER_GONE = /^(08...|57P0[123])$/;
/** What `pg` and its pool say when a connection breaks or cannot be had. */
const CONNECTION_LOST =
  /Connection terminated|Connection ended unexpectedly|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection due to|not queryable|Client was closed/i;
/** Seconds a client is told to wait: a restarted database is usually back within a few. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Whether `error` (or what caused it) means the database is out of reach, not that the request was wrong. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  if (error instanceof ConnectionException) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_ERRORS.has(code) || SERVER_GONE.test(code))) return true;
  if (CONNECTION_LOST.test(error.message)) return true;
  return isDatabaseUnavailable(error.cause, depth + 1);
}

/**
 * Apollo `formatError`: coded errors pass through, argument validation becomes BAD_USER_INPUT naming
 * each field, database errors caused by input become BAD_USER_INPUT (or CONFLICT), a database out of reach
 * SERVICE_UNAVAILABLE with a Retry-After (503 at the doors), anything else is
 * masked (and logged) so no internals or stack traces leave the server.
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
  const sqlState = original instanceof DriverException ? String(original.code) : undefined;
  const inputError = sqlState ? INPUT_ERRORS[sqlState] : undefined;
  if (inputError) {
    const { code, message, fields } = inputError(original as DriverException);
    // Reaching the database means an input check is missing: worth a line in the log, not a 500.
    log.warn(
      { sqlState, path: formatted.path?.join('.'), reason: (original as Error).message.split('\n')[0] },
      'input refused by the database',
    );
    return { message, path: formatted.path, extensions: { code, ...(fields && { fields }) } };
  }
  if (isDatabaseUnavailable(original)) {
    log.warn({ path: formatted.path?.join('.'), reason: (original as Error).message.split('\n')[0] }, 'database unavailable');
    return {
      message: 'The database is unavailable, try again',
      path: formatted.path,
      extensions: { code: ErrorCode.ServiceUnavailable, retryAfter: DATABASE_RETRY_AFTER_SECONDS },
    };
  }
  // graphql-js stops coercing variables after 50 errors with an uncoded error of its own: still bad input.
  if (original instanceof GraphQLError && original.message.startsWith(TOO_MANY_VARIABLE_ERRORS)) {
    return { message: original.message, extensions: { code: ErrorCode.BadUserInput } };
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
    log.error({ err: original, path: formatted.path?.join('.') }, 'unexpected error');
  }
  return { message: UNEXPECTED, path: formatted.path, extensions: { code: ErrorCode.Internal } };
}
