import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { BudgetPeriod, Language, ScoreCategory, Sentiment } from './enums.js';

@ObjectType('LeadScoreFactor', {
  description: 'One part of a lead score: its weight (the weights sum to 1), the value found and the points it gave',
})
export class LeadScoreFactorType {
  @Field() name!: string;
  @Field(() => Float, { description: '0–1; the weights of a scoring sum to 1' }) weight!: number;
  @Field(() => Float, { description: '0–1: how well the lead does on it' }) value!: number;
  @Field(() => Float, { description: 'What it added to the score (0–100 in all)' }) points!: number;
  @Field() reason!: string;
}

@ObjectType('LeadScoring', { description: 'A lead scored and the score written to it (qualityScore, scoreCategory)' })
export class LeadScoringType {
  @Field(() => ID) leadId!: string;
  @Field(() => Int, { description: '0–100' }) score!: number;
  @Field(() => ScoreCategory, { description: 'hot ≥ 70, warm ≥ 40, cold below' }) category!: ScoreCategory;
  @Field(() => [LeadScoreFactorType]) factors!: LeadScoreFactorType[];
  @Field() summary!: string;
  @Field({ description: 'local (the offline provider, no language model), openai, or a provider’s slug' }) provider!: string;
  @Field() model!: string;
}

@ObjectType('GeneratedEmail', {
  description: 'An e-mail drafted for a lead, stored as a draft outbound message (sendOutboundMessage sends it)',
})
export class GeneratedEmailType {
  @Field() subject!: string;
  @Field() body!: string;
  @Field(() => ID) outboundMessageId!: string;
  @Field({ description: 'local (the offline provider, no language model), openai, or a provider’s slug' }) provider!: string;
  @Field() model!: string;
}

@ObjectType('CallAnalysis', { description: 'The latest analysis of a call’s transcript (or notes)' })
export class CallAnalysisType {
  @Field(() => ID) id!: string;
  @Field(() => ID) callId!: number;
  @Field(() => Language) language!: Language;
  @Field() summary!: string;
  @Field(() => Sentiment) sentiment!: Sentiment;
  @Field(() => Float, { description: '−1 (negative) … 1 (positive)' }) sentimentScore!: number;
  @Field(() => [String]) topics!: string[];
  @Field(() => [String]) nextSteps!: string[];
  @Field(() => [String]) keyPhrases!: string[];
  @Field({ description: 'local (the offline provider, no language model), openai, or a provider’s slug' }) provider!: string;
  @Field() model!: string;
  @Field(() => ID, { nullable: true }) analyzedByUserId!: number | null;
  @Field() createdAt!: Date;
}

/** A forecast, owned by the leads subgraph; ai only knows the id of the one it had recorded. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Forecast')
export class ForecastRef {
  @Field(() => ID) id!: string;
}

/** A call, owned by the calls subgraph; ai adds its analysis. */
@Directive('@key(fields: "id")')
@ObjectType('Call')
export class CallRef {
  @Field(() => ID) id!: string;
}

/** A lead, owned by the leads subgraph; ai adds what AI work on it cost. */
@Directive('@key(fields: "id")')
@ObjectType('Lead')
export class LeadRef {
  @Field(() => ID) id!: string;
}

/** A campaign, owned by the leads subgraph; ai adds what AI work on its leads cost. */
@Directive('@key(fields: "id")')
@ObjectType('Campaign')
export class CampaignRef {
  @Field(() => ID) id!: string;
}

/** A dialog, owned by the funnels subgraph; ai adds what its auto-replies cost. */
@Directive('@key(fields: "id")')
@ObjectType('Dialog')
export class DialogRef {
  @Field(() => ID) id!: string;
}

@ObjectType('AiUsageFigures', { description: 'Provider calls and what they took' })
export class AiUsageFiguresType {
  @Field(() => Int) requests!: number;
  @Field(() => Int) promptTokens!: number;
  @Field(() => Int) completionTokens!: number;
  @Field(() => Float, { description: 'USD' }) cost!: number;
  @Field(() => Int, { description: 'Calls that failed (they cost nothing)' }) failures!: number;
  @Field(() => Float, { nullable: true }) averageLatencyMs!: number | null;
}

@ObjectType('AiUsageGroup', { description: 'The figures of one group' })
export class AiUsageGroupType extends AiUsageFiguresType {
  @Field({
    description:
      'The day (YYYY-MM-DD), month (YYYY-MM), user id, model (provider/model), operation, or object (TYPE:id); "none" when absent',
  })
  key!: string;
}

@ObjectType('AiUsageReport', { description: 'AI usage in a period: totals and groups (largest cost first; days and months in order)' })
export class AiUsageReportType {
  @Field() from!: Date;
  @Field() to!: Date;
  @Field(() => AiUsageFiguresType) totals!: AiUsageFiguresType;
  @Field(() => [AiUsageGroupType]) groups!: AiUsageGroupType[];
}

@ObjectType('AiBudget', { description: 'A spending limit for the AI features (USD): the organization’s or one campaign’s' })
export class AiBudgetType {
  @Field(() => ID) id!: string;
  @Field(() => ID, { nullable: true, description: 'None: the whole organization' }) campaignId!: string | null;
  @Field(() => Float) limitUsd!: number;
  @Field(() => BudgetPeriod) period!: BudgetPeriod;
  @Field(() => Float, { description: 'USD spent in the current period' }) spent!: number;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}
