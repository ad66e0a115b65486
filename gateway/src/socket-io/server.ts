import type http from 'node:http';
import { print } from 'graphql';
import { Server, type Socket } from 'socket.io';
import { ErrorCode, type Identity, type SubgraphResponse } from '@salesgraph/platform';
import { admit, tooMany } from '../admission.js';
import type { Authenticated, Authenticator, Revocation } from '../authenticate.js';
import { gatewayContext } from '../context.js';
import type { RateLimiter } from '../rate-limit.js';
import type { FieldAccess } from '../rest/access.js';
import { refusalOf, runRoute, type OperationRunner } from '../rest/mount.js';
import type { RestError } from '../rest/route.js';
import { lower } from '../rest/shapes.js';
import { originAllowed } from '../subscriptions/credentials.js';
import { exactIdentity } from '../views.js';
import type { RealtimeBridge } from '../subscriptions/server.js';
import type { SubscriptionStream } from '../subscriptions/stream.js';
import { CLIENT_ACTIONS, SERVER_EVENTS, seed002Api, type ClientAction, type ServerEvent } from './seed-002.js';

/** Socket.IO's default path: seed 002's front end connects with `io(url)` and no options. */
export const SOCKET_IO_PATH = '/socket.io';
/** The event a refused authentication or action is told with, when the client asked for no acknowledgement. */
export const ERROR_EVENT = 'error';

export interface SocketIoOptions {
  httpServer: http.Server;
  /** Bridged subscriptions, the per-user connection allowance and presence, shared with graphql-ws. */
  bridge: RealtimeBridge;
  run: OperationRunner;
  access: FieldAccess;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  clientIp: (request: http.IncomingMessage) => string;
  corsOrigins: string[] | '*';
  /** A socket that has not authenticated within this is told so and disconnected. @default 10_000 */
  authTimeoutMs?: number;
  /** Sockets of one address that have not authenticated yet; more are told so and disconnected. @default 20 */
  maxPendingConnectionsPerIp?: number;
  /** Wait before a group's event stream that ended (its subgraph went away) is opened again. @default 1_000 */
  reopenDelayMs?: number;
}

export interface SocketIoServer {
  readonly io: Server;
  /** Signed-in sockets. */
  readonly members: number;
  /** Identities with at least one signed-in socket, each served by one set of event streams. */
  readonly groups: number;
  dispose(): Promise<void>;
}

/** A signed-in socket. */
interface Member {
  socket: Socket;
  ip: string;
  identity: Authenticated;
  /** The credential it authenticated with, to check again when credentials are revoked. */
  credential: http.IncomingHttpHeaders;
  group?: Group;
  leave: () => void;
}

/**
 * The sockets of one identity (same user, role, key): one room, fed by one stream per server event run as
 * that identity, so a user's ten tabs cost one subscription each, and what a socket sees is exactly what a
 * GraphQL subscriber with its credential sees (tenant, role, own calls for plain users).
 */
interface Group {
  key: string;
  room: string;
  identity: Identity;
  sockets: number;
  streams: Set<SubscriptionStream<unknown>>;
  closed: boolean;
  timers: Set<NodeJS.Timeout>;
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Seed 002's realtime protocol over Socket.IO on the gateway's port (`/socket.io`, beside graphql-ws on
 * `/graphql`): `authenticate` with the seed's `{userId, token}` (or an API key), then the seed's client events
 * run the same mutations as `POST /api/calls/:id/<action>`, and its server events come from the GraphQL
 * subscriptions through the gateway's bridge. Every process emits only to its own sockets; the event bus,
 * not a Socket.IO adapter, is what crosses replicas.
 */
export function attachSocketIo(options: SocketIoOptions): SocketIoServer {
  const { httpServer, bridge, run, access, authenticator, rateLimiter, clientIp, corsOrigins } = options;
  const { authTimeoutMs = 10_000, maxPendingConnectionsPerIp = 20, reopenDelayMs = 1_000 } = options;
  const io = new Server(httpServer, {
    path: SOCKET_IO_PATH,
    serveClient: false,
    // The upgrade router of graphql-ws destroys unknown paths; Socket.IO must not cut /graphql's slower handshakes.
    destroyUpgrade: false,
    // engine.io answers its path before Express, so CORS and the WebSocket origin check are its own.
    cors: { origin: corsOrigins === '*' ? '*' : corsOrigins },
    allowRequest: (request, callback) => callback(null, originAllowed(request.headers.origin, request.headers.host, corsOrigins)),
    maxHttpBufferSize: 1024 * 1024,
  });
  const queries = new Map<ServerEvent, string>(SERVER_EVENTS.map((event) => [event, print(event.subscription)]));
  const actionQueries = new Map<ClientAction, string>(CLIENT_ACTIONS.map((action) => [action, print(action.route.operation)]));
  const members = new Set<Member>();
  const groups = new Map<string, Group>();
  const pendingOf = new Map<string, number>();
  let disposed = false;

  const joinGroup = (member: Member) => {
    const { expiresAt: _expiresAt, ...identity } = member.identity;
    const key = exactIdentity(identity);
    let group = groups.get(key);
    if (!group) {
      group = { key, room: `identity:${key}`, identity, sockets: 0, streams: new Set(), closed: false, timers: new Set() };
      groups.set(key, group);
      for (const event of SERVER_EVENTS) follow(group, event);
    }
    group.sockets++;
    member.group = group;
    void member.socket.join(group.room);
  };

  const leaveGroup = (member: Member) => {
    const group = member.group;
    if (!group) return;
    member.group = undefined;
    void member.socket.leave(group.room);
    if (--group.sockets > 0) return;
    closeGroup(group);
  };

  const closeGroup = (group: Group) => {
    group.closed = true;
    groups.delete(group.key);
    for (const timer of group.timers) clearTimeout(timer);
    for (const stream of group.streams) void stream.return();
  };

  /** Emits one server event to the group's room for each result of its subscription, for as long as the group lives. */
  const follow = (group: Group, event: ServerEvent) => {
    let stream: SubscriptionStream<SubgraphResponse>;
    try {
      stream = bridge.open(group.identity, { query: queries.get(event)! });
    } catch (failure) {
      console.warn(`socket.io: ${event.name} could not be followed: ${(failure as Error).message}`);
      return retry(group, event);
    }
    group.streams.add(stream as SubscriptionStream<unknown>);
    void (async () => {
      try {
        for await (const result of stream) {
          if (!result.data) continue;
          let payload: unknown;
          try {
            payload = event.payload(result.data);
          } catch (failure) {
            console.warn(`socket.io: ${event.name} payload could not be made: ${(failure as Error).message}`);
            continue;
          }
          io.to(group.room).emit(event.name, payload);
        }
      } catch {
        // The upstream failed (its subgraph went away): opened again below, as a graphql-ws client resubscribes.
      }
      group.streams.delete(stream as SubscriptionStream<unknown>);
      retry(group, event);
    })();
  };

  const retry = (group: Group, event: ServerEvent) => {
    if (group.closed || disposed) return;
    const timer = setTimeout(() => {
      group.timers.delete(timer);
      if (!group.closed && !disposed) follow(group, event);
    }, reopenDelayMs);
    timer.unref();
    group.timers.add(timer);
  };

  const settlePending = (state: { ip: string; pending: boolean }) => {
    if (!state.pending) return;
    state.pending = false;
    const left = (pendingOf.get(state.ip) ?? 1) - 1;
    if (left > 0) pendingOf.set(state.ip, left);
    else pendingOf.delete(state.ip);
  };

  /** Tells the socket it is refused, then disconnects it (once the message is on its way). */
  const refuse = (socket: Socket, error: RestError, ack?: Ack) => {
    answer(socket, 'authenticate', ack, seed002Api.error(error));
    setImmediate(() => socket.disconnect(true));
  };

  io.on('connection', (socket) => {
    const ip = clientIp(socket.request);
    const state = { ip, pending: true, authenticating: false, member: undefined as Member | undefined, timers: new Set<NodeJS.Timeout>() };
    const pending = pendingOf.get(ip) ?? 0;
    if (pending >= maxPendingConnectionsPerIp) {
      state.pending = false;
      return refuse(socket, tooMany(maxPendingConnectionsPerIp, Math.ceil(authTimeoutMs / 1000)));
    }
    pendingOf.set(ip, pending + 1);
    const deadline = setTimeout(() => {
      if (state.member) return;
      refuse(
        socket,
        unauthorized(`Authentication required: emit authenticate {userId, token} within ${authTimeoutMs / 1000} s of connecting`),
      );
    }, authTimeoutMs);
    deadline.unref();
    state.timers.add(deadline);

    const authenticate = async (payload: unknown, ack?: Ack) => {
      if (state.member || state.authenticating) {
        return answer(socket, 'authenticate', ack, seed002Api.error(invalid(['authenticate: this socket is already authenticated'])));
      }
      const credential = credentialOf(payload);
      if ('problems' in credential) return answer(socket, 'authenticate', ack, seed002Api.error(invalid(credential.problems)));
      state.authenticating = true;
      const admitted = await admit(authenticator, rateLimiter, credential.headers, ip);
      state.authenticating = false;
      if (socket.disconnected) return;
      if ('refused' in admitted) return refuse(socket, admitted.refused, ack);
      const { identity } = admitted;
      if (identity.kind === 'anonymous') return refuse(socket, unauthorized('Authentication required'), ack);
      // The token decides who this is; a userId beside it must name the same user.
      if (credential.userId !== undefined && credential.userId !== identity.userId) {
        return refuse(socket, unauthorized('userId does not match the token'), ack);
      }
      const leave = bridge.join(identity);
      if (!leave) {
        return refuse(
          socket,
          { status: 429, code: ErrorCode.RateLimited, message: `At most ${bridge.maxConnectionsPerIdentity} connections per user` },
          ack,
        );
      }
      clearTimeout(deadline);
      settlePending(state);
      const member: Member = { socket, ip, identity, credential: credential.headers, leave };
      state.member = member;
      members.add(member);
      joinGroup(member);
      if (identity.expiresAt !== undefined) {
        const expiry = setTimeout(
          () => refuse(socket, unauthorized('token expired: authenticate again with a new token')),
          Math.min(Math.max(identity.expiresAt - Date.now(), 0), MAX_TIMEOUT_MS),
        );
        expiry.unref();
        state.timers.add(expiry);
      }
      const body = { success: true, userId: identity.userId, organizationId: identity.organizationId, role: lower(identity.role) };
      socket.emit('authenticated', body);
      ack?.(body);
    };

    const onAuthenticate = (...args: unknown[]) => {
      const [payload, ack] = split(args);
      authenticate(payload, ack).catch((failure: unknown) => {
        state.authenticating = false;
        console.error('socket.io: authenticate failed', (failure as Error).message);
        answer(socket, 'authenticate', ack, seed002Api.error(internal()));
      });
    };
    socket.on('authenticate', onAuthenticate);
    for (const action of CLIENT_ACTIONS) {
      socket.on(action.name, (...args: unknown[]) => {
        const [payload, ack] = split(args);
        void act(action, state.member, payload)
          .catch((failure: unknown) => {
            console.error(`socket.io: ${action.name} failed`, failure);
            return seed002Api.error(internal());
          })
          .then((body) => answer(socket, action.name, ack, body));
      });
    }
    socket.on('disconnect', () => {
      for (const timer of state.timers) clearTimeout(timer);
      settlePending(state);
      const member = state.member;
      if (!member) return;
      members.delete(member);
      leaveGroup(member);
      member.leave();
    });

    // Beside the seed's `authenticate` event, a client may send its credential in the handshake (`auth`).
    const auth = socket.handshake.auth as Record<string, unknown> | undefined;
    if (auth && (auth.token !== undefined || auth.apiKey !== undefined)) onAuthenticate(auth);
  });

  /** One client action, as its REST route runs it, answered with the route's body or the seed's error. */
  const act = async (action: ClientAction, member: Member | undefined, payload: unknown): Promise<unknown> => {
    const { error: seedError } = seed002Api;
    if (!member) return seedError(unauthorized('Authenticate first: emit authenticate {userId, token}'));
    const { identity, ip } = member;
    const decision = await rateLimiter.take(identity, ip);
    if (!decision.allowed) return seedError(tooMany(decision.limit, decision.retryAfterSeconds));
    const { route } = action;
    const refused = refusalOf(access.of(route.operation), identity);
    if (refused) return seedError(refused);
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
      return seedError(invalid([`${action.name}: the payload must be an object with callId`]));
    }
    const { callId, ...body } = payload as Record<string, unknown>;
    const idProblem =
      callId === undefined || callId === null
        ? 'callId: field required'
        : !isCallId(callId)
          ? 'callId: must be a positive integer'
          : undefined;
    if (idProblem) return seedError(invalid([idProblem], 'Call'));
    const outcome = await runRoute(
      seed002Api,
      route,
      actionQueries.get(action)!,
      { params: { id: String(callId) }, query: {}, body, files: [] },
      gatewayContext(stripExpiry(identity)),
      run,
    );
    return 'error' in outcome ? seedError(outcome.error) : outcome.body;
  };

  /**
   * A revoked credential (logout, password change, deactivation, key revoked) disconnects its sockets; a changed
   * role moves them to the group of their new identity, so the next event is filtered for it.
   */
  const recheck = async (member: Member) => {
    let identity: Authenticated;
    try {
      identity = await authenticator.authenticate(member.credential, member.ip);
    } catch (failure) {
      const code = (failure as { extensions?: { code?: string } }).extensions?.code;
      if (code === ErrorCode.Unauthenticated) refuse(member.socket, unauthorized(`Credential revoked: ${(failure as Error).message}`));
      return;
    }
    if (member.socket.disconnected || exactIdentity(identity) === exactIdentity(member.identity)) return;
    leaveGroup(member);
    member.identity = identity;
    joinGroup(member);
  };
  const matches = ({ identity }: Member, revocation: Revocation | 'all') =>
    revocation === 'all' ||
    (revocation.userId !== undefined && identity.userId === revocation.userId) ||
    (revocation.sessionId !== undefined && identity.sessionId === revocation.sessionId) ||
    (revocation.apiKeyId !== undefined && identity.apiKeyId === revocation.apiKeyId);
  const stopFollowingRevocations = authenticator.onRevocation((revocation) => {
    for (const member of members) if (matches(member, revocation)) void recheck(member);
  });

  return {
    io,
    get members() {
      return members.size;
    },
    get groups() {
      return groups.size;
    },
    async dispose() {
      disposed = true;
      stopFollowingRevocations();
      for (const group of [...groups.values()]) closeGroup(group);
      io.disconnectSockets(true);
      for (const member of members) member.leave();
      members.clear();
      // Not io.close(): that would close the HTTP server too, which the runtime closes after everything else.
      io.engine.close();
    },
  };
}

type Ack = (body: unknown) => void;

/** Socket.IO passes an acknowledgement callback as the last argument when the client asked for one. */
function split(args: unknown[]): [unknown, Ack | undefined] {
  const last = args.at(-1);
  if (typeof last === 'function') return [args.length > 1 ? args[0] : undefined, last as Ack];
  return [args[0], undefined];
}

/** The result to the acknowledgement; without one, only a failure is told, as an `error` event naming what failed. */
function answer(socket: Socket, event: string, ack: Ack | undefined, body: unknown): void {
  if (ack) return ack(body);
  if (body && typeof body === 'object' && (body as { success?: unknown }).success === false) socket.emit(ERROR_EVENT, { ...body, event });
}

/** The seed's `{userId, token}`, or `{apiKey}` (a token starting with the API key prefix is one too). */
function credentialOf(payload: unknown): { headers: http.IncomingHttpHeaders; userId?: number } | { problems: string[] } {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    return { problems: ['authenticate: the payload must be an object {userId, token}'] };
  }
  const { token, apiKey, userId } = payload as Record<string, unknown>;
  const problems: string[] = [];
  if (token !== undefined && (typeof token !== 'string' || !token.trim())) problems.push('token: must be a non-empty string');
  if (apiKey !== undefined && (typeof apiKey !== 'string' || !apiKey.trim())) problems.push('apiKey: must be a non-empty string');
  if (token === undefined && apiKey === undefined) problems.push('token: field required (or apiKey)');
  if (userId !== undefined && userId !== null && !isCallId(userId)) problems.push('userId: must be a positive integer');
  if (problems.length) return { problems };
  const headers: http.IncomingHttpHeaders =
    typeof apiKey === 'string' ? { 'x-api-key': apiKey.trim() } : { authorization: `Bearer ${(token as string).trim()}` };
  return { headers, userId: userId === undefined || userId === null ? undefined : Number(userId) };
}

/** A legacy integer id: a positive safe integer, or its decimal digits as a string. */
function isCallId(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0;
  return typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) && Number.isSafeInteger(Number(value));
}

const stripExpiry = ({ expiresAt: _expiresAt, ...identity }: Authenticated): Identity => identity;
const unauthorized = (message: string): RestError => ({ status: 401, code: ErrorCode.Unauthenticated, message });
const internal = (): RestError => ({ status: 500, code: ErrorCode.Internal, message: 'Unexpected error' });
const invalid = (problems: string[], resource?: string): RestError => ({
  status: 400,
  code: ErrorCode.BadUserInput,
  message: problems.join('; '),
  details: problems,
  resource,
});
