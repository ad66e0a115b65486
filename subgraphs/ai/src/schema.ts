import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { ChatResolver } from './resolvers/chat.resolver.js';
import { LlmProviderResolver } from './resolvers/provider.resolver.js';

/** The ai subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildAiSchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers: [ChatResolver, LlmProviderResolver],
    referenceResolvers,
    pubSub: bus.pubSub,
    container,
  });
}
