import { Directive, Field, Float, ID, Int, ObjectType, createUnionType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';
import { AdPlatform, LeadEventKind, LeadSource, LeadStatus, MessageSender, ScoreCategory } from './enums.js';

@Directive('@key(fields: "id")')
@ObjectType('Lead', { description: 'A prospective customer (seeds 000 and 001)' })
export class LeadType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) company!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true, description: 'As given' }) phone!: string | null;
  @Field(() => String, { nullable: true, description: 'The phone in E.164 (+77771234567), when it is one' }) phoneE164!: string | null;
  @Field(() => LeadSource) source!: LeadSource;
  @Field(() => LeadStatus) status!: LeadStatus;
  @Field(() => ID, { nullable: true }) assignedUserId!: number | null;
  @Field(() => String, { nullable: true, description: 'Their account id on the platform they wrote from' }) platformUserId!: string | null;
  @Field(() => Float, { nullable: true }) budget!: number | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => Int, { nullable: true, description: '0–100' }) qualityScore!: number | null;
  @Field(() => ScoreCategory, { nullable: true }) scoreCategory!: ScoreCategory | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('LeadConnection')
export class LeadConnection extends Connection(LeadType, 'Lead') {}

export enum DuplicateMatch {
  PHONE = 'phone',
  EMAIL = 'email',
}

@ObjectType('DuplicateLead', { description: 'The lead was not created: one of the organization already has its phone or e-mail' })
export class DuplicateLeadType {
  @Field(() => LeadType) existing!: LeadType;
  @Field(() => [String], { description: 'What matched: "phone", "email" or both' }) matchedOn!: DuplicateMatch[];
}

export const CreateLeadResult = createUnionType({
  name: 'CreateLeadResult',
  description: 'The new (or, with merge, updated) lead, or the existing one it duplicates',
  types: () => [LeadType, DuplicateLeadType] as const,
  resolveType: (value) => ('existing' in value ? DuplicateLeadType : LeadType),
});

@Directive('@key(fields: "id")')
@ObjectType('ConversationMessage', { description: 'One message of the conversation with a lead' })
export class ConversationMessageType {
  @Field(() => ID) id!: string;
  @Field(() => ID) leadId!: string;
  @Field() message!: string;
  @Field(() => MessageSender) sender!: MessageSender;
  @Field(() => AdPlatform, { nullable: true }) platform!: AdPlatform | null;
  @Field() createdAt!: Date;
}

@ObjectType('LeadEvent', { description: 'One entry of a lead history' })
export class LeadEventType {
  @Field(() => ID) id!: string;
  @Field(() => LeadEventKind) kind!: LeadEventKind;
  @Field(() => ID, { nullable: true }) actorUserId!: number | null;
  @Field(() => String, { nullable: true, description: 'The value before: a status, a user id, a score' }) from!: string | null;
  @Field(() => String, { nullable: true, description: 'The value after; for a merge, the id of the lead merged in' }) to!: string | null;
  @Field() occurredAt!: Date;
}
