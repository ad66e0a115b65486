import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AccessTokens,
  closeGracefully,
  configureUploads,
  gauges,
  uploadLimitsOf,
  HttpSubgraphClient,
  IdentitySigner,
  InProcessSubgraphClient,
  isLoopbackHost,
  keepIdleConnections,
  openDatabase,
  type Database,
  type Settings,
  type SubgraphClient,
  type SubgraphServer,
} from '@salesgraph/platform';
import { subgraphs as registered, type RegisteredSubgraph } from '@salesgraph/registry';
import { Authenticator } from './authenticate.js';
import { clientIpOf, type TrustProxy } from './client-ip.js';
import { createGatewayServer, SUPERGRAPH_PATH } from './gateway.js';
import { createHttpApp, operationRunner } from './http-app.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { CounterStore } from './counters.js';
import { attachSubscriptions, type SubscriptionLimits, type SubscriptionServer } from './subscriptions/server.js';
import { attachSocketIo, SOCKET_IO_PATH, type SocketIoServer } from './socket-io/server.js';
import { FieldAccess } from './rest/access.js';
import { readFileSync } from 'node:fs';
import { SchemaRegistry } from './subscriptions/schema-registry.js';
import { defaultGatewayUploads, type GatewayUploads } from './uploads.js';
import { TrustedDocumentGate } from './trusted-documents/gate.js';
import { TrustedDocumentStore } from './trusted-documents/store.js';
import { Drain } from './drain.js';
import { EntityCache } from './entity-cache.js';
import { STREAM_END_MS } from './routes.js';

export interface ProductOptions {
  settings: Settings;
  /** @default 4000; 0 picks a free port */
  port?: number;
  /** @default settings.host; beyond loopback only with settings loaded for that (`settings.exposed`) */
  host?: string;
  /** The subgraphs of the product. @default the registry's */
  subgraphs?: readonly RegisteredSubgraph[];
  /** Subgraphs served elsewhere, by name (from `SUBGRAPH_<NAME>_URL`); the rest run in this process. */
  subgraphUrls?: Record<string, string>;
  /** Keep the embedded database in memory instead of `settings.dataDir` (tests). */
  inMemory?: boolean;
  rateLimits?: RateLimitOptions;
  /** Requests per minute one sender (e.g. a telephony integration) may post to a webhook. @default 600 */
  webhookPerMinute?: number;
  corsOrigins?: string[] | '*';
  trustProxy?: boolean | number | string;
  /**
   * Per-connection and backpressure limits of GraphQL subscriptions (graphql-ws on `/graphql`); the per-user
   * allowance, the authentication deadline and the pending sockets per address apply to Socket.IO too.
   */
  subscriptionLimits?: SubscriptionLimits;
  /** How long requests under way may take to finish once `close()` begins. @default settings.shutdownTimeoutMs / 3 */
  drainMs?: number;
  /**
   * Multipart upload limits of this gateway, over the platform's (`configureUploads`, default 4 MB and one file
   * per GraphQL request) and the 60 s upload deadline.
   */
  uploads?: Partial<GatewayUploads>;
  /**
   * How long this gateway keeps each restricted client's registered hashes before asking again: a version
   * registered through another replica is enforced here within this time. @default 10_000
   */
  trustedDocumentListTtlMs?: number;
}

export interface Product {
  /** e.g. `http://127.0.0.1:4000` */
  url: string;
  /** The subgraphs running in this process, by name. */
  subgraphs: Map<string, SubgraphServer>;
  db?: Database;
  /** GraphQL subscriptions over graphql-ws on the same port and path. */
  subscriptions: SubscriptionServer;
  /** Seed 002's realtime events over Socket.IO on the same port (`/socket.io`). */
  socketIo: SocketIoServer;
  /** Where the rate limits count: shared with the other replicas (`redis`, `postgres`) or this process's (`memory`). */
  counters: CounterStore;
  close(): Promise<void>;
}

/** Starts the gateway and every subgraph not served elsewhere, sharing one database connection. */
export async function startProduct({
  settings,
  subgraphs = registered,
  port = 4000,
  host = settings.host,
  subgraphUrls = {},
  inMemory = false,
  rateLimits,
  corsOrigins = '*',
  trustProxy = false,
  subscriptionLimits,
  webhookPerMinute,
  uploads: uploadOptions,
  drainMs = Math.round(settings.shutdownTimeoutMs / 3),
  trustedDocumentListTtlMs,
}: ProductOptions): Promise<Product> {
  // Dev settings carry the admin/admin account and generated secrets: never reachable from other machines.
  if (!settings.exposed && !isLoopbackHost(host)) {
    throw new Error(`Refusing to listen on ${host} with development settings: set HOST (or NODE_ENV=production) when loading them`);
  }
  const signer = new IdentitySigner(settings.gatewaySecret);
  const embedded = subgraphs.filter((s) => !subgraphUrls[s.name]);
  const db = embedded.length
    ? await openDatabase({ url: settings.databaseUrl, dataDir: inMemory ? undefined : `${settings.dataDir}/pglite` })
    : undefined;
  const servers = new Map<string, SubgraphServer>();
  const clients = new Map<string, SubgraphClient>();
  const peer = (name: string) => {
    const client = clients.get(name);
    if (!client) throw new Error(`subgraph ${name} is not available`);
    return client;
  };
  try {
    for (const subgraph of subgraphs) {
      const url = subgraphUrls[subgraph.name];
      if (url) {
        clients.set(subgraph.name, new HttpSubgraphClient(subgraph.name, url, signer));
        continue;
      }
      const server = await subgraph.create({ db: db!, signer, settings, peer });
      servers.set(subgraph.name, server);
      clients.set(subgraph.name, new InProcessSubgraphClient(server, signer));
    }
  } catch (error) {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    await db?.close();
    throw error;
  }

  const schemas = new SchemaRegistry();
  const entityCaches = new Map(
    settings.gateway.entityCache
      ? subgraphs.flatMap(({ name, gateway: { entityCache } }) =>
          entityCache ? [[name, new EntityCache(name, entityCache).follow(peer(name), entityCache.changes)] as const] : [],
        )
      : [],
  );
  const apollo = createGatewayServer({
    clients,
    production: settings.production,
    onSchemaLoadOrUpdate: schemas.update,
    playgroundExamples: subgraphs.flatMap((s) => s.gateway.playground?.(settings) ?? []),
    entityCaches,
  });
  await apollo.start();
  const authenticator = new Authenticator(
    new AccessTokens(settings.jwtSecret, settings.accessTokenTtlSeconds),
    credentialAuthorityOf(subgraphs, peer),
  );
  authenticator.start();
  // What the subgraphs add beyond their schemas, each part talking to its own subgraph.
  const routes = subgraphs.flatMap((s) => (s.gateway.routes ?? []).map((route) => ({ route, client: peer(s.name) })));
  const realtime = subgraphs.flatMap((s) => (s.gateway.realtime ? [s.gateway.realtime(peer(s.name))] : []));
  const healthChecks = subgraphs.flatMap((s) => (s.gateway.health ? [() => s.gateway.health!(peer(s.name))] : []));
  const documents = documentRegistryOf(subgraphs, peer);
  const trustedDocuments = documents && new TrustedDocumentStore(documents, trustedDocumentListTtlMs);
  const documentGate = new TrustedDocumentGate(trustedDocuments, settings.gateway.trustedDocuments.onlyClients);
  // Shared by every replica on the same Redis or PostgreSQL server; in this process on the embedded database.
  const counters = await CounterStore.open({ redisUrl: settings.redisUrl, databaseUrl: settings.databaseUrl });
  const rateLimiter = new RateLimiter(rateLimits, counters);
  // UPLOAD_MAX_BYTES: the gateway's multipart reader and the subgraphs' Upload scalar check the same limit.
  configureUploads(uploadLimitsOf(settings));
  const uploads: GatewayUploads = {
    ...defaultGatewayUploads(),
    ...Object.fromEntries(Object.entries(uploadOptions ?? {}).filter(([, value]) => value !== undefined)),
  };
  const drain = new Drain();
  const app = createHttpApp({
    apollo,
    clients: [...clients.values()],
    routes,
    authenticator,
    rateLimiter,
    corsOrigins,
    trustProxy,
    webhookPerMinute,
    counters,
    llmBackend: settings.llm.backend,
    healthChecks,
    uploads,
    // createGatewayServer serves it outside production (runtime never asks for it in production).
    playground: !settings.production,
    drain,
    metricsAccess: { token: settings.metricsToken, open: !settings.exposed },
    trustedDocuments: {
      store: trustedDocuments,
      token: settings.gateway.trustedDocuments.registrationToken,
      gate: documentGate,
      apiSchema: () => schemas.current?.apiSchema,
    },
  });
  const httpServer = http.createServer(app);
  // Node's bound on receiving any request (checked every 30 s, answered with a bare 408): a little over the
  // uploads' own deadline, which a multipart request meets first and is answered in its door's shape.
  httpServer.requestTimeout = Math.max(60_000, uploads.timeoutMs + 5_000);
  keepIdleConnections(httpServer);
  const trust = app.get('trust proxy fn') as TrustProxy;
  const subscriptions = attachSubscriptions({
    httpServer,
    apollo,
    clients,
    authenticator,
    rateLimiter,
    clientIp: (request) => clientIpOf(request, trust),
    schemas,
    corsOrigins,
    limits: subscriptionLimits,
    production: settings.production,
    realtime,
    trustedDocuments: documentGate,
    passUpgrade: (pathname) => pathname === SOCKET_IO_PATH || pathname.startsWith(`${SOCKET_IO_PATH}/`),
  });
  const socketIo = attachSocketIo({
    httpServer,
    bridge: subscriptions.bridge,
    run: operationRunner(apollo, drain),
    access: FieldAccess.fromSupergraph(readFileSync(SUPERGRAPH_PATH, 'utf8')),
    authenticator,
    rateLimiter,
    clientIp: (request) => clientIpOf(request, trust),
    corsOrigins,
    authTimeoutMs: subscriptionLimits?.authTimeoutMs,
    maxPendingConnectionsPerIp: subscriptionLimits?.maxPendingConnectionsPerIp,
  });
  await new Promise<void>((resolve) => httpServer.listen(port, host, resolve));
  const { port: bound } = httpServer.address() as AddressInfo;
  const stopGauges = [
    gauges.connections(() => [
      { labels: { protocol: 'graphql-ws' }, value: subscriptions.connections },
      { labels: { protocol: 'socket.io' }, value: socketIo.io.engine.clientsCount },
    ]),
    gauges.subscriptions(() => [{ labels: { where: 'gateway' }, value: subscriptions.streams.size }]),
  ];

  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
    subgraphs: servers,
    db,
    subscriptions,
    socketIo,
    counters,
    async close() {
      // Out of rotation first (`/readyz` 503; requests arriving from now on are answered 503 with Retry-After),
      // then sockets: their subscriptions end upstream while the subgraphs still run. Then the port stops accepting
      // and requests under way get `drainMs` to finish; streams still open then end with a last event.
      drain.begin();
      stopGauges.forEach((stop) => stop());
      await socketIo.dispose();
      await subscriptions.dispose();
      authenticator.stop();
      for (const cache of entityCaches.values()) cache.close();
      const deadline = Date.now() + drainMs;
      await closeGracefully(httpServer, drainMs, () => drain.endStreams(STREAM_END_MS));
      // A client that left closed its socket, not its request: handlers still running finish (within the same
      // bound) before what they use stops. Work that would start later is answered 503 instead.
      await drain.settle(deadline);
      await apollo.stop();
      await counters.close();
      // Every subgraph stops even when one fails to: one left running (its port, its pools) keeps the process alive.
      const failures: unknown[] = [];
      for (const server of servers.values()) await server.stop(drainMs).catch((error: unknown) => failures.push(error));
      await db?.close();
      if (failures.length) throw new AggregateError(failures, `${failures.length} subgraph(s) failed to stop`);
    },
  };
}

/** The one subgraph that answers who a credential stands for (it owns users). */
export function credentialAuthorityOf(subgraphs: readonly RegisteredSubgraph[], clientOf: (name: string) => SubgraphClient) {
  const authorities = subgraphs.filter((s) => s.gateway.credentials);
  if (authorities.length !== 1) {
    throw new Error(`exactly one subgraph must declare gateway.credentials; found ${authorities.map((s) => s.name).join(', ') || 'none'}`);
  }
  const [authority] = authorities;
  return authority.gateway.credentials!(clientOf(authority.name));
}

/** The subgraph that keeps trusted documents, if one declares it (at most one may). */
function documentRegistryOf(subgraphs: readonly RegisteredSubgraph[], clientOf: (name: string) => SubgraphClient) {
  const keepers = subgraphs.filter((s) => s.gateway.documents);
  if (keepers.length > 1)
    throw new Error(`at most one subgraph may declare gateway.documents; found ${keepers.map((s) => s.name).join(', ')}`);
  const [keeper] = keepers;
  return keeper && keeper.gateway.documents!(clientOf(keeper.name));
}
