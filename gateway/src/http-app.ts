import { readFileSync } from 'node:fs';
import { HeaderMap, type ApolloServer, type GraphQLResponse } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type Express, type RequestHandler, type Response } from 'express';
import type { GatewayContext } from './context.js';
import { mountDocs } from './docs.js';
import { mountFrontDoor } from './front-door.js';
import { mountSocketIoDocs } from './socket-io/docs.js';
import { guard, jsonBody, renderDetailError, renderGraphQLError, type GuardDeps } from './doors.js';
import { SUPERGRAPH_PATH } from './gateway.js';
import { mountHealth, type HealthCheck } from './health.js';
import { FieldAccess } from './rest/access.js';
import { restApis } from './rest/index.js';
import { contextOf, mountRestApi, type OperationRunner } from './rest/mount.js';
import { RESTARTING, type Drain } from './drain.js';
import { openApiDocument } from './rest/openapi.js';
import { metricsEndpoint, type Settings, type SubgraphClient } from '@salesgraph/platform';
import { markDoor, observeRequests } from './request-log.js';
import { mountDeclaredRoutes, type DeclaredRoute } from './routes.js';
import type { CounterStore } from './counters.js';
import { mountLeadsCsv } from './rest/leads-csv.js';
import { defaultGatewayUploads, multipartBody, type GatewayUploads } from './uploads.js';
import { CachePolicy, compressResponses } from './responses.js';
import type { TrustedDocumentGate } from './trusted-documents/gate.js';
import { trustedDocumentRequests } from './trusted-documents/requests.js';
import { mountTrustedDocumentRoutes, type TrustedDocumentRoutesOptions } from './trusted-documents/routes.js';

export interface HttpAppOptions extends GuardDeps {
  apollo: ApolloServer<GatewayContext>;
  clients: SubgraphClient[];
  /** Origins allowed by CORS; `*` allows any (credentials are headers, never cookies). */
  corsOrigins: string[] | '*';
  /** Express `trust proxy`: set when behind a load balancer, so per-IP limits see the client. */
  trustProxy: boolean | number | string;
  /** HTTP routes the subgraphs declared (webhooks). */
  routes: DeclaredRoute[];
  /** Requests per minute one sender (e.g. one telephony integration) may post to a declared route. @default 600 */
  webhookPerMinute?: number;
  /** Where those requests are counted. @default this process */
  counters?: CounterStore;
  /** What `/health` reports as `llm_backend` (`settings.llm.backend`). */
  llmBackend: Settings['llm']['backend'];
  /** The services subgraphs report on in `/health` beside themselves (speech engines). */
  healthChecks?: HealthCheck[];
  /** Limits of multipart uploads (GraphQL and REST routes that take files). @default defaultGatewayUploads() */
  uploads?: GatewayUploads;
  /** Whether `/graphql` serves the playground to browsers (`GET /` leads there). @default false */
  playground?: boolean;
  /** Who may read `/metrics`: holders of `token`, or anyone while `open` (the process is not exposed). */
  metricsAccess?: { token?: string; open: boolean };
  /** Trusted documents: where they are kept, who registers them, and which clients may run nothing else. */
  trustedDocuments: Omit<TrustedDocumentRoutesOptions, 'rateLimiter'> & { gate: TrustedDocumentGate };
}

/** The gateway's one port: GraphQL (+ playground), the REST compatibility layer, docs and health. */
export function createHttpApp({
  apollo,
  clients,
  routes,
  corsOrigins,
  trustProxy,
  webhookPerMinute,
  counters,
  llmBackend,
  healthChecks = [],
  uploads = defaultGatewayUploads(),
  playground = false,
  metricsAccess = { open: false },
  trustedDocuments,
  ...guardDeps
}: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // First: every answer, refusals included, carries its request id and is logged and counted.
  app.use(observeRequests());
  const { drain } = guardDeps;
  if (drain) app.use(drain.arrivals());
  app.set('trust proxy', trustProxy);
  // A weak ETag of every body Express sends, and 304 to a GET whose If-None-Match still matches.
  app.set('etag', 'weak');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    // Kept nowhere unless a route says otherwise (responses.ts).
    res.setHeader('Cache-Control', CachePolicy.none);
    next();
  });
  app.use(compressResponses());
  app.use(cors({ origin: corsOrigins === '*' ? '*' : corsOrigins, maxAge: 600 }));

  // Who may call what, as the subgraphs declared it: the REST routes authorize (and document access) by it.
  const access = FieldAccess.fromSupergraph(readFileSync(SUPERGRAPH_PATH, 'utf8'));
  mountFrontDoor(app, { playground });
  mountHealth(app, clients, llmBackend, healthChecks, drain && (() => drain.draining));
  app.get('/metrics', metricsEndpoint(metricsAccess));
  mountSocketIoDocs(app);
  mountDocs(
    app,
    openApiDocument(
      restApis,
      access,
      routes.map((r) => r.route),
    ),
  );

  // Before /graphql itself: the deployment's CI registers documents there with its own token.
  mountTrustedDocumentRoutes(app, { ...trustedDocuments, rateLimiter: guardDeps.rateLimiter });
  app.use(
    '/graphql',
    markDoor('graphql'),
    guard(guardDeps, renderGraphQLError),
    multipartBody(renderGraphQLError, uploads),
    jsonBody(renderGraphQLError),
    trustedDocumentRequests(trustedDocuments.gate, renderGraphQLError),
    tracked(drain, expressMiddleware(apollo, { context: async ({ res }) => contextOf(res) }), (res) => renderGraphQLError(res, RESTARTING)),
  );

  mountDeclaredRoutes(app, routes, webhookPerMinute, guard(guardDeps, renderDetailError), counters, drain);

  const run = operationRunner(apollo, drain);
  mountLeadsCsv(app, run, (render) => guard(guardDeps, render), access);
  for (const api of restApis) mountRestApi(app, api, run, (render) => guard(guardDeps, render), access, uploads);

  app.use((req, res) => void res.status(404).json({ detail: `No route for ${req.method} ${req.path}` }));
  return app;
}

/** A door's last handler, run as work the stop waits for; once the stop no longer waits, `refuse` answers. */
function tracked(drain: Drain | undefined, handler: RequestHandler, refuse: (res: Response) => void): RequestHandler {
  if (!drain) return handler;
  return (req, res, next) =>
    drain.run(
      async () => {
        await handler(req, res, next);
      },
      () => refuse(res),
    );
}

/**
 * Runs an operation as the caller through the gateway's Apollo Server (REST routes, Socket.IO actions), as work
 * the stop waits for. Once it no longer waits, the answer is RESTARTING as an operation's error, which each door
 * renders in its shape (503 with Retry-After).
 */
export function operationRunner(apollo: ApolloServer<GatewayContext>, drain?: Drain): OperationRunner {
  const execute: OperationRunner = (query, variables, contextValue) =>
    apollo.executeOperation({ query, variables: variables as Record<string, unknown> }, { contextValue });
  if (!drain) return execute;
  const { status, code, message, retryAfter } = RESTARTING;
  const restarting = (): GraphQLResponse<Record<string, unknown>> => ({
    http: { status, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
    body: { kind: 'single', singleResult: { errors: [{ message, extensions: { code, retryAfter } }] } },
  });
  return (query, variables, contextValue) =>
    drain.run(
      () => execute(query, variables, contextValue),
      () => restarting(),
    );
}
