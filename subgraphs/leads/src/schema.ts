import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { CampaignResolver } from './resolvers/campaign.resolver.js';
import { CrmConnectionResolver, LeadCrmLinkResolver } from './resolvers/crm.resolver.js';
import { ForecastResolver } from './resolvers/forecast.resolver.js';
import { LeadImportResolver } from './resolvers/lead-import.resolver.js';
import { LeadLookupResolver } from './resolvers/lead-lookup.resolver.js';
import { LeadSubscriptionResolver } from './resolvers/lead-subscription.resolver.js';
import { ConversationMessageResolver, LeadResolver } from './resolvers/lead.resolver.js';
import { NicheResolver } from './resolvers/niche.resolver.js';
import { OutboundMessageResolver } from './resolvers/outbound-message.resolver.js';
import { UserRef } from './types/user.type.js';

export const resolvers = [
  NicheResolver,
  CampaignResolver,
  LeadResolver,
  ConversationMessageResolver,
  LeadSubscriptionResolver,
  CrmConnectionResolver,
  LeadCrmLinkResolver,
  OutboundMessageResolver,
  ForecastResolver,
  LeadLookupResolver,
  LeadImportResolver,
] as const;

/** The leads subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildLeadsSchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers,
    orphanedTypes: [UserRef],
    referenceResolvers,
    pubSub: bus.pubSub,
    container,
  });
}
