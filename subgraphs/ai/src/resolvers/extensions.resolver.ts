import { Ctx, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '@salesgraph/platform';
import type { CallAnalysis } from '../entities/index.js';
import type { Extensions } from '../services/extensions.js';
import { AiObjectType } from '../types/enums.js';
import { CallAnalysisType, CallRef, CampaignRef, DialogRef, LeadRef } from '../types/features.type.js';

const COST = { description: 'USD the AI features spent on it (scoring, e-mails, analyses, replies)' };

/** What ai adds to the calls subgraph's Call: its latest analysis. */
@Resolver(() => CallRef)
export class CallAnalysisResolver {
  constructor(readonly extensions: Extensions) {}

  @FieldResolver(() => CallAnalysisType, { nullable: true, description: 'The latest AI analysis of the call (analyzeCall), if any' })
  analysis(@Root() call: CallRef, @Ctx() ctx: SubgraphContext): Promise<CallAnalysis | null> {
    return this.extensions.analysis(ctx, call.id);
  }
}

@Resolver(() => LeadRef)
export class LeadAiCostResolver {
  constructor(readonly extensions: Extensions) {}

  @FieldResolver(() => Float, COST)
  aiCost(@Root() lead: LeadRef, @Ctx() ctx: SubgraphContext): Promise<number> {
    return this.extensions.cost(ctx, AiObjectType.LEAD, lead.id);
  }
}

@Resolver(() => CampaignRef)
export class CampaignAiCostResolver {
  constructor(readonly extensions: Extensions) {}

  @FieldResolver(() => Float, { description: 'USD the AI features spent on the campaign’s leads' })
  aiCost(@Root() campaign: CampaignRef, @Ctx() ctx: SubgraphContext): Promise<number> {
    return this.extensions.cost(ctx, AiObjectType.CAMPAIGN, campaign.id);
  }
}

@Resolver(() => DialogRef)
export class DialogAiCostResolver {
  constructor(readonly extensions: Extensions) {}

  @FieldResolver(() => Float, COST)
  aiCost(@Root() dialog: DialogRef, @Ctx() ctx: SubgraphContext): Promise<number> {
    return this.extensions.cost(ctx, AiObjectType.DIALOG, dialog.id);
  }
}
