import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { AiNoteResolver } from './resolvers/note.resolver.js';

/** The ai subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildAiSchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers: [AiNoteResolver],
    referenceResolvers,
    pubSub: bus.pubSub,
    container,
  });
}
