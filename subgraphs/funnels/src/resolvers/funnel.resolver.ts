import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ORGANIZATION_WIDE, groupByKeys, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { FollowUp, Funnel, FunnelStage } from '../entities/index.js';
import { findFunnel } from '../services/access.js';
import type { FunnelService } from '../services/funnels.js';
import { AssistantType, FollowUpType, FunnelStageType, FunnelType } from '../types/funnel.type.js';
import { CreateFunnelInput, UpdateFunnelInput } from '../types/inputs.js';

const stagesOf = (ctx: SubgraphContext, funnelId: string) =>
  ctx.loaders
    .get<string, FunnelStage[]>('stagesOfFunnel', async (ids) => {
      const rows = await ctx.em.find(FunnelStage, { funnel: { $in: [...ids] } }, { orderBy: { position: 'asc' } });
      return groupByKeys(ids, rows, (s) => s.funnel.id);
    })
    .load(funnelId);

const followUpsOf = (ctx: SubgraphContext, stageId: string) =>
  ctx.loaders
    .get<string, FollowUp[]>('followUpsOfStage', async (ids) => {
      const rows = await ctx.em.find(FollowUp, { stage: { $in: [...ids] } }, { orderBy: { position: 'asc' } });
      return groupByKeys(ids, rows, (f) => f.stage.id);
    })
    .load(stageId);

@Resolver(() => FunnelType)
export class FunnelResolver {
  constructor(private readonly service: FunnelService) {}

  @Authorized()
  @Query(() => [FunnelType], { description: "Your organization's funnels, by name" })
  async funnels(@Ctx() { em, identity }: SubgraphContext): Promise<Funnel[]> {
    const caller = requireRole(identity);
    return em.find(Funnel, { organizationId: caller.organizationId }, { orderBy: { name: 'asc' } });
  }

  @Authorized()
  @Query(() => FunnelType, { description: 'A funnel of your organization' })
  async funnel(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Funnel> {
    const caller = requireRole(identity);
    return findFunnel(em, caller, id);
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => FunnelType, { description: 'Create a funnel with its stages (managers and admins)' })
  createFunnel(@Arg('input') input: CreateFunnelInput, @Ctx() { em, identity }: SubgraphContext): Promise<Funnel> {
    return this.service.create(em, requireRole(identity, ORGANIZATION_WIDE), input);
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => FunnelType, { description: 'Change a funnel; `stages` replaces the list (stages keep their ids by assistant code name)' })
  updateFunnel(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateFunnelInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Funnel> {
    return this.service.update(em, requireRole(identity, ORGANIZATION_WIDE), id, input);
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => ID, { description: 'Delete a funnel and its stages; its dialogs and connections stay, without a funnel' })
  async deleteFunnel(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    const caller = requireRole(identity, ORGANIZATION_WIDE);
    return this.service.delete(em, caller, id);
  }

  @Authorized(ORGANIZATION_WIDE)
  @Mutation(() => AssistantType, { description: "Set the prompt of a funnel's assistant (seed 003)" })
  async updateAssistantPrompt(
    @Arg('funnelId', () => ID) funnelId: string,
    @Arg('assistantCodeName') assistantCodeName: string,
    @Arg('prompt') prompt: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AssistantType> {
    const caller = requireRole(ctx.identity, ORGANIZATION_WIDE);
    const stage = await this.service.setAssistantPrompt(ctx.em, caller, funnelId, assistantCodeName, prompt);
    return assistantOf(stage, (await followUpsOf(ctx, stage.id)).length);
  }

  @FieldResolver(() => [FunnelStageType], { description: 'In order' })
  stages(@Root() funnel: Funnel, @Ctx() ctx: SubgraphContext): Promise<FunnelStage[]> {
    return stagesOf(ctx, funnel.id);
  }

  @FieldResolver(() => [AssistantType], { description: "The stages' assistants, in stage order" })
  async assistants(@Root() funnel: Funnel, @Ctx() ctx: SubgraphContext): Promise<AssistantType[]> {
    const stages = await stagesOf(ctx, funnel.id);
    const followUps = await Promise.all(stages.map((s) => followUpsOf(ctx, s.id)));
    return stages.map((stage, i) => assistantOf(stage, followUps[i].length));
  }
}

@Resolver(() => FunnelStageType)
export class FunnelStageResolver {
  @FieldResolver(() => [FollowUpType], { description: 'By delay' })
  followUps(@Root() stage: FunnelStage, @Ctx() ctx: SubgraphContext): Promise<FollowUp[]> {
    return followUpsOf(ctx, stage.id);
  }

  @FieldResolver(() => Int)
  async followUpsCount(@Root() stage: FunnelStage, @Ctx() ctx: SubgraphContext): Promise<number> {
    return (await followUpsOf(ctx, stage.id)).length;
  }
}

function assistantOf(stage: FunnelStage, followUpsCount: number): AssistantType {
  return { assistantCodeName: stage.assistantCodeName, name: stage.assistantName, prompt: stage.prompt, followUpsCount, stageId: stage.id };
}
