import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { SupportNoteResolver } from './resolvers/note.resolver.js';

/** The support subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildSupportSchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers: [SupportNoteResolver],
    referenceResolvers,
    pubSub: bus.pubSub,
    container,
  });
}
