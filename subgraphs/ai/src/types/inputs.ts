import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { ArrayMaxSize, IsUrl, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { OptionalNotNull } from '@salesgraph/platform';
import { AiForecastPeriod, AiObjectType, BudgetPeriod, ChatRole, EmailPurpose, EmailTone, Language, UsageGrouping } from './enums.js';

const SLUG = /^[a-z0-9_]{1,40}$/;
const MODEL = /^[\x21-\x7e]{1,200}$/;

@InputType({ description: 'An OpenAI-compatible provider (OpenAI, vLLM, Ollama, LiteLLM…)' })
export class CreateLlmProviderInput {
  @Field({ description: 'At most 100 characters' }) @Length(1, 100) name!: string;
  @Field({ description: 'Names it in persona model ids (anna-secretary-<slug>): 1–40 lower-case letters, digits or _' })
  @Matches(SLUG, { message: 'slug must be 1–40 lower-case letters, digits or _' })
  slug!: string;
  @Field({ description: 'The API root, e.g. https://api.openai.com/v1' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'baseUrl must be an http(s) URL' })
  @MaxLength(500)
  baseUrl!: string;
  @Field(() => String, { nullable: true, description: 'Stored encrypted; only its last characters are ever shown' })
  @MaxLength(500)
  apiKey?: string | null;
  @Field(() => [String], { nullable: true, description: 'Models it serves (asked from the provider when left out); at most 50' })
  @ArrayMaxSize(50)
  @Matches(MODEL, { each: true, message: 'each model must be 1–200 printable characters without spaces' })
  models?: string[] | null;
  @Field({ description: 'The model used when none is named' })
  @Matches(MODEL, { message: 'defaultModel must be 1–200 printable characters without spaces' })
  defaultModel!: string;
  @Field({
    nullable: true,
    description: 'Admins only: false keeps it for yourself; true (default for admins) shares it with the organization',
  })
  shared?: boolean;
}

@InputType()
export class UpdateLlmProviderInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 100) name?: string;
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'baseUrl must be an http(s) URL' })
  @MaxLength(500)
  baseUrl?: string;
  @Field(() => String, { nullable: true, description: 'A new key; null removes it' }) @MaxLength(500) apiKey?: string | null;
  @Field(() => [String], { nullable: true })
  @OptionalNotNull()
  @ArrayMaxSize(50)
  @Matches(MODEL, { each: true, message: 'each model must be 1–200 printable characters without spaces' })
  models?: string[];
  @Field({ nullable: true })
  @OptionalNotNull()
  @Matches(MODEL, { message: 'defaultModel must be 1–200 printable characters without spaces' })
  defaultModel?: string;
  @Field({ nullable: true }) @OptionalNotNull() enabled?: boolean;
}

@InputType({ description: 'A persona of your organization; one with a built-in code (anna, marina) takes its place' })
export class SavePersonaInput {
  @Field({ description: '1–40 lower-case letters, digits or _' })
  @Matches(SLUG, { message: 'code must be 1–40 lower-case letters, digits or _' })
  code!: string;
  @Field({ description: 'At most 100 characters' }) @Length(1, 100) name!: string;
  @Field({ description: 'At most 20,000 characters' }) @Length(1, 20_000) systemPrompt!: string;
  @Field(() => String, { nullable: true }) @MaxLength(100) voice?: string | null;
  @Field(() => String, { nullable: true }) @Matches(MODEL, { message: 'defaultModel must be 1–200 printable characters' }) defaultModel?:
    string | null;
}

@InputType()
export class CreateChatSessionInput {
  @Field({ nullable: true, description: 'Default: anna' })
  @OptionalNotNull()
  @Matches(SLUG, { message: 'persona must be a persona code' })
  persona?: string;
  @Field({ nullable: true, description: 'At most 200 characters (default: "New chat")' }) @OptionalNotNull() @Length(1, 200) title?: string;
  @Field(() => String, { nullable: true, description: 'A model or persona model id (GET /v1/models)' })
  @Matches(MODEL, { message: 'model must be 1–200 printable characters' })
  model?: string | null;
}

@InputType()
export class UpdateChatSessionInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) title?: string;
  @Field({ nullable: true }) @OptionalNotNull() @Matches(SLUG, { message: 'persona must be a persona code' }) persona?: string;
  @Field(() => String, { nullable: true }) @Matches(MODEL, { message: 'model must be 1–200 printable characters' }) model?: string | null;
}

@InputType('ChatMessageInput')
export class ChatMessageInput {
  @Field(() => ChatRole) role!: ChatRole;
  @Field({ description: 'At most 100,000 characters' }) @MaxLength(100_000) content!: string;
}

@InputType({ description: 'A stateless completion (OpenAI `/v1/chat/completions`): the whole conversation comes with it' })
export class ChatCompletionInput {
  @Field(() => String, { nullable: true, description: 'A model or persona model id (GET /v1/models); default: your preferred provider’s' })
  @Matches(MODEL, { message: 'model must be 1–200 printable characters' })
  model?: string | null;
  @Field(() => [ChatMessageInput], { description: '1–200 messages' }) @ArrayMaxSize(200) messages!: ChatMessageInput[];
  @Field(() => Int, { nullable: true, description: '1–32,000' }) @Min(1) @Max(32_000) maxTokens?: number | null;
  @Field(() => Float, { nullable: true, description: '0–2' }) @Min(0) @Max(2) temperature?: number | null;
  @Field(() => String, { nullable: true, description: 'A persona code whose system prompt leads the conversation' })
  @Matches(SLUG, { message: 'persona must be a persona code' })
  persona?: string | null;
}

@InputType({ description: 'A spending limit in USD: the organization’s (no campaign) or one campaign’s' })
export class SetAiBudgetInput {
  @Field(() => ID, { nullable: true }) campaignId?: string | null;
  @Field(() => Float, { description: '0–1,000,000 USD' }) @Min(0) @Max(1_000_000) limitUsd!: number;
  @Field(() => BudgetPeriod, { nullable: true, description: 'Default MONTH' }) period?: BudgetPeriod | null;
}

@InputType({ description: 'An e-mail to draft for a lead; it is stored as a draft outbound message' })
export class GenerateEmailInput {
  @Field(() => ID) leadId!: string;
  @Field(() => EmailTone, { defaultValue: EmailTone.FRIENDLY }) tone!: EmailTone;
  @Field(() => Language, { defaultValue: Language.RU }) language!: Language;
  @Field(() => EmailPurpose, { defaultValue: EmailPurpose.INTRODUCTION }) purpose!: EmailPurpose;
  @Field(() => String, { nullable: true, description: 'What to mention, at most 2,000 characters' }) @MaxLength(2_000) notes?:
    string | null;
  @Field(() => String, { nullable: true, description: 'A model (aiModels); default: your preferred provider’s' })
  @Matches(MODEL, { message: 'model must be 1–200 printable characters' })
  model?: string | null;
}

@InputType({ description: 'A revenue forecast to generate from the won leads of past months' })
export class GenerateForecastInput {
  @Field(() => String, { nullable: true, description: 'Default: "AI forecast <period>"; at most 200 characters' })
  @Length(1, 200)
  name?: string | null;
  @Field(() => AiForecastPeriod, { defaultValue: AiForecastPeriod.MONTH }) periodKind!: AiForecastPeriod;
  @Field(() => LocalDateResolver, { description: 'The 1st of a month' }) periodStart!: string;
  @Field(() => String, { nullable: true, description: 'A model (aiModels) that writes the notes; the figures are statistics' })
  @Matches(MODEL, { message: 'model must be 1–200 printable characters' })
  model?: string | null;
}

@ArgsType()
export class AiUsageArgs {
  @Field({ nullable: true, description: 'Default: the 1st of this month (UTC)' }) from?: Date;
  @Field({ nullable: true, description: 'Default: now' }) to?: Date;
  @Field(() => UsageGrouping, { defaultValue: UsageGrouping.OPERATION }) groupBy!: UsageGrouping;
  @Field(() => ID, { nullable: true, description: 'Admins and analysts: one user’s; others always see their own' }) userId?: string | null;
  @Field(() => AiObjectType, { nullable: true }) objectType?: AiObjectType | null;
  @Field(() => String, { nullable: true, description: 'With objectType: one object (at most 64 characters)' }) @MaxLength(64) objectId?:
    string | null;
}
