import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/core';
import express from 'express';
import { GraphQLError, parse, subscribe, validate, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { SubgraphRequest } from './subgraph-client.js';
import { ErrorCode } from './errors.js';
import type { EventBus } from './events.js';
import { Loaders, type SubgraphContext } from './context.js';
import type { JobQueues } from './jobs.js';
import type { Mailer } from './mailer.js';
import { formatError } from './errors-format.js';
import {
  CallerReads,
  IDENTITY_HEADER,
  PERSONAL_EXTENSION,
  requestDigest,
  type BoundRequest,
  type Identity,
  type IdentitySigner,
} from './identity.js';
import { uploadLimits } from './uploads.js';
import { currentRequest, inRequest, log, REQUEST_ID_HEADER, requestIdFrom, type RequestScope } from './logging.js';
import { gauges, metricsEndpoint, observeRequest } from './metrics.js';
import { endServerSpan, startServerSpan, SUBGRAPH_ATTRIBUTE, traceOperations } from './tracing.js';

export interface SubgraphServerOptions {
  name: string;
  schema: GraphQLSchema;
  orm: MikroORM;
  signer: IdentitySigner;
  /** Its job queues, already working; `stop()` stops them first, waiting for running handlers. */
  jobs?: JobQueues;
  /** Runs on `stop()` once jobs have finished: listeners that use the ORM. */
  onStop?: () => Promise<void>;
  /** The event bus its subscriptions read, to observe them (`listening`, `started`). */
  bus?: EventBus;
  /** Closed on `stop()`. */
  mailer?: Mailer;
}

/**
 * One subgraph: an Apollo Server over its federated schema, answering only requests that carry an
 * identity the gateway signed. It can serve HTTP on its own port or be called in-process by the gateway.
 */
/**
 * The largest JSON body a subgraph takes: a request's uploads in base64 (4/3 of `maxFiles` × `maxBytes` of the
 * limits in force, see `configureUploads`) plus 1 MB for the rest.
 */
/** The paths a subgraph's own port answers (a metric label each; any other path is `unmatched`). */
const OWN_PATHS = new Set(['/graphql', '/health', '/livez', '/readyz', '/metrics']);

/** How long requests under way may take to finish once a process stops. */
export const DRAIN_MS = 10_000;

/**
 * Tells the gateway when an answer depended on who exactly the caller is (`extensions.callerSpecific`), so it
 * is never handed to another caller of the same organization and role.
 */
function markCallerSpecificAnswers(): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (!contextValue.callerReads?.personal || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [PERSONAL_EXTENSION]: true };
        },
      };
    },
  };
}

const uploadBodyLimit = ({ maxBytes, maxFiles } = uploadLimits()) => Math.ceil((maxBytes * maxFiles * 4) / 3) + 1024 * 1024;

export class SubgraphServer {
  readonly name: string;
  readonly apollo: ApolloServer<SubgraphContext>;
  /** Its event bus, when it has one: how many of its subscriptions listen (metrics, and tests that wait for one). */
  readonly bus?: EventBus;
  private readonly schema: GraphQLSchema;
  private stopWebSockets?: () => Promise<void>;
  private readonly orm: MikroORM;
  private readonly signer: IdentitySigner;
  private httpServer?: http.Server;
  /** Set once `stop()` begins: `/readyz` answers 503 while requests under way finish. */
  private draining = false;

  private readonly onStop?: () => Promise<void>;
  private readonly stopMetrics: () => void;
  /** Its job queues (pg-boss), when it declared any. */
  readonly jobs?: JobQueues;
  private readonly mailer?: Mailer;

  constructor({ name, schema, orm, signer, jobs, onStop, bus, mailer }: SubgraphServerOptions) {
    this.name = name;
    this.bus = bus;
    this.onStop = onStop;
    this.jobs = jobs;
    this.mailer = mailer;
    this.schema = schema;
    this.orm = orm;
    this.signer = signer;
    this.apollo = new ApolloServer<SubgraphContext>({
      schema,
      formatError,
      includeStacktraceInErrorResponses: false,
      // The process's entry point drains and stops everything in order on SIGTERM; Apollo's own handler would
      // stop this server early and send the signal again.
      stopOnTerminationSignals: false,
      // No cache hints are used (the gateway sets Cache-Control per door), and the plugin that computes them would
      // wrap every field's resolver in a hook.
      plugins: [
        ApolloServerPluginInlineTraceDisabled(),
        ApolloServerPluginCacheControlDisabled(),
        traceOperations(),
        markCallerSpecificAnswers(),
      ],
    });
    this.stopMetrics = this.reportMetrics();
  }

  /** Its subscriptions, job queues and database pool, read at each scrape of `/metrics` until it stops. */
  private reportMetrics(): () => void {
    const stops = [
      gauges.subscriptions(() => [{ labels: { where: this.name }, value: this.bus?.listening() ?? 0 }]),
      gauges.jobQueue(() => this.jobs?.depths() ?? []),
      gauges.databasePool(async () => {
        const connection = this.orm.em.getConnection() as unknown as { getNativeClient?: () => Promise<unknown> };
        // On a server, pg's pool; embedded, one PGlite session and nothing to report.
        const pool = (await connection.getNativeClient?.()) as { totalCount?: number; idleCount: number; waitingCount: number } | undefined;
        if (pool?.totalCount === undefined) return [];
        const labels = (state: string) => ({ subgraph: this.name, state });
        return [
          { labels: labels('busy'), value: pool.totalCount - pool.idleCount },
          { labels: labels('idle'), value: pool.idleCount },
          { labels: labels('waiting'), value: pool.waitingCount },
        ];
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** A fresh context: the verified identity (its personal fields' reads noted), a forked EntityManager and empty loaders. */
  contextFor(identity: Identity): SubgraphContext {
    const callerReads = new CallerReads();
    return { identity: callerReads.track(identity), callerReads, em: this.orm.em.fork(), loaders: new Loaders() };
  }

  /**
   * The context of one request, from the identity the gateway signed for this subgraph and this request
   * (`request` undefined: a WebSocket's connection_init, bound to its subscription later).
   */
  verifiedIdentity(token: string | string[] | undefined, request: BoundRequest | undefined): { identity: Identity; digest: string } {
    try {
      return this.signer.verify(Array.isArray(token) ? token[0] : token, this.name, request);
    } catch (error) {
      // Thrown from the context function, so it needs its HTTP status spelled out (else Apollo answers 500).
      throw new GraphQLError((error as Error).message, { extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } } });
    }
  }

  contextFromToken(token: string | string[] | undefined, request: BoundRequest): SubgraphContext {
    return this.contextFor(this.verifiedIdentity(token, request).identity);
  }

  /** Whether this subgraph's database answers a trivial query. */
  async databaseReachable(): Promise<boolean> {
    try {
      await this.orm.em.fork().getConnection().execute('select 1');
      return true;
    } catch {
      return false;
    }
  }

  async start(): Promise<void> {
    await this.apollo.start();
  }

  /** Starts a subscription in-process: its event stream, or the errors that refused it. */
  async subscribe(
    request: SubgraphRequest,
    identityToken: string | undefined,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const contextValue = this.contextFromToken(identityToken, request);
    let document;
    try {
      document = parse(request.query);
    } catch (error) {
      return { errors: [error as GraphQLError] };
    }
    const errors = validate(this.schema, document);
    if (errors.length) return { errors };
    return subscribe({
      schema: this.schema,
      document,
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue,
    });
  }

  /** Runs one operation in-process with a context built from the gateway's signed identity header. */
  async execute(request: SubgraphRequest, identityToken: string | undefined) {
    const contextValue = this.contextFromToken(identityToken, request);
    return this.apollo.executeOperation(request, { contextValue });
  }

  /** Serves `POST /graphql` and `GET /health` on its own port (0 picks a free one); returns the URL. */
  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    const app = express();
    app.disable('x-powered-by');
    app.use(this.observeRequests());
    app.get('/metrics', metricsEndpoint(this.metricsAccess));
    app.get('/health', async (_req, res) => {
      const database = await this.databaseReachable();
      res.status(database ? 200 : 503).json({ status: database ? 'ok' : 'unavailable', subgraph: this.name, database });
    });
    app.get('/livez', (_req, res) => void res.json({ status: 'alive' }));
    // It listens only once its migrations are applied; ready while its database answers and it is not stopping.
    app.get('/readyz', async (_req, res) => {
      if (this.draining) return void res.status(503).json({ status: 'draining', subgraph: this.name });
      const database = await this.databaseReachable();
      res.status(database ? 200 : 503).json({ status: database ? 'ready' : 'not_ready', subgraph: this.name, database });
    });
    app.use(
      '/graphql',
      // Needed for uploads alone: the gateway forwards a file base64-encoded inside the variables, so a served
      // subgraph's body holds the request's files and a third more, which the former 1 MB limit would refuse;
      // one MB is left for the query and other variables.
      express.json({ limit: uploadBodyLimit() }),
      expressMiddleware(this.apollo, {
        context: async ({ req }) => {
          const body = (req.body ?? {}) as Partial<BoundRequest>;
          const { identity } = this.verifiedIdentity(req.headers[IDENTITY_HEADER], {
            query: String(body.query ?? ''),
            variables: body.variables,
            operationName: body.operationName,
          });
          const scope = currentRequest();
          if (scope) {
            scope.operationName ??= body.operationName ?? undefined;
            scope.organizationId = identity.organizationId;
            scope.userId = identity.userId || undefined;
          }
          return this.contextFor(identity);
        },
      }),
    );
    this.httpServer = http.createServer(app);
    keepIdleConnections(this.httpServer);
    this.stopWebSockets = this.serveWebSockets(this.httpServer);
    await new Promise<void>((resolve) => this.httpServer!.listen(port, host, resolve));
    const { port: bound } = this.httpServer.address() as AddressInfo;
    return `http://${host}:${bound}/graphql`;
  }

  /**
   * Who may read this subgraph's `/metrics` when it listens on its own port (`serve.js` sets it from
   * `METRICS_TOKEN`); by default nobody.
   */
  metricsAccess: { token?: string; open: boolean } = { open: false };

  /**
   * Runs each request of its HTTP door in the scope of the gateway's request id (`X-Request-Id`, made here when
   * absent), then writes one access line and counts it: the gateway's line and this one share the id.
   */
  private observeRequests(): express.RequestHandler {
    const requestLog = log.child({ subgraph: this.name, component: 'http' });
    return (req, res, next) => {
      const startedAt = process.hrtime.bigint();
      const scope: RequestScope = { requestId: requestIdFrom(req.headers[REQUEST_ID_HEADER]) };
      res.setHeader('X-Request-Id', scope.requestId);
      // Read now: a mounted handler (`/graphql`) sees the path without its mount point.
      const path = req.path;
      // The gateway's trace goes on here when its `traceparent` came along.
      const traced = startServerSpan(req.headers, req.method, path, {
        [SUBGRAPH_ATTRIBUTE]: this.name,
        'salesgraph.request_id': scope.requestId,
      });
      if (traced) scope.traceId = traced.span.spanContext().traceId;
      res.once('finish', () => {
        const status = res.statusCode;
        const route = OWN_PATHS.has(path) ? path : 'unmatched';
        if (traced) endServerSpan(traced.span, { method: req.method, route: OWN_PATHS.has(path) ? path : undefined, status });
        observeRequest('subgraph', route, req.method, status, startedAt);
        const durationMs = Math.round(Number(process.hrtime.bigint() - startedAt) / 1e5) / 10;
        const line = { ...scope, method: req.method, path, status, durationMs, outcome: status >= 400 ? 'refused' : 'ok' };
        if (status >= 500) requestLog.warn(line, 'request failed');
        else if (path === '/graphql') requestLog.info(line, 'request');
        // Probes and scrapes come every few seconds: only when asked for.
        else requestLog.debug(line, 'request');
      });
      inRequest(scope, traced ? () => traced.run(next) : next);
    };
  }

  /**
   * Subscriptions over graphql-ws on `/graphql`. The gateway's signed identity comes in `connection_init`,
   * signed for one subscription: a connection carries that one subscription and nothing else.
   */
  private serveWebSockets(server: http.Server): () => Promise<void> {
    const wss = new WebSocketServer({ server, path: '/graphql' });
    const graphqlWs = useServer<Record<string, unknown>, { bound?: { identity: Identity; digest: string; used: boolean } }>(
      {
        schema: this.schema,
        onConnect: (ctx) => {
          const token = ctx.connectionParams?.[IDENTITY_HEADER];
          try {
            ctx.extra.bound = { ...this.verifiedIdentity(typeof token === 'string' ? token : undefined, undefined), used: false };
            return true;
          } catch {
            return false;
          }
        },
        onSubscribe: (ctx, _id, payload) => {
          const bound = ctx.extra.bound!;
          const request = { query: payload.query, variables: payload.variables, operationName: payload.operationName };
          if (bound.used || requestDigest(request) !== bound.digest) {
            return [
              new GraphQLError('This connection was authorised for another subscription', {
                extensions: { code: ErrorCode.Unauthenticated },
              }),
            ];
          }
          bound.used = true;
        },
        context: (ctx) => this.contextFor(ctx.extra.bound!.identity),
      },
      wss,
    );
    return async () => {
      await graphqlWs.dispose();
      await new Promise((resolve) => wss.close(resolve));
    };
  }

  /**
   * Stops serving HTTP and WebSockets (subscriptions end; requests under way get `graceMs` to finish); in-process
   * execution goes on.
   */
  async stopListening(graceMs = DRAIN_MS): Promise<void> {
    await this.stopWebSockets?.();
    this.stopWebSockets = undefined;
    const server = this.httpServer;
    this.httpServer = undefined;
    if (!server) return;
    await closeGracefully(server, graceMs);
  }

  /**
   * Stops in the order that loses nothing: `/readyz` turns 503, the port stops accepting and requests under way
   * finish (within `graceMs`), then job handlers under way finish (unfinished ones are retried elsewhere once they
   * expire), then its listeners, the server and its database connections close.
   */
  async stop(graceMs = DRAIN_MS): Promise<void> {
    this.draining = true;
    this.stopMetrics();
    await this.stopListening(graceMs);
    // Each step within a bound: after a database outage a step can wait on a connection that never answers,
    // and a stop that never ends keeps the process (and its port) alive.
    await within(STEP_MS, `${this.name}: job queues`, this.jobs?.stop());
    this.mailer?.close();
    await within(STEP_MS, `${this.name}: its own services`, this.onStop?.());
    await within(STEP_MS, `${this.name}: GraphQL server`, this.apollo.stop());
    // The pool's close waits for every checked-out connection (see releaseDeadConnections): forced as a last resort.
    if (!(await within(STEP_MS, `${this.name}: database connections`, this.orm.close())))
      await within(STEP_MS, `${this.name}: database connections, forced`, this.orm.close(true));
  }
}

/** How long each step of `stop` after the drain may take before it is given up on. */
const STEP_MS = 10_000;

/** Waits for `step` at most `ms`; false (and a warning) when it failed or took longer. */
async function within(ms: number, what: string, step: Promise<unknown> | undefined): Promise<boolean> {
  if (!step) return true;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    step.then(
      () => 'done',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    ),
    new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms))),
  ]);
  clearTimeout(timer);
  if (outcome === 'done') return true;
  if (outcome === 'late') log.warn({ step: what, ms }, 'stopping: a step did not end in time, going on');
  else log.warn({ step: what, reason: outcome }, 'stopping: a step failed, going on');
  return false;
}

/**
 * Stops `server` accepting connections and lets the requests under way finish, for at most `graceMs`; then
 * `beforeCut` may end what is still open cleanly (streams), and the connections still open are cut. Keep-alive
 * connections are closed as soon as they fall idle.
 */
export async function closeGracefully(server: http.Server, graceMs: number, beforeCut?: () => Promise<void>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  const cut = setTimeout(() => {
    void (beforeCut?.() ?? Promise.resolve()).catch(() => {}).then(() => server.closeAllConnections());
  }, graceMs);
  try {
    await closed;
  } finally {
    clearInterval(idle);
    clearTimeout(cut);
  }
}

/**
 * Idle keep-alive connections stay open a minute (Node closes them after 5 s). A client reuses an idle
 * connection until just before the timeout the server announces, so with a short one a busy event loop on
 * either side lets a request meet a connection the server is closing: the client sees ECONNRESET.
 */
export function keepIdleConnections(server: http.Server): void {
  server.keepAliveTimeout = 60_000;
  // Must outlast keepAliveTimeout, or a request arriving on an idle connection could be cut off.
  server.headersTimeout = 61_000;
}
