import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokens, IdentitySigner, isLoopbackHost, openDatabase, type Database, type Settings, type SubgraphServer } from '@salesgraph/platform';
import { Authenticator } from './authenticate.js';
import { clientIpOf, type TrustProxy } from './client-ip.js';
import { createGatewayServer } from './gateway.js';
import { createHttpApp } from './http-app.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { HttpSubgraphClient, InProcessSubgraphClient, type SubgraphClient } from '@salesgraph/platform';
import { subgraphs } from './subgraphs.js';
import { attachSubscriptions, type SubscriptionLimits, type SubscriptionServer } from './subscriptions/server.js';
import { SchemaRegistry } from './subscriptions/schema-registry.js';

export interface ProductOptions {
  settings: Settings;
  /** @default 4000; 0 picks a free port */
  port?: number;
  /** @default settings.host; beyond loopback only with settings loaded for that (`settings.exposed`) */
  host?: string;
  /** Subgraphs served elsewhere, by name (from `SUBGRAPH_<NAME>_URL`); the rest run in this process. */
  subgraphUrls?: Record<string, string>;
  /** Keep the embedded database in memory instead of `settings.dataDir` (tests). */
  inMemory?: boolean;
  rateLimits?: RateLimitOptions;
  /** Events per minute one telephony integration may post to its webhook. @default 600 */
  webhookPerMinute?: number;
  corsOrigins?: string[] | '*';
  trustProxy?: boolean | number | string;
  /** Per-connection and backpressure limits of GraphQL subscriptions (graphql-ws on `/graphql`). */
  subscriptionLimits?: SubscriptionLimits;
}

export interface Product {
  /** e.g. `http://127.0.0.1:4000` */
  url: string;
  /** The subgraphs running in this process, by name. */
  subgraphs: Map<string, SubgraphServer>;
  db?: Database;
  /** GraphQL subscriptions over graphql-ws on the same port and path. */
  subscriptions: SubscriptionServer;
  close(): Promise<void>;
}

/** Starts the gateway and every subgraph not served elsewhere, sharing one database connection. */
export async function startProduct({ settings, port = 4000, host = settings.host, subgraphUrls = {}, inMemory = false, rateLimits, corsOrigins = '*', trustProxy = false, subscriptionLimits, webhookPerMinute }: ProductOptions): Promise<Product> {
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
  const apollo = createGatewayServer({ clients, production: settings.production, onSchemaLoadOrUpdate: schemas.update });
  await apollo.start();
  const authenticator = new Authenticator(new AccessTokens(settings.jwtSecret, settings.accessTokenTtlSeconds), clients.get('identity')!);
  authenticator.start();
  const rateLimiter = new RateLimiter(rateLimits);
  const app = createHttpApp({
    apollo,
    clients: [...clients.values()],
    authenticator,
    rateLimiter,
    corsOrigins,
    trustProxy,
    webhookPerMinute,
    llmBackend: settings.llm.backend,
  });
  const httpServer = http.createServer(app);
  httpServer.requestTimeout = 60_000;
  const trust = app.get('trust proxy fn') as TrustProxy;
  const subscriptions = attachSubscriptions({
    httpServer, apollo, clients, authenticator, rateLimiter, clientIp: (request) => clientIpOf(request, trust), schemas, corsOrigins, limits: subscriptionLimits, production: settings.production,
  });
  await new Promise<void>((resolve) => httpServer.listen(port, host, resolve));
  const { port: bound } = httpServer.address() as AddressInfo;

  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
    subgraphs: servers,
    db,
    subscriptions,
    async close() {
      // Sockets first: their subscriptions end upstream while the subgraphs still run.
      await subscriptions.dispose();
      authenticator.stop();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
      await apollo.stop();
      for (const server of servers.values()) await server.stop();
      await db?.close();
    },
  };
}
