import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ORGANIZATION_WIDE, groupByKeys, requireRole, windowOf, type SubgraphContext, findPage } from '@salesgraph/platform';
import { Campaign, Niche } from '../entities/index.js';
import { findNiche } from '../services/campaigns.js';
import { CampaignType } from '../types/campaign.type.js';
import { CreateNicheInput, NicheListArgs, UpdateNicheInput } from '../types/inputs.js';
import { NicheConnection, NicheType } from '../types/niche.type.js';

/** Niches are the organization's marketing plan: everyone reads them, managers, analysts and admins change them. */
@Resolver(() => NicheType)
export class NicheResolver {
  @Authorized()
  @Query(() => NicheConnection, { description: "Your organization's niches, newest first" })
  async niches(@Args() args: NicheListArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args, 100);
    return findPage(
      em,
      Niche,
      { organizationId: caller.organizationId, ...(args.status ? { status: args.status } : {}) },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
      window,
    );
  }

  @Authorized()
  @Query(() => NicheType, { nullable: true })
  async niche(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Niche | null> {
    return findNiche(em, requireRole(identity), id).catch(() => null);
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => NicheType)
  async createNiche(@Arg('input') input: CreateNicheInput, @Ctx() { em, identity }: SubgraphContext): Promise<Niche> {
    const caller = requireRole(identity, ORGANIZATION_WIDE);
    const niche = em.create(Niche, {
      organizationId: caller.organizationId,
      name: input.name.trim(),
      category: input.category?.trim() || null,
      description: input.description ?? null,
      ...(input.status ? { status: input.status } : {}),
      cplTarget: input.cplTarget ?? null,
      roiTarget: input.roiTarget ?? null,
    });
    await em.flush();
    return niche;
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => NicheType)
  async updateNiche(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateNicheInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Niche> {
    const niche = await findNiche(em, requireRole(identity, ORGANIZATION_WIDE), id);
    if (input.name !== undefined) niche.name = input.name.trim();
    if (input.category !== undefined) niche.category = input.category?.trim() || null;
    if (input.description !== undefined) niche.description = input.description;
    if (input.status != null) niche.status = input.status;
    if (input.cplTarget !== undefined) niche.cplTarget = input.cplTarget;
    if (input.roiTarget !== undefined) niche.roiTarget = input.roiTarget;
    await em.flush();
    return niche;
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => ID, { description: 'Deletes the niche with its campaigns and ads; their leads stay, without a campaign' })
  async deleteNiche(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    const niche = await findNiche(em, requireRole(identity, ORGANIZATION_WIDE), id);
    await em.remove(niche).flush();
    return id;
  }

  @FieldResolver(() => [CampaignType])
  campaigns(@Root() niche: Niche, @Ctx() { em, loaders }: SubgraphContext): Promise<Campaign[]> {
    return loaders
      .get<string, Campaign[]>('campaignsOfNiche', async (ids) => {
        const rows = await em.find(Campaign, { niche: { $in: [...ids] } }, { orderBy: { createdAt: 'desc', id: 'desc' } });
        return groupByKeys(ids, rows, (c) => c.niche.id);
      })
      .load(niche.id);
  }
}
