export { startProduct, type Product, type ProductOptions } from './runtime.js';
export { OPERATION_LIMITS } from './hardening.js';
export { RateLimiter } from './rate-limit.js';
export { BoundedQueue, SubscriptionStream, SupergraphIndex, UpstreamHub, planSubscription } from './subscriptions/index.js';
export { originAllowed, credentialHeaders } from './subscriptions/credentials.js';
