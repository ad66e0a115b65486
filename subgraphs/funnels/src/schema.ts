import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { FunnelsNoteResolver } from './resolvers/note.resolver.js';

/** The funnels subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildFunnelsSchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers: [FunnelsNoteResolver],
    referenceResolvers,
    pubSub: bus.pubSub,
    container,
  });
}
