import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';
import { AdPlatform, CampaignStatus } from './enums.js';

@ObjectType('CampaignStats', { description: 'Live figures of a campaign, computed from its leads when read' })
export class CampaignStatsType {
  @Field(() => Int) totalLeads!: number;
  @Field(() => Int, { description: 'Leads qualified, hot or won' }) qualifiedLeads!: number;
  @Field(() => Float, { nullable: true, description: 'Cost per lead: spent / total leads (null without leads)' }) cpl!: number | null;
  @Field(() => Float, { description: 'Qualified leads per 100 leads, one decimal' }) conversionRate!: number;
}

@Directive('@key(fields: "id")')
@ObjectType('Campaign', { description: 'An advertising campaign of a niche on one platform (seed 001)' })
export class CampaignType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => AdPlatform) platform!: AdPlatform;
  @Field(() => CampaignStatus) status!: CampaignStatus;
  @Field(() => Float) budget!: number;
  @Field(() => Float) spent!: number;
  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD)' }) startDate!: string | null;
  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD)' }) endDate!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('CampaignConnection')
export class CampaignConnection extends Connection(CampaignType, 'Campaign') {}

@Directive('@key(fields: "id")')
@ObjectType('Ad', { description: 'One advertisement of a campaign' })
export class AdType {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) content!: string | null;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => String, { nullable: true, description: "The ad's id on its platform" }) externalId!: string | null;
  @Field() isActive!: boolean;
  @Field(() => Float) spent!: number;
  @Field() createdAt!: Date;
}
