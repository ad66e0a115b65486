import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  Role,
  WRITERS,
  byKeys,
  groupByKeys,
  requireRole,
  selectsOnlyId,
  windowOf,
  uuidOrNothing,
  type ResolveInfo,
  type SubgraphContext,
} from '@salesgraph/platform';
import { Ad, Campaign, ConversationMessage, Lead, LeadEvent } from '../entities/index.js';
import { findVisibleLead, visibleLeads } from '../services/access.js';
import { listLeads } from '../services/lead-list.js';
import { mergedByCreation, type Duplicate, type LeadService } from '../services/leads.js';
import { AdType, CampaignType } from '../types/campaign.type.js';
import { LeadStatus } from '../types/enums.js';
import { AddLeadMessageInput, CreateLeadInput, LeadListArgs, UpdateLeadInput } from '../types/inputs.js';
import { ConversationMessageType, CreateLeadResult, LeadConnection, LeadEventType, LeadType } from '../types/lead.type.js';
import { UserRef, userRef } from '../types/user.type.js';

/**
 * Leads and their conversations. Managers, analysts and admins see the organization's leads; other roles
 * those assigned to or created by them. Guests only read; only admins delete (seed 000).
 */
@Resolver(() => LeadType)
export class LeadResolver {
  constructor(private readonly service: LeadService) {}

  @Authorized()
  @Query(() => LeadConnection, { description: 'Leads you may see, filtered, searched and sorted (newest first by default)' })
  async leads(@Args() args: LeadListArgs, @Ctx() { em, identity }: SubgraphContext) {
    const window = windowOf(args);
    return listLeads(em, requireRole(identity), args.filter, { field: args.orderBy, direction: args.direction }, window);
  }

  @Authorized()
  @Query(() => LeadType, { nullable: true })
  lead(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Lead | null> {
    return findVisibleLead(em, requireRole(identity), id).catch(() => null);
  }

  @Authorized(WRITERS)
  @Mutation(() => CreateLeadResult, {
    description:
      'Creates a lead; when one of your organization has its phone or e-mail, answers DuplicateLead, or with merge updates that one',
  })
  createLead(
    @Arg('input') input: CreateLeadInput,
    @Arg('merge', { defaultValue: false, description: 'Update the matching lead instead of answering DuplicateLead' }) merge: boolean,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Lead | Duplicate> {
    return this.service.create(em, requireRole(identity, WRITERS), input, merge);
  }

  @Authorized(WRITERS)
  @Mutation(() => LeadType)
  updateLead(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateLeadInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Lead> {
    return this.service.update(em, requireRole(identity, WRITERS), id, input);
  }

  @Authorized(WRITERS)
  @Mutation(() => LeadType, { description: 'Moves a lead along the pipeline (seed 001)' })
  updateLeadStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => LeadStatus) status: LeadStatus,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Lead> {
    return this.service.update(em, requireRole(identity, WRITERS), id, { status });
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => ID, { description: 'Deletes a lead with its conversation and history (admins only)' })
  deleteLead(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    return this.service.delete(em, requireRole(identity, [Role.ADMIN]), id);
  }

  @Authorized(WRITERS)
  @Mutation(() => LeadType, {
    description: 'Keeps the first lead and folds the others into it: conversations and history move, blanks are filled, the others go',
  })
  mergeLeads(
    @Arg('targetId', () => ID) targetId: string,
    @Arg('sourceIds', () => [ID], { description: 'At most 20 leads' }) sourceIds: string[],
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Lead> {
    return this.service.merge(em, requireRole(identity, WRITERS), targetId, sourceIds);
  }

  @Authorized(WRITERS)
  @Mutation(() => ConversationMessageType, { description: 'Adds a message to the conversation with a lead (seed 001)' })
  addLeadMessage(
    @Arg('leadId', () => ID) leadId: string,
    @Arg('input') input: AddLeadMessageInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<ConversationMessage> {
    return this.service.addMessage(em, requireRole(identity, WRITERS), leadId, input);
  }

  @Authorized()
  @Query(() => ConversationMessageType, { nullable: true, description: 'One conversation message of a lead you may see' })
  async conversationMessage(
    @Arg('id', () => ID) id: string,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<ConversationMessage | null> {
    const uuid = uuidOrNothing(id);
    if (!uuid) return null;
    return em.findOne(ConversationMessage, { id: uuid, lead: visibleLeads(requireRole(identity)) });
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      "In createLead's answer: true when it merged into the organization's existing lead (merge: true), false when it created this one; null elsewhere",
  })
  merged(@Root() lead: Lead): boolean | null {
    return mergedByCreation(lead);
  }

  @FieldResolver(() => UserRef, { nullable: true })
  assignedUser(@Root() lead: Lead): UserRef | null {
    return userRef(lead.assignedUserId);
  }

  @FieldResolver(() => CampaignType, { nullable: true })
  campaign(
    @Root() lead: Lead,
    @Ctx() { em, loaders }: SubgraphContext,
    @Info() info: ResolveInfo,
  ): Promise<Campaign | null> | Campaign | null {
    if (!lead.campaign) return null;
    if (selectsOnlyId(info)) return lead.campaign;
    return loaders
      .get<string, Campaign | null>('campaignById', async (ids) =>
        byKeys(ids, await em.find(Campaign, { id: { $in: [...ids] } }), (c) => c.id),
      )
      .load(lead.campaign.id);
  }

  @FieldResolver(() => AdType, { nullable: true })
  ad(@Root() lead: Lead, @Ctx() { em, loaders }: SubgraphContext, @Info() info: ResolveInfo): Promise<Ad | null> | Ad | null {
    if (!lead.ad) return null;
    if (selectsOnlyId(info)) return lead.ad;
    return loaders
      .get<string, Ad | null>('adById', async (ids) => byKeys(ids, await em.find(Ad, { id: { $in: [...ids] } }), (a) => a.id))
      .load(lead.ad.id);
  }

  @FieldResolver(() => [ConversationMessageType], { description: 'The conversation, oldest first' })
  conversations(@Root() lead: Lead, @Ctx() { em, loaders }: SubgraphContext): Promise<ConversationMessage[]> {
    return loaders
      .get<string, ConversationMessage[]>('conversationsOfLead', async (ids) => {
        const rows = await em.find(ConversationMessage, { lead: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
        return groupByKeys(ids, rows, (m) => m.lead.id);
      })
      .load(lead.id);
  }

  @FieldResolver(() => [LeadEventType], { description: 'What happened to the lead, oldest first' })
  history(@Root() lead: Lead, @Ctx() { em, loaders }: SubgraphContext): Promise<LeadEvent[]> {
    return loaders
      .get<string, LeadEvent[]>('historyOfLead', async (ids) => {
        const rows = await em.find(LeadEvent, { lead: { $in: [...ids] } }, { orderBy: { occurredAt: 'asc', id: 'asc' } });
        return groupByKeys(ids, rows, (e) => e.lead.id);
      })
      .load(lead.id);
  }
}

@Resolver(() => ConversationMessageType)
export class ConversationMessageResolver {
  @FieldResolver(() => ID)
  leadId(@Root() message: ConversationMessage): string {
    return message.lead.id;
  }
}
