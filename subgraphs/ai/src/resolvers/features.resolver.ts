import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ALL_ROLES, ANALYSTS, Role, WRITERS, requireRole, type SubgraphContext } from '@salesgraph/platform';
import type { CallAnalysis } from '../entities/index.js';
import type { AiFeatures, GeneratedEmail, LeadScoring } from '../services/features.js';
import type { UsageService } from '../services/usage-stats.js';
import {
  AiBudgetType,
  AiUsageReportType,
  CallAnalysisType,
  ForecastRef,
  GeneratedEmailType,
  LeadScoringType,
} from '../types/features.type.js';
import { AiUsageArgs, GenerateEmailInput, GenerateForecastInput, SetAiBudgetInput } from '../types/inputs.js';

const MODEL_ARG = { nullable: true, description: 'A model (aiModels); default: your preferred provider’s, the offline one when none' };
const ADMINS = [Role.ADMIN];

/** Seed 000's AI functions: scoring, e-mail drafts, call analysis, forecasts; usage statistics and budgets. */
@Resolver()
export class AiFeaturesResolver {
  constructor(
    private readonly features: AiFeatures,
    private readonly usage: UsageService,
  ) {}

  @Authorized(WRITERS)
  @Mutation(() => LeadScoringType, { description: 'Scores a lead you may update and writes the score to it (qualityScore, scoreCategory)' })
  scoreLead(
    @Arg('leadId', () => ID) leadId: string,
    @Arg('model', () => String, MODEL_ARG) model: string | null,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<LeadScoring> {
    return this.features.scoreLead(em, requireRole(identity, WRITERS), leadId, model);
  }

  @Authorized(WRITERS)
  @Mutation(() => GeneratedEmailType, { description: 'Drafts an e-mail to a lead and stores it as a draft outbound message' })
  generateEmail(@Arg('input') input: GenerateEmailInput, @Ctx() { em, identity }: SubgraphContext): Promise<GeneratedEmail> {
    return this.features.generateEmail(em, requireRole(identity, WRITERS), input);
  }

  @Authorized(WRITERS)
  @Mutation(() => CallAnalysisType, { description: 'Analyses a call’s transcript (else its notes); replaces its earlier analysis' })
  analyzeCall(
    @Arg('callId', () => ID) callId: string,
    @Arg('model', () => String, MODEL_ARG) model: string | null,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<CallAnalysis> {
    return this.features.analyzeCall(em, requireRole(identity, WRITERS), callId, model);
  }

  @Authorized(ANALYSTS)
  @Mutation(() => ForecastRef, {
    description: 'Forecasts revenue from the won leads of past months and records it (method AI); analysts and admins',
  })
  generateForecast(@Arg('input') input: GenerateForecastInput, @Ctx() { em, identity }: SubgraphContext): Promise<ForecastRef> {
    return this.features.generateForecast(em, requireRole(identity, ANALYSTS), input);
  }

  @Authorized(ALL_ROLES)
  @Query(() => AiUsageReportType, { description: 'AI usage in a period: your organization’s for admins and analysts, your own for others' })
  aiUsage(@Args() args: AiUsageArgs, @Ctx() { em, identity }: SubgraphContext) {
    return this.usage.report(em, requireRole(identity), args);
  }

  @Authorized(ADMINS)
  @Query(() => [AiBudgetType], { description: 'Your organization’s AI budgets with what is spent in their current period (admins only)' })
  aiBudgets(@Ctx() { em, identity }: SubgraphContext) {
    return this.usage.budgets(em, requireRole(identity, ADMINS));
  }

  @Authorized(ADMINS)
  @Mutation(() => AiBudgetType, { description: 'Sets the organization’s AI budget, or a campaign’s (admins only)' })
  setAiBudget(@Arg('input') input: SetAiBudgetInput, @Ctx() { em, identity }: SubgraphContext) {
    return this.usage.setBudget(em, requireRole(identity, ADMINS), input);
  }

  @Authorized(ADMINS)
  @Mutation(() => ID, { description: 'Removes an AI budget (admins only)' })
  deleteAiBudget(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    return this.usage.deleteBudget(em, requireRole(identity, ADMINS), id);
  }
}
