import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  ORGANIZATION_WIDE,
  badInput,
  byKeys,
  connectionOf,
  groupByKeys,
  notFound,
  requireRole,
  windowOf,
  uuidOrNothing,
  type EventBus,
  type SubgraphContext,
  findPage,
} from '@salesgraph/platform';
import type { EntityManager } from '@mikro-orm/core';
import { Ad, Campaign, Niche } from '../entities/index.js';
import { campaignFigures, findCampaign, findNiche, statsOf } from '../services/campaigns.js';
import { CAMPAIGN_TOPIC } from '../services/events.js';
import { AdType, CampaignConnection, CampaignStatsType, CampaignType } from '../types/campaign.type.js';
import { CampaignStatus } from '../types/enums.js';
import { CampaignListArgs, CreateAdInput, CreateCampaignInput, UpdateAdInput, UpdateCampaignInput } from '../types/inputs.js';
import { NicheType } from '../types/niche.type.js';

function checkDates(startDate: string | null | undefined, endDate: string | null | undefined) {
  if (startDate && endDate && endDate < startDate)
    throw badInput('The campaign cannot end before it starts', [{ field: 'endDate', message: 'must not be before startDate' }]);
}

/** Campaigns and their ads: everyone reads them, managers, analysts and admins change them. */
@Resolver(() => CampaignType)
export class CampaignResolver {
  constructor(private readonly bus: EventBus) {}

  @Authorized()
  @Query(() => CampaignConnection, { description: "Your organization's campaigns, newest first" })
  async campaigns(@Args() args: CampaignListArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args, 100);
    const where: Record<string, unknown> = { organizationId: caller.organizationId };
    if (args.nicheId != null) where.niche = uuidOrNothing(args.nicheId) ?? null;
    if (args.platform) where.platform = args.platform;
    if (args.status) where.status = args.status;
    if (where.niche === null) return connectionOf([], 0, window);
    return findPage(
      em,
      Campaign,
      where,
      {
        orderBy: { createdAt: 'desc', id: 'desc' },
      },
      window,
    );
  }

  @Authorized()
  @Query(() => CampaignType, { nullable: true })
  campaign(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Campaign | null> {
    return findCampaign(em, requireRole(identity), id).catch(() => null);
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => CampaignType)
  async createCampaign(@Arg('input') input: CreateCampaignInput, @Ctx() { em, identity }: SubgraphContext): Promise<Campaign> {
    const caller = requireRole(identity, ORGANIZATION_WIDE);
    checkDates(input.startDate, input.endDate);
    const niche = await findNiche(em, caller, input.nicheId);
    const campaign = em.create(Campaign, {
      organizationId: caller.organizationId,
      niche,
      name: input.name.trim(),
      platform: input.platform,
      ...(input.status ? { status: input.status } : {}),
      budget: input.budget ?? 0,
      startDate: input.startDate ?? null,
      endDate: input.endDate ?? null,
    });
    await em.flush();
    return campaign;
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => CampaignType)
  async updateCampaign(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateCampaignInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Campaign> {
    const caller = requireRole(identity, ORGANIZATION_WIDE);
    return em.transactional(async (tx) => {
      const campaign = await findCampaign(tx, caller, id);
      if (input.name !== undefined) campaign.name = input.name.trim();
      if (input.status != null) campaign.status = input.status;
      if (input.budget != null) campaign.budget = input.budget;
      if (input.spent != null) campaign.spent = input.spent;
      if (input.startDate !== undefined) campaign.startDate = input.startDate;
      if (input.endDate !== undefined) campaign.endDate = input.endDate;
      checkDates(campaign.startDate, campaign.endDate);
      return this.saved(tx, campaign);
    });
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => CampaignType, { description: 'Starts, pauses, completes or fails a campaign (seed 001)' })
  async updateCampaignStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => CampaignStatus) status: CampaignStatus,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Campaign> {
    const caller = requireRole(identity, ORGANIZATION_WIDE);
    return em.transactional(async (tx) => {
      const campaign = await findCampaign(tx, caller, id);
      campaign.status = status;
      return this.saved(tx, campaign);
    });
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => ID, { description: 'Deletes the campaign and its ads; its leads stay, without a campaign' })
  async deleteCampaign(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    const campaign = await findCampaign(em, requireRole(identity, ORGANIZATION_WIDE), id);
    await em.remove(campaign).flush();
    return id;
  }

  @Authorized()
  @Query(() => AdType, { nullable: true })
  async ad(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Ad | null> {
    const uuid = uuidOrNothing(id);
    return uuid ? em.findOne(Ad, { id: uuid, organizationId: requireRole(identity).organizationId }) : null;
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => AdType)
  async createAd(@Arg('input') input: CreateAdInput, @Ctx() { em, identity }: SubgraphContext): Promise<Ad> {
    const caller = requireRole(identity, ORGANIZATION_WIDE);
    return em.transactional(async (tx) => {
      const campaign = await findCampaign(tx, caller, input.campaignId);
      const ad = tx.create(Ad, {
        organizationId: caller.organizationId,
        campaign,
        title: input.title.trim(),
        content: input.content ?? null,
        url: input.url ?? null,
        externalId: input.externalId ?? null,
        spent: input.spent ?? 0,
      });
      await this.saved(tx, campaign);
      return ad;
    });
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => AdType)
  async updateAd(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateAdInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Ad> {
    const caller = requireRole(identity, ORGANIZATION_WIDE);
    const uuid = uuidOrNothing(id);
    const ad = uuid ? await em.findOne(Ad, { id: uuid, organizationId: caller.organizationId }) : null;
    if (!ad) throw notFound('Ad');
    if (input.title !== undefined) ad.title = input.title.trim();
    if (input.content !== undefined) ad.content = input.content;
    if (input.url !== undefined) ad.url = input.url;
    if (input.externalId !== undefined) ad.externalId = input.externalId;
    if (input.isActive != null) ad.isActive = input.isActive;
    if (input.spent != null) ad.spent = input.spent;
    await em.flush();
    return ad;
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => ID)
  async deleteAd(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    const caller = requireRole(identity, ORGANIZATION_WIDE);
    return em.transactional(async (tx) => {
      const uuid = uuidOrNothing(id);
      const ad = uuid ? await tx.findOne(Ad, { id: uuid, organizationId: caller.organizationId }) : null;
      if (!ad) throw notFound('Ad');
      const campaign = ad.campaign;
      tx.remove(ad);
      await tx.flush();
      await this.bus.publish(tx, CAMPAIGN_TOPIC, { campaignId: campaign.id, organizationId: caller.organizationId });
      return id;
    });
  }

  @FieldResolver(() => NicheType)
  niche(@Root() campaign: Campaign, @Ctx() { em, loaders }: SubgraphContext): Promise<Niche> {
    return loaders
      .get<string, Niche>('nicheById', async (ids) => byKeys(ids, await em.find(Niche, { id: { $in: [...ids] } }), (n) => n.id) as Niche[])
      .load(campaign.niche.id);
  }

  @FieldResolver(() => Int)
  async adsCount(@Root() campaign: Campaign, @Ctx() { em, loaders }: SubgraphContext): Promise<number> {
    return (await campaignFigures(em, loaders, campaign.organizationId).load(campaign.id)).adsCount;
  }

  @FieldResolver(() => Int)
  async leadsCount(@Root() campaign: Campaign, @Ctx() { em, loaders }: SubgraphContext): Promise<number> {
    return (await campaignFigures(em, loaders, campaign.organizationId).load(campaign.id)).totalLeads;
  }

  @FieldResolver(() => CampaignStatsType)
  async stats(@Root() campaign: Campaign, @Ctx() { em, loaders }: SubgraphContext) {
    return statsOf(campaign, await campaignFigures(em, loaders, campaign.organizationId).load(campaign.id));
  }

  @FieldResolver(() => [AdType])
  ads(@Root() campaign: Campaign, @Ctx() { em, loaders }: SubgraphContext): Promise<Ad[]> {
    return loaders
      .get<string, Ad[]>('adsOfCampaign', async (ids) => {
        const rows = await em.find(Ad, { campaign: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
        return groupByKeys(ids, rows, (a) => a.campaign.id);
      })
      .load(campaign.id);
  }

  /** Flushes and tells `campaignUpdated` subscribers, in the caller's transaction. */
  private async saved(tx: EntityManager, campaign: Campaign): Promise<Campaign> {
    await tx.flush();
    await this.bus.publish(tx, CAMPAIGN_TOPIC, { campaignId: campaign.id, organizationId: campaign.organizationId });
    return campaign;
  }
}
