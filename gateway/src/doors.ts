import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { ErrorCode, metrics } from '@salesgraph/platform';
import { recordCaller } from './request-log.js';
import { admit, tooMany } from './admission.js';
import { addressOr } from './client-ip.js';
import type { Authenticator } from './authenticate.js';
import { gatewayContext } from './context.js';
import type { RateLimiter } from './rate-limit.js';
import type { RestError } from './rest/route.js';
import { RESTARTING, type Drain } from './drain.js';

/** How one door (GraphQL, or a legacy REST API) shows an error in its own shape. */
export type RenderError = (res: Response, error: RestError) => void;

export const renderGraphQLError: RenderError = (res, { status, code, message, retryAfter }) => {
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};

/**
 * The answer of a subgraph's declared route: seed 004's `{detail}`, with OpenAI's `{error}` beside it so the
 * OpenAI-compatible routes' clients (the `openai` SDK, OpenWebUI) read the reason too.
 */
export const renderDetailError: RenderError = (res, { status, code, message, retryAfter }) => {
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res.status(status).json({ detail: message, error: { message, type: code.toLowerCase(), param: null, code } });
};

export interface GuardDeps {
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  /** The gateway's work under way: a stop waits for admissions, and requests arriving during it are refused. */
  drain?: Drain;
}

/**
 * Authenticates once (within the address's budget, see admission.ts) and counts the request against its
 * rate limit, leaving the GraphQL context in `res.locals.gatewayContext`. Every door (GraphQL, REST) passes
 * through it.
 */
export function guard({ authenticator, rateLimiter, drain }: GuardDeps, render: RenderError): RequestHandler {
  const admission = async (req: Request, res: Response, next: NextFunction) => {
    const ip = addressOr(req.ip, req.socket.remoteAddress ?? 'unknown');
    const admitted = await admit(authenticator, rateLimiter, req.headers, ip);
    if ('refused' in admitted) {
      if (admitted.refused.status === 429) metrics.rateLimited.inc({ limit: 'credential' });
      return render(res, admitted.refused);
    }
    recordCaller(admitted.identity);
    const decision = await rateLimiter.take(admitted.identity, ip);
    if (!decision.allowed) {
      metrics.rateLimited.inc({ limit: admitted.identity.kind === 'anonymous' ? 'anonymous' : 'authenticated' });
      return render(res, tooMany(decision.limit, decision.retryAfterSeconds));
    }
    res.locals.gatewayContext = gatewayContext(admitted.identity);
    next();
  };
  // Admission asks the identity subgraph: a stop waits for it as for any work under way.
  return (req, res, next) => {
    if (!drain) return admission(req, res, next);
    if (drain.refuses(res)) return render(res, RESTARTING);
    return drain.run(
      () => admission(req, res, next),
      () => render(res, RESTARTING),
    );
  };
}

/** Parses a JSON body up to `limit`, answering malformed or oversized bodies in the door's shape. */
export function jsonBody(render: RenderError, malformedStatus = 400, limit = '1mb'): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large')
        return render(res, { status: 413, code: ErrorCode.PayloadTooLarge, message: `Request body is larger than ${limit}` });
      if (type === 'entity.parse.failed')
        return render(res, { status: malformedStatus, code: ErrorCode.BadUserInput, message: 'Malformed JSON in request body' });
      const status = (error as { status?: number }).status;
      render(res, { status: status && status < 500 ? status : 400, code: ErrorCode.BadUserInput, message: (error as Error).message });
    });
}
