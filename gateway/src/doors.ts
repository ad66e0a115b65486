import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { ANONYMOUS, ErrorCode, type IdentitySigner } from '@salesgraph/platform';
import { credentialOf, type Authenticator } from './authenticate.js';
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
  signer: IdentitySigner;
}

/**
 * Authenticates once and counts the request against its rate limit, leaving the GraphQL context in
 * `res.locals.gatewayContext`. Every door (GraphQL, REST) passes through it.
 *
 * A credential not yet known good here is counted against its address's anonymous budget before it is
 * checked, and stays counted if it is refused: guessing tokens or API keys costs the guesser like any
 * anonymous request, and once the budget is spent such credentials get 429 without a lookup. One that
 * proves good gives the unit back and counts against its own (authenticated) budget from then on.
 */
export function guard({ authenticator, rateLimiter, signer }: GuardDeps, render: RenderError): RequestHandler {
  const tooMany = (res: Response, limit: number, retryAfter: number) =>
    render(res, { status: 429, code: ErrorCode.RateLimited, message: `Rate limit of ${limit} requests per minute exceeded`, retryAfter });
  return async (req: Request, res: Response, next: NextFunction) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const credential = credentialOf(req.headers)?.value;
    const checkedAt = Date.now();
    const unproven = credential !== undefined && !rateLimiter.knowsGood(credential, checkedAt);
    if (unproven) {
      // Counted before the check, synchronously: parallel guesses can't all slip under the budget.
      const claim = rateLimiter.take(ANONYMOUS, ip, checkedAt);
      if (!claim.allowed) return tooMany(res, claim.limit, claim.retryAfterSeconds);
    }
    let identity;
    try {
      identity = await authenticator.authenticate(req.headers, ip);
    } catch (error) {
      const code = (error as { extensions?: { code?: string } }).extensions?.code;
      if (code === ErrorCode.Unauthenticated) {
        // A credential known good until now (expired, revoked) is counted from now on too.
        if (!unproven) rateLimiter.take(ANONYMOUS, ip);
        if (credential !== undefined) rateLimiter.forgetGood(credential);
        return render(res, { status: 401, code, message: (error as Error).message });
      }
      // Our failure, not the client's: the unit goes back.
      if (unproven) rateLimiter.giveBack(ip, checkedAt);
      console.error('authentication failed', (error as Error).message);
      return render(res, { status: 503, code: ErrorCode.ServiceUnavailable, message: 'Authentication is unavailable, try again' });
    }
    if (unproven) {
      rateLimiter.giveBack(ip, checkedAt);
      rateLimiter.rememberGood(credential);
    }
    const decision = rateLimiter.take(identity, ip);
    if (!decision.allowed) return tooMany(res, decision.limit, decision.retryAfterSeconds);
    res.locals.gatewayContext = gatewayContext(identity, signer);
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
