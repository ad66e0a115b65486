export { startProduct, type Product, type ProductOptions } from './runtime.js';
export { OPERATION_LIMITS } from './hardening.js';
export { RateLimiter } from './rate-limit.js';
export { CounterStore, COUNTER_SCHEMA, COUNTER_TABLE, leaseSize, type Budget, type Count } from './counters.js';
export { createGatewayServer } from './gateway.js';
export { SubgraphDataSource } from './subgraph-data-source.js';
export { EntityCache, ENTITY_TTL_MS } from './entity-cache.js';
export {
  BoundedQueue,
  SchemaRegistry,
  SubscriptionStream,
  SupergraphIndex,
  UpstreamHub,
  planSubscription,
  assertSubscriptionsHydrate,
  subscriptionHydrationProblems,
  SubscriptionHydrationError,
  type SubscriptionPlan,
} from './subscriptions/index.js';
export { originAllowed, credentialHeaders } from './subscriptions/credentials.js';
export {
  readMultipart,
  defaultGatewayUploads,
  UPLOAD_TIMEOUT_MS,
  type GatewayUploads,
  type MultipartLimits,
  type MultipartParts,
} from './uploads.js';
export { mountDeclaredRoutes, type DeclaredRoute } from './routes.js';
export { mountRestApi, type OperationRunner } from './rest/mount.js';
export { route, type RestApi, type RestRoute, type RestUploads } from './rest/route.js';
export { SOCKET_IO_PATH, ERROR_EVENT, type SocketIoServer } from './socket-io/server.js';
export { COMPRESSION_THRESHOLD_BYTES } from './responses.js';
