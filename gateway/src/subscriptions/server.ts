import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError, getOperationAST, getVariableValues, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { ErrorCode, type Identity, type IdentitySigner, type SubgraphClient, type SubgraphResponse } from '@salesgraph/platform';
import type { Authenticator } from '../authenticate.js';
import type { GatewayContext } from '../context.js';
import type { RateLimiter } from '../rate-limit.js';
import { credentialHeaders, originAllowed } from './credentials.js';
import { exactIdentity, hydrate } from './hydrate.js';
import { planSubscription, type SubscriptionPlan } from './plan.js';
import { PresenceReporter } from './presence.js';
import type { SchemaRegistry } from './schema-registry.js';
import { watchSlowSockets, type SlowSocketOptions } from './slow-sockets.js';
import { SubscriptionStream } from './stream.js';
import { UpstreamHub } from './upstream-hub.js';
import { parseAndValidate } from './validation.js';

export interface SubscriptionLimits extends SlowSocketOptions {
  /** @default 50 */
  maxSubscriptionsPerConnection?: number;
  /** Open connections of one user or API key; more are closed with 4429. @default 100 */
  maxConnectionsPerIdentity?: number;
  /** Upstream events waiting for hydration, per subscription (oldest dropped). @default 100 */
  queueCapacity?: number;
  /** A connection without credentials in `connection_init` must authenticate a subscription within this. @default 10_000 */
  authTimeoutMs?: number;
}

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  /** @default '/graphql' */
  path?: string;
  apollo: ApolloServer<GatewayContext>;
  clients: Map<string, SubgraphClient>;
  authenticator: Authenticator;
  signer: IdentitySigner;
  rateLimiter?: RateLimiter;
  schemas: SchemaRegistry;
  corsOrigins: string[] | '*';
  limits?: SubscriptionLimits;
  /** Validation errors lose their "Did you mean" hints, as over HTTP. */
  production?: boolean;
}

export interface SubscriptionServer {
  /** Live streams, for observing backpressure (tests, metrics). */
  readonly streams: Set<SubscriptionStream<unknown>>;
  /** Upstream subscriptions shared by those streams. */
  readonly upstreams: UpstreamHub<SubgraphResponse>;
  /** Closes every socket (1001 Going away), ending their subscriptions upstream too. */
  dispose(): Promise<void>;
}

type Authenticated = Identity & { expiresAt?: number };

interface Connection {
  ip: string;
  identity?: Authenticated;
  /** Its identity's key in the per-identity connection count, once counted. */
  counted?: string;
  /** Its presence registration with the identity subgraph, once signed in as a user. */
  presenceId?: Promise<string | undefined>;
  subscriptions: Set<string>;
  timers: Set<NodeJS.Timeout>;
}

type ConnectionExtra = Extra & Partial<{ connection: Connection }>;

interface BridgeContext {
  identity: Identity;
  plan: SubscriptionPlan;
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const error = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/**
 * GraphQL subscriptions over graphql-ws on the gateway's own port and path. Each subscription is bridged:
 * the owning subgraph streams event keys, and every event is hydrated through the gateway with the
 * client's selection (see plan.ts). Anonymous subscriptions are refused; sockets close when the access
 * token expires.
 */
export function attachSubscriptions(options: SubscriptionServerOptions): SubscriptionServer {
  const { httpServer, path = '/graphql', apollo, clients, authenticator, signer, rateLimiter, schemas, corsOrigins, limits = {} } = options;
  const { maxSubscriptionsPerConnection = 50, maxConnectionsPerIdentity = 100, queueCapacity = 100, authTimeoutMs = 10_000 } = limits;
  const connectionsOf = new Map<string, number>();
  const streams = new Set<SubscriptionStream<unknown>>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const inFlight = new Map<string, Promise<ExecutionResult | null>>();
  const upstreams = new UpstreamHub<SubgraphResponse>();
  const identityClient = clients.get('identity');
  const presence = identityClient && new PresenceReporter(identityClient, signer);

  const close = (ctx: WsContext<Record<string, unknown>, ConnectionExtra>, code: number, reason: string) => {
    if (ctx.extra.socket.readyState === ctx.extra.socket.OPEN) ctx.extra.socket.close(code, reason);
  };

  /** Authenticates a credential; closes the socket (and returns undefined) when it is wrong. */
  const authenticate = async (ctx: WsContext<Record<string, unknown>, ConnectionExtra>, headers: http.IncomingHttpHeaders): Promise<Authenticated | undefined> => {
    try {
      const identity = await authenticator.authenticate(headers, ctx.extra.connection!.ip);
      if (identity.kind === 'anonymous') throw new Error('anonymous');
      const who = exactIdentity(identity);
      const open = connectionsOf.get(who) ?? 0;
      if (open >= maxConnectionsPerIdentity) {
        close(ctx, CloseCode.TooManyInitialisationRequests, `At most ${maxConnectionsPerIdentity} connections per user`);
        return undefined;
      }
      connectionsOf.set(who, open + 1);
      ctx.extra.connection!.counted = who;
      expireWith(ctx, identity);
      ctx.extra.connection!.presenceId ??= presence?.connected(identity);
      return identity;
    } catch (failure) {
      const code = (failure as { extensions?: { code?: string } }).extensions?.code;
      // 4401, not 4403: graphql-ws clients retry a 4403 but (rightly) give up on a credential that is wrong.
      if (code === ErrorCode.Unauthenticated) close(ctx, CloseCode.Unauthorized, (failure as Error).message);
      else {
        console.error('subscription authentication failed', (failure as Error).message);
        close(ctx, 1013, 'Authentication is unavailable, try again');
      }
      return undefined;
    }
  };

  /** graphql-ws never re-authenticates: the socket closes when the token it was opened with expires. */
  const expireWith = (ctx: WsContext<Record<string, unknown>, ConnectionExtra>, identity: Authenticated) => {
    if (identity.expiresAt === undefined) return;
    const timer = setTimeout(() => close(ctx, CloseCode.Unauthorized, 'token expired'), Math.min(Math.max(identity.expiresAt - Date.now(), 0), MAX_TIMEOUT_MS));
    timer.unref();
    ctx.extra.connection!.timers.add(timer);
  };

  const graphqlWs = useServer<Record<string, unknown>, { connection: Connection }>(
    {
      connectionInitWaitTimeout: 5_000,
      onConnect: async (ctx) => {
        const connection: Connection = { ip: ctx.extra.request.socket.remoteAddress ?? 'unknown', subscriptions: new Set(), timers: new Set() };
        ctx.extra.connection = connection;
        const headers = credentialHeaders(ctx.connectionParams);
        if (headers) {
          connection.identity = await authenticate(ctx, headers);
          return connection.identity ? true : false;
        }
        // GraphiQL sends its headers with each subscription (extensions.headers), not in connection_init:
        // such a connection is acknowledged, but must authenticate a subscription soon.
        const deadline = setTimeout(() => {
          if (!connection.identity) close(ctx, CloseCode.Unauthorized, 'Authentication required: send { Authorization: "Bearer <token>" } in connection_init');
        }, authTimeoutMs);
        deadline.unref();
        connection.timers.add(deadline);
        return true;
      },

      onSubscribe: async (ctx, id, payload) => {
        const connection = ctx.extra.connection!;
        const perOperation = credentialHeaders((payload.extensions as { headers?: unknown } | undefined)?.headers);
        let identity: Authenticated | undefined = connection.identity;
        if (perOperation && !identity) {
          identity = await authenticate(ctx, perOperation);
          if (!identity) return [error('Invalid credentials', ErrorCode.Unauthenticated)];
          connection.identity = identity;
        }
        if (!identity) {
          close(ctx, CloseCode.Unauthorized, 'Authentication required: send { Authorization: "Bearer <token>" } in connection_init');
          return [error('Authentication required', ErrorCode.Unauthenticated)];
        }
        if (connection.subscriptions.size >= maxSubscriptionsPerConnection) {
          return [error(`At most ${maxSubscriptionsPerConnection} subscriptions per connection`, ErrorCode.RateLimited)];
        }
        const decision = rateLimiter?.take(identity, connection.ip);
        if (decision && !decision.allowed) return [error(`Rate limit of ${decision.limit} requests per minute exceeded`, ErrorCode.RateLimited)];
        const schema = schemas.current;
        if (!schema) return [error('The gateway is starting, try again', ErrorCode.ServiceUnavailable)];

        const parsed = parseAndValidate(schema.apiSchema, payload.query, options.production);
        if ('errors' in parsed) return [...parsed.errors];
        const operation = getOperationAST(parsed.document, payload.operationName);
        if (!operation) return [error('Unable to identify the operation (operationName?)', 'BAD_REQUEST')];
        if (operation.operation !== 'subscription') {
          return [error('This WebSocket serves subscriptions; send queries and mutations with HTTP POST /graphql', 'BAD_REQUEST')];
        }
        const variables = (payload.variables ?? {}) as Record<string, unknown>;
        const coerced = getVariableValues(schema.apiSchema, operation.variableDefinitions ?? [], variables, { maxErrors: 20 });
        if (coerced.errors) return coerced.errors.map((e) => new GraphQLError(e.message, { extensions: { code: ErrorCode.BadUserInput } }));
        let plan: SubscriptionPlan;
        try {
          plan = planSubscription(schema.apiSchema, schema.index, parsed.document, payload.operationName, variables);
        } catch (failure) {
          return [failure instanceof GraphQLError ? failure : error(String(failure), 'BAD_REQUEST')];
        }
        if (!clients.has(plan.owner)) return [error(`Subgraph "${plan.owner}" is not available`, ErrorCode.ServiceUnavailable)];
        connection.subscriptions.add(id);
        const { expiresAt: _expiresAt, ...plain } = identity;
        const args: ExecutionArgs = {
          schema: schema.apiSchema,
          document: parsed.document,
          operationName: payload.operationName,
          variableValues: variables,
          contextValue: { identity: plain, plan } satisfies BridgeContext,
        };
        return args;
      },

      subscribe: async (args) => {
        const { identity, plan } = args.contextValue as BridgeContext;
        const signed = await signer.sign(identity);
        // Only the very same caller shares an upstream: subgraph filters may be per user (incomingTransfer).
        const key = [plan.owner, exactIdentity(identity), plan.upstream.query, JSON.stringify(plan.upstream.variables ?? {})].join('\n');
        const upstream = upstreams.tap(key, () => clients.get(plan.owner)!.subscribe(plan.upstream, signed));
        const stream: SubscriptionStream<SubgraphResponse> = new SubscriptionStream(
          upstream,
          (event) => hydrate({ apollo, signer, inFlight }, plan, identity, event),
          { capacity: queueCapacity, keyOf: coalescingKey(plan) },
          () => streams.delete(stream as SubscriptionStream<unknown>),
        );
        streams.add(stream as SubscriptionStream<unknown>);
        return stream;
      },

      execute: () => ({ errors: [error('This WebSocket serves subscriptions only', 'BAD_REQUEST')] }),
      onComplete: (ctx, id) => void ctx.extra.connection?.subscriptions.delete(id),
      onClose: (ctx) => {
        const counted = ctx.extra.connection?.counted;
        if (counted) {
          const left = (connectionsOf.get(counted) ?? 1) - 1;
          if (left > 0) connectionsOf.set(counted, left);
          else connectionsOf.delete(counted);
        }
        for (const timer of ctx.extra.connection?.timers ?? []) clearTimeout(timer);
        void ctx.extra.connection?.presenceId?.then((id) => (id ? presence?.disconnected(id) : undefined));
      },
    },
    wss,
  );

  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(request.url ?? '/', 'http://gateway').pathname;
    if (pathname !== path) return refuse(socket, 404, 'Not Found');
    if (!originAllowed(request.headers.origin, request.headers.host, corsOrigins)) return refuse(socket, 403, 'Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  httpServer.on('upgrade', onUpgrade);
  const stopWatching = watchSlowSockets(() => wss.clients, limits);

  return {
    streams,
    upstreams,
    async dispose() {
      httpServer.off('upgrade', onUpgrade);
      stopWatching();
      presence?.stop();
      // Clients that don't answer the close handshake are cut after a second.
      const cut = setTimeout(() => wss.clients.forEach((c) => c.terminate()), 1_000);
      try {
        await graphqlWs.dispose();
      } finally {
        clearTimeout(cut);
      }
    },
  };
}

/** Hydration reads current state, so queued events about the same thing are worth one hydration. */
function coalescingKey(plan: SubscriptionPlan): ((event: SubgraphResponse) => string | undefined) | undefined {
  const { hydration, fieldName } = plan;
  if (hydration.kind === 'list') return (event) => (event.errors?.length ? undefined : 'list');
  if (hydration.kind === 'entity') return (event) => entityKey(event.data?.[fieldName], hydration.keyField);
  return undefined;
}

function entityKey(value: unknown, keyField: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const key = record[keyField];
  return key === undefined || key === null ? undefined : `${String(record.__typename)}:${String(key)}`;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
