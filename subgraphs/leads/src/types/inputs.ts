import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { IsDateString, IsEmail, IsOptional, IsUrl, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { OptionalNotNull, PageArgs, SortDirection } from '@salesgraph/platform';
import {
  AdPlatform,
  CampaignStatus,
  LeadSource,
  LeadStatus,
  MessageSender,
  NicheStatus,
  OutboundMessageStatus,
  ScoreCategory,
} from './enums.js';

/** Loose on purpose (people write numbers many ways); normalisation to E.164 decides what is a real number. */
const PHONE = /^[+()\d\s.-]{3,40}$/;
const IsPhone = (): PropertyDecorator => (target, property) => {
  MaxLength(40)(target, property);
  Matches(PHONE, { message: 'must be a phone number (digits, spaces, +, -, parentheses)' })(target, property);
};
/** Money: not negative, below a trillion (the columns hold 14 digits with 2 decimals). */
const IsMoney = (): PropertyDecorator => (target, property) => {
  Min(0)(target, property);
  Max(999_999_999_999)(target, property);
};
const IsDay = (): PropertyDecorator => (target, property) => {
  IsDateString({ strict: true }, { message: 'must be a date, YYYY-MM-DD' })(target, property);
  Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date, YYYY-MM-DD' })(target, property);
};

@InputType()
export class CreateNicheInput {
  @Field() @Length(1, 200) name!: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) category?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(10_000) description?: string;
  @Field(() => NicheStatus, { nullable: true, description: 'Default: research' }) @IsOptional() status?: NicheStatus;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsMoney() cplTarget?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @Min(-100) @Max(99_999_999) roiTarget?: number;
}

@InputType()
export class UpdateNicheInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) name?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) category?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(10_000) description?: string;
  @Field(() => NicheStatus, { nullable: true }) @OptionalNotNull() status?: NicheStatus;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsMoney() cplTarget?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @Min(-100) @Max(99_999_999) roiTarget?: number;
}

@InputType()
export class CreateCampaignInput {
  @Field(() => ID) nicheId!: string;
  @Field() @Length(1, 200) name!: string;
  @Field(() => AdPlatform) platform!: AdPlatform;
  @Field(() => CampaignStatus, { nullable: true, description: 'Default: draft' }) @IsOptional() status?: CampaignStatus;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsMoney() budget?: number;
  @Field({ nullable: true, description: 'YYYY-MM-DD' }) @IsOptional() @IsDay() startDate?: string;
  @Field({ nullable: true, description: 'YYYY-MM-DD, not before the start' }) @IsOptional() @IsDay() endDate?: string;
}

@InputType()
export class UpdateCampaignInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) name?: string;
  @Field(() => CampaignStatus, { nullable: true }) @OptionalNotNull() status?: CampaignStatus;
  @Field(() => Float, { nullable: true }) @OptionalNotNull() @IsMoney() budget?: number;
  @Field(() => Float, { nullable: true, description: 'What the campaign has cost so far' }) @OptionalNotNull() @IsMoney() spent?: number;
  @Field({ nullable: true }) @IsOptional() @IsDay() startDate?: string;
  @Field({ nullable: true }) @IsOptional() @IsDay() endDate?: string;
}

@ArgsType()
export class CampaignListArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) nicheId?: string;
  @Field(() => AdPlatform, { nullable: true }) platform?: AdPlatform;
  @Field(() => CampaignStatus, { nullable: true }) status?: CampaignStatus;
}

@ArgsType()
export class NicheListArgs extends PageArgs {
  @Field(() => NicheStatus, { nullable: true }) status?: NicheStatus;
}

@InputType()
export class CreateAdInput {
  @Field(() => ID) campaignId!: string;
  @Field() @Length(1, 200) title!: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(10_000) content?: string;
  @Field({ nullable: true }) @IsOptional() @IsUrl({ require_tld: false }) @MaxLength(1000) url?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(200) externalId?: string;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsMoney() spent?: number;
}

@InputType()
export class UpdateAdInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) title?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(10_000) content?: string;
  @Field({ nullable: true }) @IsOptional() @IsUrl({ require_tld: false }) @MaxLength(1000) url?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(200) externalId?: string;
  @Field({ nullable: true }) @OptionalNotNull() isActive?: boolean;
  @Field(() => Float, { nullable: true }) @OptionalNotNull() @IsMoney() spent?: number;
}

/** The fields of a lead a client writes; creating needs a name, updating changes only what is given. */
@InputType()
export class LeadFieldsInput {
  @Field({ nullable: true }) @IsOptional() @MaxLength(200) company?: string;
  @Field({ nullable: true }) @IsOptional() @IsEmail({}, { message: 'must be an e-mail address' }) @MaxLength(254) email?: string;
  @Field({ nullable: true }) @IsOptional() @IsPhone() phone?: string;
  @Field(() => LeadSource, { nullable: true }) @OptionalNotNull() source?: LeadSource;
  @Field(() => LeadStatus, { nullable: true }) @OptionalNotNull() status?: LeadStatus;
  @Field(() => ID, { nullable: true, description: 'A user of your organization' }) @IsOptional() assignedUserId?: string;
  @Field(() => ID, { nullable: true, description: 'The ad it answered; sets the campaign too' }) @IsOptional() adId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() campaignId?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(200) platformUserId?: string;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsMoney() budget?: number;
  @Field({ nullable: true }) @IsOptional() @MaxLength(10_000) notes?: string;
  @Field(() => Int, { nullable: true, description: '0–100; sets the score category' })
  @IsOptional()
  @Min(0)
  @Max(100)
  qualityScore?: number;
}

@InputType()
export class CreateLeadInput extends LeadFieldsInput {
  @Field() @Length(1, 200) name!: string;
}

@InputType()
export class UpdateLeadInput extends LeadFieldsInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) name?: string;
}

export enum LeadOrderField {
  CREATED_AT = 'createdAt',
  UPDATED_AT = 'updatedAt',
  NAME = 'name',
  STATUS = 'status',
  QUALITY_SCORE = 'qualityScore',
  BUDGET = 'budget',
}
registerEnumType(LeadOrderField, { name: 'LeadOrderField' });

@InputType()
export class LeadFilter {
  @Field(() => LeadStatus, { nullable: true }) status?: LeadStatus;
  @Field(() => LeadSource, { nullable: true }) source?: LeadSource;
  @Field(() => ID, { nullable: true }) assignedUserId?: string;
  @Field(() => ScoreCategory, { nullable: true }) scoreCategory?: ScoreCategory;
  @Field(() => ID, { nullable: true }) nicheId?: string;
  @Field(() => ID, { nullable: true }) campaignId?: string;
  @Field(() => AdPlatform, { nullable: true, description: "The platform of the lead's campaign" }) platform?: AdPlatform;
  @Field(() => Date, { nullable: true, description: 'Created at or after' }) createdFrom?: Date;
  @Field(() => Date, { nullable: true, description: 'Created before' }) createdTo?: Date;
  @Field({ nullable: true, description: 'Full-text search over name, company and e-mail (word prefixes)' })
  @IsOptional()
  @MaxLength(200)
  search?: string;
}

@ArgsType()
export class LeadListArgs extends PageArgs {
  @Field(() => LeadFilter, { nullable: true }) filter?: LeadFilter;
  @Field(() => LeadOrderField, { nullable: true, description: 'Default: createdAt' }) orderBy?: LeadOrderField;
  @Field(() => SortDirection, { nullable: true, description: 'Default: DESC' }) direction?: SortDirection;
}

@InputType()
export class AddLeadMessageInput {
  @Field() @Length(1, 10_000) message!: string;
  @Field(() => MessageSender) sender!: MessageSender;
  @Field(() => AdPlatform, { nullable: true }) @IsOptional() platform?: AdPlatform;
}

@InputType()
export class CreateOutboundMessageInput {
  @Field(() => ID) leadId!: string;
  @Field({ nullable: true, description: "Default: the lead's e-mail" })
  @IsOptional()
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  toAddress?: string;
  @Field() @Length(1, 300) subject!: string;
  @Field() @Length(1, 100_000) body!: string;
}

@InputType()
export class UpdateOutboundMessageInput {
  @Field({ nullable: true }) @OptionalNotNull() @IsEmail({}, { message: 'must be an e-mail address' }) @MaxLength(254) toAddress?: string;
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 300) subject?: string;
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 100_000) body?: string;
}

@ArgsType()
export class OutboundMessageListArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) leadId?: string;
  @Field(() => OutboundMessageStatus, { nullable: true }) status?: OutboundMessageStatus;
}
