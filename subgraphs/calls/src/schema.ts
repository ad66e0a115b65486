import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { CallEventResolver } from './resolvers/call-event.resolver.js';
import { CallSubscriptionResolver } from './resolvers/call-subscription.resolver.js';
import { CallWorkResolver } from './resolvers/call-work.resolver.js';
import { CallResolver } from './resolvers/call.resolver.js';
import { CompanyResolver } from './resolvers/company.resolver.js';
import { StatisticsResolver } from './resolvers/statistics.resolver.js';
import { TelephonyResolver } from './resolvers/telephony.resolver.js';
import { CallType } from './types/call.type.js';
import { CompanyType } from './types/company.type.js';
import { UserRef } from './types/user.type.js';

export const resolvers = [
  CallResolver,
  CallEventResolver,
  CallSubscriptionResolver,
  CallWorkResolver,
  CompanyResolver,
  StatisticsResolver,
  TelephonyResolver,
] as const;

/** The calls subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildCallsSchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers,
    orphanedTypes: [CallType, CompanyType, UserRef],
    referenceResolvers,
    pubSub: bus.pubSub,
    container,
  });
}
