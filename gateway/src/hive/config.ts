import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type GatewayCLIConfig } from '@graphql-hive/gateway';
import { AccessTokens, HttpSubgraphClient, IdentitySigner, loadSettings, subgraphUrlsOf } from '@salesgraph/platform';
import { subgraphs } from '@salesgraph/registry';
import { Authenticator } from '../authenticate.js';
import { SUPERGRAPH_PATH } from '../gateway.js';
import { RateLimiter } from '../rate-limit.js';
import { credentialAuthorityOf } from '../runtime.js';
import { useSalesgraphIdentity } from './identity-plugin.js';

export interface HiveGatewayOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * Hive's in-flight deduplication of identical subgraph queries. Safe either way: the plugin puts the caller's
   * identity in the deduplication key, so only requests of the very same identity share a response.
   * @default true
   */
  deduplicateRequests?: boolean;
}

/** Each subgraph's URL as the committed supergraph names it (`@join__graph(name:, url:)`). */
export function supergraphUrls(supergraphSdl: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [, name, url] of supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)) urls[name] = url;
  return urls;
}

/**
 * The Hive Gateway configuration of this product: `schema/supergraph.graphql` as it is committed, each subgraph at
 * the URL the supergraph names (the docker-compose hosts) unless `SUBGRAPH_<NAME>_URL` says otherwise, and the
 * identity plugin, with our settings (JWT_SECRET, GATEWAY_SECRET, rate limits, HOST, PORT, NODE_ENV).
 */
export function hiveGatewayConfig({ env = process.env, deduplicateRequests = true }: HiveGatewayOptions = {}): GatewayCLIConfig {
  const settings = loadSettings(env);
  const signer = new IdentitySigner(settings.gatewaySecret);
  const urls = {
    ...supergraphUrls(readFileSync(SUPERGRAPH_PATH, 'utf8')),
    ...subgraphUrlsOf(
      subgraphs.map((s) => s.name),
      env,
    ),
  };
  const authenticator = new Authenticator(
    new AccessTokens(settings.jwtSecret, settings.accessTokenTtlSeconds),
    credentialAuthorityOf(subgraphs, (name) => {
      if (!urls[name]) throw new Error(`subgraph ${name} has no URL`);
      return new HttpSubgraphClient(name, urls[name], signer);
    }),
  );
  const { rateLimits } = settings.gateway;
  const rateLimiter = new RateLimiter({
    anonymousPerWindow: rateLimits.anonymousPerMinute,
    authenticatedPerWindow: rateLimits.authenticatedPerMinute,
  });
  return defineConfig({
    supergraph: fileURLToPath(SUPERGRAPH_PATH),
    host: settings.host,
    port: settings.port,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: !settings.production,
    // The same CORS origins as our gateway (credentials are headers, never cookies).
    cors: settings.gateway.corsOrigins === '*' ? { origin: '*' } : { origin: settings.gateway.corsOrigins },
    transportEntries: Object.fromEntries(
      subgraphs.map((s) => [s.name, { location: urls[s.name], options: { deduplicateInflightRequests: deduplicateRequests } }]),
    ),
    plugins: () => [
      useSalesgraphIdentity({ authenticator, rateLimiter, signer }),
      {
        // Revocations reach this gateway as they reach ours: by following the identity subgraph's feed.
        onYogaInit: () => authenticator.start(),
        onDispose: () => authenticator.stop(),
      },
    ],
  });
}
