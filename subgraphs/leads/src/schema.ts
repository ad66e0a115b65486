import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { ForecastResolver } from './resolvers/forecast.resolver.js';
import { LeadsNoteResolver } from './resolvers/note.resolver.js';

/** The leads subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildLeadsSchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers: [LeadsNoteResolver, ForecastResolver],
    referenceResolvers,
    pubSub: bus.pubSub,
    container,
  });
}
