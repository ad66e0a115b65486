import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Request, RequestHandler } from 'express';
import {
  BoundedLabels,
  currentRequest,
  endServerSpan,
  startServerSpan,
  inRequest,
  log,
  observeRequest,
  REQUEST_ID_HEADER,
  requestIdFrom,
  type Identity,
  type RequestScope,
} from '@salesgraph/platform';

/** Which door a request came through, for logs and metrics: set by the code that mounts that door's routes. */
export type Door = 'graphql' | 'rest' | 'route' | 'other';

export const markDoor =
  (door: Door): RequestHandler =>
  (_req, res, next) => {
    res.locals.door = door;
    next();
  };

/** Records who is calling in the request's scope (log lines and the access line name the organization and user). */
export function recordCaller(identity: Identity): void {
  const scope = currentRequest();
  if (!scope || identity.kind === 'anonymous') return;
  scope.organizationId = identity.organizationId;
  scope.userId = identity.userId || undefined;
}

const requestLog = log.child({ component: 'http' });

/** The error codes of a request's GraphQL answers (an answer with errors is still a 200). */
const graphqlErrors = new WeakMap<RequestScope, string[]>();

/**
 * Names the operation in the request's scope as soon as it is known, and notes the codes of errors it answers
 * with: the access line and the metrics say which operation it was and whether it failed.
 */
export function observeOperations<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName }) {
          const scope = currentRequest();
          if (scope && operationName) scope.operationName ??= operationName;
        },
        async willSendResponse({ errors }) {
          const scope = currentRequest();
          if (!scope || !errors?.length) return;
          const codes = graphqlErrors.get(scope) ?? [];
          for (const error of errors) {
            const code = error.extensions?.code;
            codes.push(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
          }
          graphqlErrors.set(scope, codes);
        },
      };
    },
  };
}

/**
 * Gives every request its id (the client's `X-Request-Id` when sane, else a new one, returned in the answer's
 * header), runs it in that scope so every log line and subgraph call of it carries the id, and once it is
 * answered writes one access line (never the query string, headers or body: those may hold secrets) and
 * counts it in the metrics.
 */
export function observeRequests(): RequestHandler {
  const operations = new BoundedLabels();
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    const scope: RequestScope = { requestId: requestIdFrom(req.headers[REQUEST_ID_HEADER]) };
    res.setHeader('X-Request-Id', scope.requestId);
    // Read now, at the app's top: inside a mounted router Express strips the mount point from `req.path`.
    const path = req.path;
    // The request's trace: the client's when it sent a valid `traceparent`, else a new one (tracing on).
    const traced = startServerSpan(req.headers, req.method, path, { 'salesgraph.request_id': scope.requestId });
    if (traced) scope.traceId = traced.span.spanContext().traceId;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const door = (res.locals.door as Door | undefined) ?? (path === '/graphql' ? 'graphql' : 'other');
      const route = door === 'graphql' ? operations.of(scope.operationName) : routeOf(req);
      const status = res.writableFinished ? res.statusCode : 499;
      if (traced) {
        endServerSpan(traced.span, {
          method: req.method,
          route: door === 'graphql' ? '/graphql' : route === 'unmatched' ? undefined : route,
          status,
          attributes: {
            'salesgraph.door': door,
            ...(scope.operationName && { 'graphql.operation.name': scope.operationName }),
            ...(scope.organizationId && { 'salesgraph.organization_id': scope.organizationId }),
            ...(scope.userId && { 'enduser.id': String(scope.userId) }),
          },
        });
      }
      observeRequest(door, route, req.method, status, startedAt);
      const durationMs = Math.round(Number(process.hrtime.bigint() - startedAt) / 1e5) / 10;
      const line = {
        ...scope,
        door,
        method: req.method,
        // The path alone: a query string may carry a signature or a webhook secret.
        path,
        status,
        durationMs,
        outcome: outcomeOf(status, graphqlErrors.get(scope)),
        ...(graphqlErrors.has(scope) && { errorCodes: [...new Set(graphqlErrors.get(scope))] }),
      };
      if (status >= 500) requestLog.warn(line, 'request failed');
      else requestLog.info(line, 'request');
    };
    res.once('finish', finish);
    res.once('close', finish);
    inRequest(scope, traced ? () => traced.run(next) : next);
  };
}

/** The route's pattern (`/api/v1/leads/:id`), never the path itself: ids would make a series each. */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? req.baseUrl + path : 'unmatched';
}

/** `ok`, `errors` (a GraphQL answer with errors), `refused` (4xx), `failed` (5xx) or `aborted` (the client left). */
function outcomeOf(status: number, errorCodes: string[] | undefined): string {
  if (status === 499) return 'aborted';
  if (status >= 500) return 'failed';
  if (status >= 400) return 'refused';
  return errorCodes?.length ? 'errors' : 'ok';
}
