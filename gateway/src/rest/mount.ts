import type { ApolloServer } from '@apollo/server';
import type { Request, RequestHandler, Response, Router } from 'express';
import { print, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, httpStatusOf, log, requireRole, type AppError, type Identity, type UploadVariable } from '@salesgraph/platform';
import type { GatewayContext } from '../context.js';
import { jsonBody, type RenderError } from '../doors.js';
import { cachePolicy, CachePolicy } from '../responses.js';
import { markDoor } from '../request-log.js';
import { defaultGatewayUploads, isMultipart, readMultipart, type GatewayUploads } from '../uploads.js';
import type { FieldAccess, Requirement } from './access.js';
import { RestFailure, RestReply, type RestApi, type RestError, type RestRequest, type RestRoute } from './route.js';
import { coerceQueryValue, problemsOf } from './validate.js';

/** What the REST layer needs from the gateway: run an operation as the caller. */
export type OperationRunner = (
  query: string,
  variables: unknown,
  context: GatewayContext,
) => ReturnType<ApolloServer<GatewayContext>['executeOperation']>;

export const contextOf = (res: Response) => res.locals.gatewayContext as GatewayContext;

/**
 * Mounts every route of one legacy API; each runs its GraphQL operation and reshapes the result. A caller
 * the operation would refuse is refused first, whatever the body (the legacy stacks authorize before validating).
 */
export function mountRestApi(
  router: Router,
  api: RestApi,
  run: OperationRunner,
  guard: (render: RenderError) => RequestHandler,
  access: FieldAccess,
  uploads: GatewayUploads = defaultGatewayUploads(),
): void {
  const render: RenderError = (res, error) => sendError(res, api, error);
  const [guarded, parsed] = [guard(render), jsonBody(render, api.validationStatus)];
  for (const route of api.routes) {
    const query = print(route.operation);
    router[route.method](
      route.path,
      markDoor('rest'),
      guarded,
      authorize(access.of(route.operation), render),
      ownOrganization(route.organization, route.organizationQuery, render),
      route.uploads ? formBody(route, api, uploads, parsed) : parsed,
      async (req: Request, res: Response) => {
        try {
          await answer(req, res, route, query);
        } catch (error) {
          log.error({ route: route.path, err: error }, 'REST route failed');
          sendError(res, api, { status: 500, code: ErrorCode.Internal, message: 'Unexpected error' });
        }
      },
    );
  }

  async function answer(req: Request, res: Response, route: RestRoute, query: string) {
    const outcome = await runRoute(api, route, query, parseRequest(req, res, route), contextOf(res), run);
    if ('error' in outcome) return sendError(res, api, outcome.error);
    if (outcome.body === undefined) return void res.status(204).end();
    // The caller's data: revalidated by its ETag (304 when unchanged) rather than kept blindly.
    if (req.method === 'GET') cachePolicy(res, CachePolicy.privateRevalidate);
    res.status(outcome.status).json(outcome.body);
  }
}

/** A route's answer: the success body (in the API's envelope) and status, or the error to render in its shape. */
export type RouteOutcome = { status: number; body: unknown } | { error: RestError };

/**
 * Checks a parsed request against the route's schemas, runs its operation as the caller and shapes the answer.
 * Every door that speaks a legacy API's language runs routes through this (HTTP here, seed 002's Socket.IO too).
 */
export async function runRoute(
  api: RestApi,
  route: RestRoute,
  query: string,
  request: RestRequest,
  context: GatewayContext,
  run: OperationRunner,
): Promise<RouteOutcome> {
  const problems = [
    ...(route.uploads?.required && !request.files.length ? [`${route.uploads.field}: a file is required`] : []),
    ...Object.entries(route.query ?? {}).flatMap(([name, schema]) =>
      schema.required && request.query[name] === undefined
        ? [`${name}: query parameter required`]
        : problemsOf(request.query[name], schema, name),
    ),
    ...(route.body ? problemsOf(request.body, route.body, '') : []),
  ];
  const { resource } = route;
  if (problems.length)
    return {
      error: { status: api.validationStatus, code: ErrorCode.BadUserInput, message: problems.join('; '), details: problems, resource },
    };
  const response = await run(query, route.variables?.(request) ?? {}, context);
  const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
  if (!result) return { error: { status: 500, code: ErrorCode.Internal, message: 'Unexpected response', resource } };
  if (result.errors?.length) return { error: { ...restErrorOf(result.errors[0], api), resource } };
  const body = route.respond(result.data, request);
  if (body === null) return { error: { status: 404, code: ErrorCode.NotFound, message: `${resource ?? 'Resource'} not found`, resource } };
  if (body === undefined) return { status: 204, body: undefined };
  if (body instanceof RestFailure) return { error: { ...body.error, resource } };
  const [status, content] = body instanceof RestReply ? [body.status, body.body] : [route.status ?? 200, body];
  return { status, body: api.success ? api.success(content, route.meta?.(result.data, request)) : content };
}

/** Answers 401/403 as the operation would, when the caller lacks what it requires (the same rule, `requireRole`). */
function authorize(requirement: Requirement | undefined, render: RenderError): RequestHandler {
  return (_req, res, next) => {
    if (!requirement) return next();
    const refused = refusalOf(requirement, contextOf(res).identity);
    if (refused) return render(res, refused);
    next();
  };
}

/** The 401/403 an operation would answer a caller who lacks what it requires, or undefined when the caller may run it. */
export function refusalOf(requirement: Requirement | undefined, identity: Identity): RestError | undefined {
  if (!requirement) return undefined;
  try {
    requireRole(identity, requirement.roles);
  } catch (error) {
    const code = String((error as AppError).extensions.code);
    return { status: httpStatusOf(code), code, message: (error as AppError).message };
  }
  return undefined;
}

/**
 * Answers 404 when the route's organization parameter is not the caller's organization (compared as UUIDs,
 * case-insensitively): another organization's URLs look as absent as an unknown one, whatever the caller sends.
 */
function ownOrganization(param: string | undefined, queryParam: string | undefined, render: RenderError): RequestHandler {
  return (req, res, next) => {
    if (!param && !queryParam) return next();
    const own = contextOf(res).identity.organizationId?.toLowerCase();
    const fromQuery = queryParam ? req.query[queryParam] : undefined;
    const given = param ? (req.params as Record<string, string | undefined>)[param]?.toLowerCase() : undefined;
    const pathOk = !param || (given !== undefined && given === own);
    const queryOk = fromQuery === undefined || (typeof fromQuery === 'string' && fromQuery.toLowerCase() === own);
    if (pathOk && queryOk) return next();
    render(res, { status: 404, code: ErrorCode.NotFound, message: 'Organization not found', resource: 'Organization' });
  };
}

/**
 * The body of a route that takes files (`RestRoute.uploads`): a multipart form, read within the gateway's
 * limits and the route's `maxFiles`, whose files go to `res.locals.restFiles` and whose text fields become the
 * body (typed by the body schema); a request that is not multipart is read as JSON, without files.
 */
function formBody(route: RestRoute, api: RestApi, uploads: GatewayUploads, json: RequestHandler): RequestHandler {
  const { field, maxFiles } = route.uploads!;
  const properties = route.body?.properties ?? {};
  return async (req, res, next) => {
    res.locals.restFiles = [];
    if (!isMultipart(req)) return json(req, res, next);
    const parts = await readMultipart(req, { maxFiles, maxFileBytes: uploads.maxBytes, timeoutMs: uploads.timeoutMs, maxFields: 20 });
    if ('status' in parts) {
      const status = parts.code === (ErrorCode.BadUserInput as string) ? api.validationStatus : parts.status;
      return sendError(res, api, { ...parts, status, resource: route.resource });
    }
    const stray = [...parts.files.keys()].filter((name) => name !== field);
    if (stray.length) {
      const problems = stray.map((name) => `${name}: not a file field (files go in ${field})`);
      return sendError(res, api, {
        status: api.validationStatus,
        code: ErrorCode.BadUserInput,
        message: problems.join('; '),
        details: problems,
      });
    }
    req.body = Object.fromEntries([...parts.fields].map(([name, value]) => [name, coerceQueryValue(value, properties[name] ?? {})]));
    res.locals.restFiles = parts.files.get(field) ?? [];
    next();
  };
}

function parseRequest(req: Request, res: Response, route: RestRoute): RestRequest {
  const query: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(route.query ?? {})) {
    if (req.query[name] !== undefined) query[name] = coerceQueryValue(req.query[name], schema);
  }
  const files = (res.locals.restFiles ?? []) as UploadVariable[];
  return { params: req.params as Record<string, string>, query, body: (req.body ?? {}) as RestRequest['body'], files };
}

/** Maps a GraphQL error onto the seed's status: invalid input is the seed's validation status. */
export function restErrorOf(error: GraphQLFormattedError, api: RestApi): RestError {
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : ErrorCode.Internal;
  const status = code === (ErrorCode.BadUserInput as string) ? api.validationStatus : httpStatusOf(code);
  const retryAfter = typeof error.extensions?.retryAfter === 'number' ? error.extensions.retryAfter : undefined;
  return { status, code, message: error.message, details: error.extensions?.fields, retryAfter };
}

export function sendError(res: Response, api: RestApi, error: RestError): void {
  if (error.retryAfter !== undefined) res.setHeader('Retry-After', String(error.retryAfter));
  res.status(error.status).json(api.error(error));
}
