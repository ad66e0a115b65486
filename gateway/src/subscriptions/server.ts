import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError, OperationTypeNode, getOperationAST, getVariableValues, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import {
  ANONYMOUS,
  ErrorCode,
  metrics,
  type Identity,
  type RealtimeHooks,
  type SubgraphClient,
  type SubgraphResponse,
} from '@salesgraph/platform';
import { admit } from '../admission.js';
import { withoutSuggestions } from '../hardening.js';
import type { Authenticated, Authenticator, Revocation } from '../authenticate.js';
import type { GatewayContext } from '../context.js';
import type { RateLimiter } from '../rate-limit.js';
import { credentialHeaders, originAllowed } from './credentials.js';
import { hydrate } from './hydrate.js';
import { exactIdentity } from '../views.js';
import { planSubscription, type SubscriptionPlan } from './plan.js';
import type { SchemaRegistry } from './schema-registry.js';
import { watchSlowSockets, type SlowSocketOptions } from './slow-sockets.js';
import { SubscriptionStream } from './stream.js';
import { UpstreamHub } from './upstream-hub.js';
import { parseAndValidate } from './validation.js';
import { clientOf, type ClientInfo, type TrustedDocumentGate } from '../trusted-documents/gate.js';

export interface SubscriptionLimits extends SlowSocketOptions {
  /** @default 50 */
  maxSubscriptionsPerConnection?: number;
  /** Open connections of one user (its API keys count as the user); more are closed with 4429. @default 100 */
  maxConnectionsPerIdentity?: number;
  /** Upstream events waiting for hydration, per subscription (oldest dropped). @default 100 */
  queueCapacity?: number;
  /**
   * A connection without credentials in `connection_init` must authenticate a subscription, or start one of a
   * public field (anonymously), within this. @default 10_000
   */
  authTimeoutMs?: number;
  /**
   * Connections from one address that have not authenticated yet, anonymous ones (public subscriptions, e.g.
   * the web chat widget's) included for as long as they are open; more are refused (HTTP 429). @default 20
   */
  maxPendingConnectionsPerIp?: number;
}

/**
 * Close codes this server uses besides graphql-ws's own. graphql-ws clients retry none of them but 1013.
 * - 4401: the credential is wrong, or the access token expired (sign in again, then reconnect).
 * - 1008 (policy violation): the credential was revoked while the socket was open — logout, password
 *   change, deactivation, deletion, API key revocation.
 * - 4429: too many connections for one user (API keys count as their user), or the address spent its
 *   budget on refused credentials.
 * - 1013 (try again later): identity could not be asked; this one is retried.
 */
export const CloseCodes = {
  Unauthorized: CloseCode.Unauthorized,
  Revoked: 1008,
  TooManyConnections: CloseCode.TooManyInitialisationRequests,
  TryAgainLater: 1013,
} as const;

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  /** @default '/graphql' */
  path?: string;
  apollo: ApolloServer<GatewayContext>;
  clients: Map<string, SubgraphClient>;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  /** The client's address from the upgrade request (Express's `trust proxy` rule, so HTTP and WS agree). */
  clientIp?: (request: http.IncomingMessage) => string;
  schemas: SchemaRegistry;
  corsOrigins: string[] | '*';
  limits?: SubscriptionLimits;
  /** Told of every signed-in connection (presence), as the subgraphs declared them. */
  realtime?: RealtimeHooks[];
  /** Validation errors lose their "Did you mean" hints, as over HTTP. */
  production?: boolean;
  /** Upgrades of paths another server on this port answers (Socket.IO's): left alone rather than refused. */
  passUpgrade?: (pathname: string) => boolean;
  /**
   * Runs a subscribe payload's `documentId` (with `query: ""`, which graphql-ws requires) and holds restricted
   * clients to their registered documents, as on HTTP. The client names itself in `connection_init`
   * (`graphql-client-name`) or in the upgrade request's headers.
   */
  trustedDocuments?: TrustedDocumentGate;
}

/**
 * What another realtime door (Socket.IO) shares with graphql-ws: the same per-user connection allowance and
 * presence, and bridged subscriptions from the same upstreams, hydration and bounded queues.
 */
export interface RealtimeBridge {
  /**
   * Counts a signed-in socket against its user's allowance and tells the realtime hooks (presence). Returns
   * its `leave`, or undefined (nothing counted) when the user already has the most connections allowed.
   */
  join(identity: Identity): (() => void) | undefined;
  /** A subscription run as `identity`, planned and hydrated as a graphql-ws one with that document would be. */
  open(
    identity: Identity,
    request: { query: string; operationName?: string; variables?: Record<string, unknown> },
  ): SubscriptionStream<SubgraphResponse>;
  readonly maxConnectionsPerIdentity: number;
}

export interface SubscriptionServer {
  /** Live streams, for observing backpressure (tests, metrics). */
  readonly streams: Set<SubscriptionStream<unknown>>;
  /** Upstream subscriptions shared by those streams. */
  readonly upstreams: UpstreamHub<SubgraphResponse>;
  /** Open graphql-ws sockets (metrics). */
  readonly connections: number;
  readonly bridge: RealtimeBridge;
  /** Closes every socket (1001 Going away), ending their subscriptions upstream too. */
  dispose(): Promise<void>;
}

type WsCtx = WsContext<Record<string, unknown>, ConnectionExtra>;

/** A socket's address, counted as pending until the socket authenticates. */
interface Admission {
  ip: string;
  pending: boolean;
}

interface Connection {
  ip: string;
  admission?: Admission;
  identity?: Authenticated;
  /** It runs subscriptions of public fields without credentials (it stays counted as pending for its address). */
  anonymous?: boolean;
  /** The credential it authenticated with, to check again when credentials are revoked. */
  credential?: http.IncomingHttpHeaders;
  /** Its live subscriptions, to follow a role change. */
  bridges: Set<Bridge>;
  close(code: number, reason: string): void;
  /** Its identity's key in the per-identity connection count, once counted. */
  counted?: string;
  /** Its registrations with each realtime hook (e.g. presence), once signed in. */
  registrations?: Promise<(string | undefined)[]>;
  subscriptions: Set<string>;
  timers: Set<NodeJS.Timeout>;
  /** Who the client says it is (trusted documents). */
  client: ClientInfo;
}

type ConnectionExtra = Extra & Partial<{ connection: Connection }>;

interface BridgeContext {
  identity: Identity;
  plan: SubscriptionPlan;
  connection: Connection;
}

/** One client subscription: whom it runs as (changes with a role change), and its stream. */
interface Bridge {
  identity: Identity;
  plan: SubscriptionPlan;
  stream?: SubscriptionStream<SubgraphResponse>;
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const error = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/**
 * GraphQL subscriptions over graphql-ws on the gateway's own port and path. Each subscription is bridged:
 * the owning subgraph streams event keys, and every event is hydrated through the gateway with the
 * client's selection (see plan.ts). Without credentials only public fields (no `@authorized`, e.g. the web
 * chat widget's, which take a secret of their own as an argument) may be subscribed to; sockets close when the access
 * token expires.
 */
export function attachSubscriptions(options: SubscriptionServerOptions): SubscriptionServer {
  const {
    httpServer,
    path = '/graphql',
    apollo,
    clients,
    authenticator,
    rateLimiter,
    schemas,
    corsOrigins,
    limits = {},
    realtime = [],
  } = options;
  const clientIp = options.clientIp ?? ((request: http.IncomingMessage) => request.socket.remoteAddress ?? 'unknown');
  const {
    maxSubscriptionsPerConnection = 50,
    maxConnectionsPerIdentity = 100,
    queueCapacity = 100,
    authTimeoutMs = 10_000,
    maxPendingConnectionsPerIp = 20,
  } = limits;
  const connections = new Set<Connection>();
  /** Connections per address that have not authenticated yet. */
  const pendingOf = new Map<string, number>();
  const settlePending = (admission: Admission | undefined) => {
    if (!admission?.pending) return;
    admission.pending = false;
    const left = (pendingOf.get(admission.ip) ?? 1) - 1;
    if (left > 0) pendingOf.set(admission.ip, left);
    else pendingOf.delete(admission.ip);
  };
  const connectionsOf = new Map<string, number>();
  /** Realtime hooks still telling subgraphs of closed sockets (presence going offline); `dispose` waits for them. */
  const departures = new Set<Promise<unknown>>();
  const streams = new Set<SubscriptionStream<unknown>>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const inFlight = new Map<string, Promise<ExecutionResult | null>>();
  const upstreams = new UpstreamHub<SubgraphResponse>();

  /** Open connections are counted per user: a user's API keys share the user's allowance. */
  const counterOf = (identity: Identity) => `${identity.organizationId}:${identity.userId}`;

  /** Authenticates a credential; closes the socket (and returns undefined) when it is wrong. */
  const authenticate = async (ctx: WsCtx, headers: http.IncomingHttpHeaders): Promise<Authenticated | undefined> => {
    const connection = ctx.extra.connection!;
    const admitted = await admit(authenticator, rateLimiter, headers, connection.ip);
    if ('refused' in admitted) {
      const { status, message } = admitted.refused;
      // 4401, not 4403: graphql-ws clients retry a 4403 but (rightly) give up on a credential that is wrong.
      connection.close(
        status === 401 ? CloseCodes.Unauthorized : status === 429 ? CloseCodes.TooManyConnections : CloseCodes.TryAgainLater,
        message,
      );
      return undefined;
    }
    const { identity } = admitted;
    if (identity.kind === 'anonymous') {
      connection.close(CloseCodes.Unauthorized, 'Authentication required');
      return undefined;
    }
    const who = count(identity);
    if (!who) {
      connection.close(CloseCodes.TooManyConnections, `At most ${maxConnectionsPerIdentity} connections per user`);
      return undefined;
    }
    connection.counted = who;
    connection.credential = headers;
    settlePending(connection.admission);
    expireWith(connection, identity);
    connection.registrations ??= Promise.all(realtime.map((hooks) => hooks.connected(identity)));
    return identity;
  };

  /** Counts one more connection of the identity's user; undefined when it has the most allowed. */
  const count = (identity: Identity): string | undefined => {
    const who = counterOf(identity);
    const open = connectionsOf.get(who) ?? 0;
    if (open >= maxConnectionsPerIdentity) return undefined;
    connectionsOf.set(who, open + 1);
    return who;
  };
  const uncount = (who: string | undefined) => {
    if (!who) return;
    const left = (connectionsOf.get(who) ?? 1) - 1;
    if (left > 0) connectionsOf.set(who, left);
    else connectionsOf.delete(who);
  };
  /** Tells the realtime hooks a connection went, once they answered its arrival; `dispose` waits for them. */
  const depart = (registrations: Promise<(string | undefined)[]> | undefined) => {
    const leaving = registrations
      ?.then((handles) => Promise.all(handles.map((handle, i) => (handle === undefined ? undefined : realtime[i].disconnected(handle)))))
      .catch(() => undefined);
    if (leaving) {
      departures.add(leaving);
      void leaving.finally(() => departures.delete(leaving));
    }
  };

  /** graphql-ws never re-authenticates: the socket closes when the token it was opened with expires. */
  const expireWith = (connection: Connection, identity: Authenticated) => {
    if (identity.expiresAt === undefined) return;
    const timer = setTimeout(
      () => connection.close(CloseCodes.Unauthorized, 'token expired'),
      Math.min(Math.max(identity.expiresAt - Date.now(), 0), MAX_TIMEOUT_MS),
    );
    timer.unref();
    connection.timers.add(timer);
  };

  /** The upstream a bridge reads: shared only by the very same caller (subgraph filters may be per user). */
  const upstreamOf = (bridge: Bridge) => {
    const { plan, identity } = bridge;
    const key = [plan.owner, exactIdentity(identity), plan.upstream.query, JSON.stringify(plan.upstream.variables ?? {})].join('\n');
    return upstreams.tap(key, () => clients.get(plan.owner)!.subscribe(plan.upstream, identity));
  };

  const streamOf = (bridge: Bridge, onStop?: () => void) => {
    const { plan } = bridge;
    const stream: SubscriptionStream<SubgraphResponse> = new SubscriptionStream(
      upstreamOf(bridge),
      // The bridge's identity, not the one it started with: a role change applies to the next event.
      (event) => hydrate({ apollo, inFlight }, plan, bridge.identity, event),
      { capacity: queueCapacity, keyOf: coalescingKey(plan) },
      () => {
        streams.delete(stream as SubscriptionStream<unknown>);
        onStop?.();
      },
    );
    streams.add(stream as SubscriptionStream<unknown>);
    return stream;
  };

  const realtimeBridge: RealtimeBridge = {
    maxConnectionsPerIdentity,
    join(identity) {
      const who = count(identity);
      if (!who) return undefined;
      const registrations = Promise.all(realtime.map((hooks) => hooks.connected(identity)));
      let left = false;
      return () => {
        if (left) return;
        left = true;
        uncount(who);
        depart(registrations);
      };
    },
    open(identity, { query, operationName, variables = {} }) {
      const schema = schemas.current;
      if (!schema) throw error('The gateway is starting, try again', ErrorCode.ServiceUnavailable);
      const parsed = parseAndValidate(schema.apiSchema, query, options.production);
      if ('errors' in parsed) throw parsed.errors[0];
      const plan = planSubscription(schema.apiSchema, schema.index, parsed.document, operationName, variables);
      if (!clients.has(plan.owner)) throw error(`Subgraph "${plan.owner}" is not available`, ErrorCode.ServiceUnavailable);
      const { expiresAt: _expiresAt, ...plain } = identity as Authenticated;
      return streamOf({ identity: plain, plan });
    },
  };

  /**
   * Checks an open connection's credential again after a revocation: closed (1008) when it no longer
   * stands; when its role changed, its subscriptions go on as the new role, from new upstreams.
   */
  const recheck = async (connection: Connection) => {
    if (!connection.credential || !connection.identity) return;
    let identity: Authenticated;
    try {
      identity = await authenticator.authenticate(connection.credential, connection.ip);
    } catch (failure) {
      const code = (failure as { extensions?: { code?: string } }).extensions?.code;
      if (code === ErrorCode.Unauthenticated) connection.close(CloseCodes.Revoked, `Credential revoked: ${(failure as Error).message}`);
      // The credential authority is unreachable: the socket stays, as HTTP requests of known sessions do.
      return;
    }
    if (exactIdentity(identity) === exactIdentity(connection.identity)) return;
    connection.identity = identity;
    const { expiresAt: _expiresAt, ...plain } = identity;
    for (const bridge of connection.bridges) {
      bridge.identity = plain;
      bridge.stream?.switchSource(upstreamOf(bridge));
    }
  };

  const matches = (connection: Connection, revocation: Revocation | 'all') => {
    const identity = connection.identity;
    if (!identity) return false;
    if (revocation === 'all') return true;
    return (
      (revocation.userId !== undefined && identity.userId === revocation.userId) ||
      (revocation.sessionId !== undefined && identity.sessionId === revocation.sessionId) ||
      (revocation.apiKeyId !== undefined && identity.apiKeyId === revocation.apiKeyId)
    );
  };
  const stopFollowingRevocations = authenticator.onRevocation((revocation) => {
    for (const connection of connections) if (matches(connection, revocation)) void recheck(connection);
  });

  const graphqlWs = useServer<Record<string, unknown>, { connection: Connection }>(
    {
      connectionInitWaitTimeout: 5_000,
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        const admission = admissions.get(socket);
        const connection: Connection = {
          ip: admission?.ip ?? clientIp(ctx.extra.request),
          admission,
          subscriptions: new Set(),
          timers: new Set(),
          bridges: new Set(),
          client: clientOfConnection(ctx.connectionParams, ctx.extra.request.headers),
          close: (code, reason) => {
            if (socket.readyState === socket.OPEN) socket.close(code, reason);
          },
        };
        ctx.extra.connection = connection;
        connections.add(connection);
        const headers = credentialHeaders(ctx.connectionParams);
        if (headers) {
          connection.identity = await authenticate(ctx, headers);
          return connection.identity ? true : false;
        }
        // GraphiQL sends its headers with each subscription (extensions.headers), not in connection_init:
        // such a connection is acknowledged, but must authenticate a subscription soon.
        const deadline = setTimeout(() => {
          if (!connection.identity && !connection.anonymous)
            connection.close(
              CloseCodes.Unauthorized,
              'Authentication required: send { Authorization: "Bearer <token>" } in connection_init',
            );
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
        // Without credentials, only a public field: checked once the operation is planned.
        identity ??= { ...ANONYMOUS, ip: connection.ip };
        if (connection.subscriptions.size >= maxSubscriptionsPerConnection) {
          return [error(`At most ${maxSubscriptionsPerConnection} subscriptions per connection`, ErrorCode.RateLimited)];
        }
        const decision = await rateLimiter.take(identity, connection.ip);
        if (!decision.allowed) return [error(`Rate limit of ${decision.limit} requests per minute exceeded`, ErrorCode.RateLimited)];
        const schema = schemas.current;
        if (!schema) return [error('The gateway is starting, try again', ErrorCode.ServiceUnavailable)];

        let query: unknown = payload.query;
        if (options.trustedDocuments) {
          const decision = await options.trustedDocuments.decide(connection.client, payload, false);
          if ('refused' in decision) return [error(decision.refused.message, decision.refused.code)];
          if ('query' in decision) query = decision.query;
        }
        const parsed = parseAndValidate(schema.apiSchema, query, options.production);
        if ('errors' in parsed) return [...parsed.errors];
        const operation = getOperationAST(parsed.document, payload.operationName);
        if (!operation) return [error('Unable to identify the operation (operationName?)', 'BAD_REQUEST')];
        if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
          return [error('This WebSocket serves subscriptions; send queries and mutations with HTTP POST /graphql', 'BAD_REQUEST')];
        }
        const variables = payload.variables ?? {};
        const coerced = getVariableValues(schema.apiSchema, operation.variableDefinitions ?? [], variables, { maxErrors: 20 });
        if (coerced.errors) {
          return coerced.errors.map(
            (e) =>
              new GraphQLError(options.production ? withoutSuggestions(e.message) : e.message, {
                extensions: { code: ErrorCode.BadUserInput },
              }),
          );
        }
        let plan: SubscriptionPlan;
        try {
          plan = planSubscription(schema.apiSchema, schema.index, parsed.document, payload.operationName, variables);
        } catch (failure) {
          return [failure instanceof GraphQLError ? failure : error(String(failure), 'BAD_REQUEST')];
        }
        if (identity.kind === 'anonymous') {
          if (!schema.index.isPublic(schema.apiSchema.getSubscriptionType()!.name, plan.fieldName)) {
            connection.close(
              CloseCodes.Unauthorized,
              'Authentication required: send { Authorization: "Bearer <token>" } in connection_init',
            );
            return [error('Authentication required', ErrorCode.Unauthenticated)];
          }
          connection.anonymous = true;
        }
        if (!clients.has(plan.owner)) return [error(`Subgraph "${plan.owner}" is not available`, ErrorCode.ServiceUnavailable)];
        connection.subscriptions.add(id);
        const { expiresAt: _expiresAt, ...plain } = identity;
        const args: ExecutionArgs = {
          schema: schema.apiSchema,
          document: parsed.document,
          operationName: payload.operationName,
          variableValues: variables,
          contextValue: { identity: plain, plan, connection } satisfies BridgeContext,
        };
        return args;
      },

      subscribe: async (args) => {
        const { identity, plan, connection } = args.contextValue as BridgeContext;
        const bridge: Bridge = { identity, plan };
        bridge.stream = streamOf(bridge, () => connection.bridges.delete(bridge));
        connection.bridges.add(bridge);
        return bridge.stream;
      },

      execute: () => ({ errors: [error('This WebSocket serves subscriptions only', 'BAD_REQUEST')] }),
      onComplete: (ctx, id) => void ctx.extra.connection?.subscriptions.delete(id),
      onClose: (ctx) => {
        if (ctx.extra.connection) connections.delete(ctx.extra.connection);
        uncount(ctx.extra.connection?.counted);
        for (const timer of ctx.extra.connection?.timers ?? []) clearTimeout(timer);
        depart(ctx.extra.connection?.registrations);
      },
    },
    wss,
  );

  /** Sockets counted against their address until they authenticate (or close). */
  const admissions = new WeakMap<object, Admission>();
  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(request.url ?? '/', 'http://gateway').pathname;
    if (options.passUpgrade?.(pathname)) return;
    if (pathname !== path) return refuse(socket, 404, 'Not Found');
    if (!originAllowed(request.headers.origin, request.headers.host, corsOrigins)) return refuse(socket, 403, 'Forbidden');
    const ip = clientIp(request);
    if ((pendingOf.get(ip) ?? 0) >= maxPendingConnectionsPerIp) {
      metrics.rateLimited.inc({ limit: 'connections' });
      return refuse(socket, 429, 'Too Many Requests');
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const admission: Admission = { ip, pending: true };
      pendingOf.set(ip, (pendingOf.get(ip) ?? 0) + 1);
      admissions.set(ws, admission);
      ws.once('close', () => settlePending(admission));
      wss.emit('connection', ws, request);
    });
  };
  httpServer.on('upgrade', onUpgrade);
  const stopWatching = watchSlowSockets(() => wss.clients, limits);

  return {
    streams,
    upstreams,
    get connections() {
      return wss.clients.size;
    },
    bridge: realtimeBridge,
    async dispose() {
      httpServer.off('upgrade', onUpgrade);
      stopWatching();
      for (const hooks of realtime) hooks.stop();
      stopFollowingRevocations();
      // Clients that don't answer the close handshake are cut after a second.
      const cut = setTimeout(() => wss.clients.forEach((c) => c.terminate()), 1_000);
      try {
        await graphqlWs.dispose();
      } finally {
        clearTimeout(cut);
      }
      // The hooks of closed sockets talk to subgraphs, which stop after this: let them finish first.
      await Promise.all(departures);
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
  return typeof key === 'string' || typeof key === 'number' ? `${String(record.__typename)}:${key}` : undefined;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The client a graphql-ws connection names: in `connection_init` (any key case), else in the upgrade's headers. */
function clientOfConnection(params: unknown, headers: http.IncomingHttpHeaders): ClientInfo {
  const given =
    params && typeof params === 'object'
      ? clientOf(Object.fromEntries(Object.entries(params as Record<string, unknown>).map(([key, value]) => [key.toLowerCase(), value])))
      : {};
  const upgrade = clientOf(headers);
  return given.name ? given : upgrade;
}
