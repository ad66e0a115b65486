import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { DownloadResolver } from './resolvers/download.resolver.js';
import { TicketSubscriptionResolver } from './resolvers/ticket-subscription.resolver.js';
import { AttachmentResolver, TicketMessageResolver, TicketResolver } from './resolvers/ticket.resolver.js';
import { FunnelRef, UserRef } from './types/refs.type.js';

export const resolvers = [TicketResolver, TicketMessageResolver, AttachmentResolver, TicketSubscriptionResolver, DownloadResolver] as const;

/** The support subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildSupportSchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers,
    orphanedTypes: [UserRef, FunnelRef],
    referenceResolvers,
    pubSub: bus.pubSub,
    container,
  });
}
