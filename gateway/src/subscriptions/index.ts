export {
  attachSubscriptions,
  type RealtimeBridge,
  type SubscriptionLimits,
  type SubscriptionServer,
  type SubscriptionServerOptions,
} from './server.js';
export { BoundedQueue, type BoundedQueueOptions } from './bounded-queue.js';
export { SubscriptionStream } from './stream.js';
export { SupergraphIndex } from './supergraph-index.js';
export { planSubscription, type Hydration, type SubscriptionPlan } from './plan.js';
export { assertSubscriptionsHydrate, lookupOf, subscriptionHydrationProblems, SubscriptionHydrationError, type Lookup } from './lookups.js';
export { rejectSubscriptionsOverHttp } from './http-rejection.js';
export { SchemaRegistry } from './schema-registry.js';
export { UpstreamHub } from './upstream-hub.js';
