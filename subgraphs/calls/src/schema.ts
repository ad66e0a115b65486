import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus, type SubgraphContext } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { CallLookupResolver } from './resolvers/call-lookup.resolver.js';
import { CallEventResolver } from './resolvers/call-event.resolver.js';
import { CallSubscriptionResolver } from './resolvers/call-subscription.resolver.js';
import { CallWorkResolver } from './resolvers/call-work.resolver.js';
import { CallResolver } from './resolvers/call.resolver.js';
import { CompanyResolver } from './resolvers/company.resolver.js';
import { LeadCallsResolver } from './resolvers/lead-calls.resolver.js';
import { StatisticsResolver } from './resolvers/statistics.resolver.js';
import { TelephonyResolver } from './resolvers/telephony.resolver.js';
import { CallType } from './types/call.type.js';
import { CompanyType } from './types/company.type.js';
import { LeadRef } from './types/lead.type.js';
import { UserRef } from './types/user.type.js';

export const resolvers = [
  CallResolver,
  CallEventResolver,
  CallSubscriptionResolver,
  CallWorkResolver,
  CompanyResolver,
  LeadCallsResolver,
  CallLookupResolver,
  StatisticsResolver,
  TelephonyResolver,
] as const;

/** The calls subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildCallsSchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers,
    orphanedTypes: [CallType, CompanyType, LeadRef, UserRef],
    referenceResolvers: {
      ...referenceResolvers,
      // Whether the caller may see a lead is the leads subgraph's to say: the resolver asks it (absent when only printing).
      Lead: {
        __resolveReference: (reference: { id: string }, context: SubgraphContext) =>
          (container!.get(LeadCallsResolver, undefined as never) as LeadCallsResolver).reference(reference, context),
      },
    },
    pubSub: bus.pubSub,
    container,
  });
}
