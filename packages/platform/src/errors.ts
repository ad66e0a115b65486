import { GraphQLError } from 'graphql';

/** Error codes shared by every subgraph, the gateway and the REST layer (as GraphQL `extensions.code`). */
export enum ErrorCode {
  BadUserInput = 'BAD_USER_INPUT',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  /** The request (an upload) did not arrive in time. */
  RequestTimeout = 'REQUEST_TIMEOUT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** A file whose real type (its bytes, e.g. sniffed with file-type) is not one the field accepts. */
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited = 'RATE_LIMITED',
  /** A spending limit (an AI budget) is used up: nothing more is spent until it resets or is raised. */
  BudgetExceeded = 'BUDGET_EXCEEDED',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  /** One subgraph is down or timed out (`extensions.subgraph` names it): what it would have answered is null. */
  SubgraphUnavailable = 'SUBGRAPH_UNAVAILABLE',
  Internal = 'INTERNAL_SERVER_ERROR',
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.RequestTimeout]: 408,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.BudgetExceeded]: 402,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.SubgraphUnavailable]: 503,
  [ErrorCode.Internal]: 500,
};

/** Codes produced by graphql-js / Apollo itself that also mean "the client sent something wrong". */
const FOREIGN_CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

export function httpStatusOf(code: unknown): number {
  if (typeof code === 'string' && code in STATUS_BY_CODE) return STATUS_BY_CODE[code];
  if (typeof code === 'string' && FOREIGN_CLIENT_CODES.has(code)) return 400;
  return 500;
}
const STATUS_BY_CODE: Record<string, number> = HTTP_STATUS;

export interface FieldProblem {
  field: string;
  message: string;
}

/** A failure the caller can act on; carries its code into GraphQL `extensions.code`. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details?: { fields?: FieldProblem[]; retryAfter?: number; subgraph?: string }) {
    super(message, { extensions: { code, ...details } });
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export const notFound = (what: string) => new AppError(ErrorCode.NotFound, `${what} not found`);
export const badInput = (message: string, fields?: FieldProblem[]) =>
  new AppError(ErrorCode.BadUserInput, message, fields ? { fields } : undefined);
export const forbidden = (message = 'You are not allowed to do this') => new AppError(ErrorCode.Forbidden, message);
export const unauthenticated = (message = 'Authentication required') => new AppError(ErrorCode.Unauthenticated, message);
export const conflict = (message: string) => new AppError(ErrorCode.Conflict, message);
export const payloadTooLarge = (message: string) => new AppError(ErrorCode.PayloadTooLarge, message);
export const unsupportedMediaType = (message: string) => new AppError(ErrorCode.UnsupportedMediaType, message);
export const budgetExceeded = (message: string) => new AppError(ErrorCode.BudgetExceeded, message);
export const serviceUnavailable = (message: string) => new AppError(ErrorCode.ServiceUnavailable, message);
export const rateLimited = (message: string, retryAfter: number) => new AppError(ErrorCode.RateLimited, message, { retryAfter });
