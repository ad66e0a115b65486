import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, type EventBus, type SubgraphContext } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { AssistantResolver } from './resolvers/assistant.resolver.js';
import { ClientResolver } from './resolvers/client.resolver.js';
import { MessengerConnectionResolver } from './resolvers/connection.resolver.js';
import { DialogSubscriptionResolver } from './resolvers/dialog-subscription.resolver.js';
import { DialogLookupResolver } from './resolvers/dialog-lookup.resolver.js';
import { ClientDialogsResolver, DialogMessageResolver, DialogResolver } from './resolvers/dialog.resolver.js';
import { FunnelResolver, FunnelStageResolver } from './resolvers/funnel.resolver.js';
import { MessengerWebhookResolver } from './resolvers/messenger-webhook.resolver.js';
import { CallDialogsResolver, LeadDialogsResolver } from './resolvers/screen-pop.resolver.js';
import { WidgetChatResolver, WidgetMessageResolver } from './resolvers/widget-chat.resolver.js';
import { WidgetResolver } from './resolvers/widget.resolver.js';
import { CallRef, LeadRef } from './types/phone-keyed.type.js';
import { UserRef } from './types/user.type.js';

export const resolvers = [
  FunnelResolver,
  FunnelStageResolver,
  ClientResolver,
  ClientDialogsResolver,
  DialogResolver,
  DialogMessageResolver,
  DialogSubscriptionResolver,
  DialogLookupResolver,
  MessengerConnectionResolver,
  MessengerWebhookResolver,
  WidgetResolver,
  CallDialogsResolver,
  LeadDialogsResolver,
  WidgetChatResolver,
  WidgetMessageResolver,
  AssistantResolver,
] as const;

/** The funnels subgraph's schema; subscriptions read `bus`; `container` supplies resolver instances. */
export function buildFunnelsSchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers,
    orphanedTypes: [UserRef, CallRef, LeadRef],
    referenceResolvers: {
      ...referenceResolvers,
      // Whether the caller may see a call or a lead is its owner's to say: the resolvers ask (absent when only printing).
      Call: {
        __resolveReference: (reference: { id: string }, context: SubgraphContext) =>
          (container!.get(CallDialogsResolver, undefined as never) as CallDialogsResolver).reference(reference, context),
      },
      Lead: {
        __resolveReference: (reference: { id: string }, context: SubgraphContext) =>
          (container!.get(LeadDialogsResolver, undefined as never) as LeadDialogsResolver).reference(reference, context),
      },
    },
    pubSub: bus.pubSub,
    container,
  });
}
