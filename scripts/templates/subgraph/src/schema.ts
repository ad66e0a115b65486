import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { __Name__NoteResolver } from './resolvers/note.resolver.js';

/** The __name__ subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function build__Name__Schema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers: [__Name__NoteResolver],
    referenceResolvers,
    pubSub: bus.pubSub,
    container,
  });
}
