import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { ErrorCode } from '@salesgraph/platform';
import type { Authenticator } from './authenticate.js';
import { gatewayContext } from './context.js';
import type { RateLimiter } from './rate-limit.js';
import type { RestError } from './rest/route.js';

/** How one door (GraphQL, or a legacy REST API) shows an error in its own shape. */
export type RenderError = (res: Response, error: RestError) => void;

export const renderGraphQLError: RenderError = (res, { status, code, message, retryAfter }) => {
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};

export interface GuardDeps {
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
}

/**
 * Authenticates once and counts the request against its rate limit, leaving the GraphQL context in
 * `res.locals.gatewayContext`. Every door (GraphQL, REST) passes through it.
 */
export function guard({ authenticator, rateLimiter }: GuardDeps, render: RenderError): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    let identity;
    try {
      identity = await authenticator.authenticate(req.headers, ip);
    } catch (error) {
      const code = (error as { extensions?: { code?: string } }).extensions?.code;
      if (code !== ErrorCode.Unauthenticated) console.error('authentication failed', (error as Error).message);
      return render(res, code === ErrorCode.Unauthenticated
        ? { status: 401, code, message: (error as Error).message }
        : { status: 503, code: ErrorCode.ServiceUnavailable, message: 'Authentication is unavailable, try again' });
    }
    const decision = rateLimiter.take(identity, ip);
    if (!decision.allowed) {
      return render(res, { status: 429, code: ErrorCode.RateLimited, message: `Rate limit of ${decision.limit} requests per minute exceeded`, retryAfter: decision.retryAfterSeconds });
    }
    res.locals.gatewayContext = gatewayContext(identity);
    next();
  };
}

/** Parses a JSON body up to `limit`, answering malformed or oversized bodies in the door's shape. */
export function jsonBody(render: RenderError, malformedStatus = 400, limit = '1mb'): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') return render(res, { status: 413, code: ErrorCode.PayloadTooLarge, message: `Request body is larger than ${limit}` });
      if (type === 'entity.parse.failed') return render(res, { status: malformedStatus, code: ErrorCode.BadUserInput, message: 'Malformed JSON in request body' });
      const status = (error as { status?: number }).status;
      render(res, { status: status && status < 500 ? status : 400, code: ErrorCode.BadUserInput, message: (error as Error).message });
    });
}
