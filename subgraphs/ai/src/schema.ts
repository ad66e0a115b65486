import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus, type SubgraphContext } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { ChatResolver } from './resolvers/chat.resolver.js';
import { CallAnalysisResolver, CampaignAiCostResolver, DialogAiCostResolver, LeadAiCostResolver } from './resolvers/extensions.resolver.js';
import { AiFeaturesResolver } from './resolvers/features.resolver.js';
import { LlmProviderResolver } from './resolvers/provider.resolver.js';
import { SpeechResolver } from './resolvers/speech.resolver.js';
import { GithubIntegrationResolver, PaymentsResolver } from './resolvers/webhooks.resolver.js';
import type { OwnedKind } from './services/extensions.js';
import { CallRef, CampaignRef, DialogRef, ForecastRef, LeadRef } from './types/features.type.js';

/** The ai subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildAiSchema(bus: EventBus, container?: ContainerType) {
  // Whether the caller may see an entity ai extends is its owner's to say (absent when only printing).
  const owned = (kind: OwnedKind) => ({
    __resolveReference: (reference: { id: string }, context: SubgraphContext) =>
      (container!.get(CallAnalysisResolver, undefined as never) as CallAnalysisResolver).extensions.reference(kind, reference, context),
  });
  return buildFederatedSchema({
    resolvers: [
      ChatResolver,
      LlmProviderResolver,
      SpeechResolver,
      AiFeaturesResolver,
      CallAnalysisResolver,
      LeadAiCostResolver,
      CampaignAiCostResolver,
      DialogAiCostResolver,
      PaymentsResolver,
      GithubIntegrationResolver,
    ],
    orphanedTypes: [ForecastRef, CallRef, LeadRef, CampaignRef, DialogRef],
    referenceResolvers: {
      ...referenceResolvers,
      Call: owned('Call'),
      Lead: owned('Lead'),
      Campaign: owned('Campaign'),
      Dialog: owned('Dialog'),
    },
    pubSub: bus.pubSub,
    container,
  });
}
