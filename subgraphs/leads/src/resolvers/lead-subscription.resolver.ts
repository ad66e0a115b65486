import { Arg, Authorized, ID, Resolver, Root, Subscription, type SubscriptionHandlerData } from 'type-graphql';
import { Hydrate, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { mayWatchLead } from '../services/access.js';
import { CAMPAIGN_TOPIC, LEAD_TOPIC, type CampaignEventPayload, type LeadChange, type LeadEventPayload } from '../services/events.js';
import { CampaignType } from '../types/campaign.type.js';
import { ConversationMessageType, LeadType } from '../types/lead.type.js';

type LeadFilterData = SubscriptionHandlerData<LeadEventPayload, { leadId?: string }, SubgraphContext>;

/** Lead events a subscriber may see, with one of the given changes (and of one lead when asked). */
const leadEvents =
  (...changes: LeadChange[]) =>
  ({ payload, context, args }: LeadFilterData) =>
    payload.changes.some((c) => changes.includes(c)) &&
    (!args.leadId || args.leadId.toLowerCase() === payload.leadId) &&
    mayWatchLead(requireRole(context.identity), payload);

// Only ids leave the subgraph: the gateway hydrates the subscriber's whole selection (`Query.lead` and others).
@Resolver()
export class LeadSubscriptionResolver {
  @Authorized()
  @Hydrate('lead')
  @Subscription(() => LeadType, { topics: LEAD_TOPIC, filter: leadEvents('created'), description: 'A new lead you may see' })
  leadCreated(@Root() payload: LeadEventPayload): LeadType {
    return { id: payload.leadId } as LeadType;
  }

  @Authorized()
  @Hydrate('lead')
  @Subscription(() => LeadType, {
    topics: LEAD_TOPIC,
    filter: leadEvents('status', 'assignment', 'score', 'fields', 'merged'),
    description: 'A lead changed: status, assignment, score or other fields',
  })
  leadUpdated(@Root() payload: LeadEventPayload, @Arg('leadId', () => ID, { nullable: true }) _leadId?: string): LeadType {
    return { id: payload.leadId } as LeadType;
  }

  @Authorized()
  @Hydrate('conversationMessage')
  @Subscription(() => ConversationMessageType, {
    topics: LEAD_TOPIC,
    filter: leadEvents('message'),
    description: 'A message was added to the conversation with a lead (of one lead when leadId is given)',
  })
  leadMessageAdded(
    @Root() payload: LeadEventPayload,
    @Arg('leadId', () => ID, { nullable: true }) _leadId?: string,
  ): ConversationMessageType {
    return { id: payload.messageId } as ConversationMessageType;
  }

  @Authorized()
  @Hydrate('campaign')
  @Subscription(() => CampaignType, {
    topics: CAMPAIGN_TOPIC,
    filter: ({ payload, context }: SubscriptionHandlerData<CampaignEventPayload, object, SubgraphContext>) =>
      payload.organizationId === requireRole(context.identity).organizationId,
    description: "A campaign's status, details or live statistics changed (its leads or ads did)",
  })
  campaignUpdated(@Root() payload: CampaignEventPayload): CampaignType {
    return { id: payload.campaignId } as CampaignType;
  }
}
