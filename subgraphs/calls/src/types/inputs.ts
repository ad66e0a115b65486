import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsEmail, IsOptional, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { OptionalNotNull, PageArgs } from '@salesgraph/platform';
import { StatisticsPeriod } from './statistics.type.js';
import { CallPriority, CallStatus, CallTaskStatus } from './enums.js';

/** Loose on purpose (PBX formats vary); normalisation to E.164 decides what is a real number. */
const PHONE = /^[+()\d\s.-]{3,40}$/;
const PHONE_RULE = { message: 'must be a phone number (digits, spaces, +, -, parentheses)' };
/** A phone number as entered, as long as its columns (the pattern allows no more either). */
const IsPhone = (): PropertyDecorator => (target, property) => {
  MaxLength(40)(target, property);
  Matches(PHONE, PHONE_RULE)(target, property);
};

@InputType()
export class CreateCallInput {
  @Field() @IsPhone() callerNumber!: string;
  @Field({ nullable: true }) @IsOptional() @IsPhone() receiverNumber?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(120) channelId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() assignedUserId?: string;
  @Field(() => ID, { nullable: true, description: 'Otherwise found by the caller number' }) @IsOptional() callerCompanyId?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(200) customerName?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) purpose?: string;
  @Field(() => CallPriority, { nullable: true }) @IsOptional() priority?: CallPriority;
  @Field({ nullable: true, description: 'Idempotency key, e.g. the PBX event id' }) @IsOptional() @MaxLength(200) externalId?: string;
  @Field(() => Int, {
    nullable: true,
    description: 'Seconds it may ring before it counts as missed (default: the server’s RING_TIMEOUT_SECONDS)',
  })
  @IsOptional()
  @Min(1)
  @Max(3600)
  ringTimeoutSeconds?: number;
}

@InputType()
export class UpdateCallInput {
  @Field({ nullable: true }) @IsOptional() @MaxLength(10_000) notes?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(200) customerName?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(200) customerCompany?: string;
  @Field({ nullable: true }) @IsOptional() @IsEmail() @MaxLength(254) customerEmail?: string;
  @Field({ nullable: true }) @IsOptional() @IsPhone() customerPhone?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) purpose?: string;
  @Field(() => CallPriority, { nullable: true }) @OptionalNotNull() priority?: CallPriority;
  @Field(() => Date, { nullable: true }) @IsOptional() followUpDate?: Date;
  @Field({ nullable: true }) @IsOptional() @MaxLength(10_000) outcome?: string;
  @Field({ nullable: true }) @IsOptional() @IsUrl({ require_tld: false }) @MaxLength(1000) recordingUrl?: string;
  @Field(() => [String], { nullable: true }) @OptionalNotNull() @ArrayMaxSize(50) @MaxLength(50, { each: true }) tags?: string[];
  @Field({ nullable: true }) @OptionalNotNull() isMuted?: boolean;
  @Field({ nullable: true }) @OptionalNotNull() isSpeakerOn?: boolean;
}

export enum AnswerAction {
  ACCEPT = 'accept',
  REJECT = 'reject',
}
registerEnumType(AnswerAction, { name: 'AnswerAction' });

@InputType()
export class AnswerCallInput {
  @Field(() => AnswerAction, { defaultValue: AnswerAction.ACCEPT }) action!: AnswerAction;
  @Field({ nullable: true }) @IsOptional() @MaxLength(200) customerName?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(200) customerCompany?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(10_000) quickNotes?: string;
}

@InputType()
export class TransferCallInput {
  @Field(() => ID) targetUserId!: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(1000) reason?: string;
}

@InputType()
export class TranscriptSegmentInput {
  @Field() @Length(1, 40) speaker!: string;
  @Field() @Length(1, 20_000) text!: string;
  @Field(() => Float) @Min(0) startOffset!: number;
  @Field(() => Float) @Min(0) endOffset!: number;
}

@InputType()
export class AddTranscriptInput {
  @Field(() => [TranscriptSegmentInput]) @ArrayMaxSize(1000) @ValidateNested({ each: true }) segments!: TranscriptSegmentInput[];
}

@InputType()
export class CreateCallTaskInput {
  @Field(() => ID, { nullable: true }) @IsOptional() callId?: string;
  @Field() @Length(1, 200) title!: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(10_000) description?: string;
  @Field(() => Date, { nullable: true }) @IsOptional() dueDate?: Date;
  @Field(() => ID, { nullable: true, description: 'Defaults to you' }) @IsOptional() assignedUserId?: string;
}

@InputType()
export class UpdateCallTaskInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) title?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(10_000) description?: string;
  @Field(() => CallTaskStatus, { nullable: true }) @OptionalNotNull() status?: CallTaskStatus;
  @Field(() => Date, { nullable: true }) @IsOptional() dueDate?: Date;
}

@InputType()
export class CompanyPhoneInput {
  @Field() @IsPhone() phoneNumber!: string;
  @Field({ defaultValue: 'main' }) @Length(1, 20) phoneType!: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(200) contactPerson?: string;
}

@InputType()
export class CreateCompanyInput {
  @Field() @Length(1, 200) name!: string;
  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(12)
  @Matches(/^(\d{10}|\d{12})$/, { message: 'must be 10 or 12 digits' })
  inn?: string;
  @Field(() => [CompanyPhoneInput], { defaultValue: [] }) @ArrayMaxSize(50) @ValidateNested({ each: true }) phones!: CompanyPhoneInput[];
}

@ArgsType()
export class CallsArgs extends PageArgs {
  @Field(() => CallStatus, { nullable: true }) status?: CallStatus;
  @Field({ nullable: true, description: 'Matches phone numbers, customer name or notes' }) @IsOptional() @MaxLength(100) search?: string;
  @Field(() => Date, { nullable: true, description: 'Calls started at or after' }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'Calls started before' }) to?: Date;
  @Field(() => ID, { nullable: true, description: 'Calls assigned to or answered by this user' }) userId?: string;
}

@ArgsType()
export class CompaniesArgs extends PageArgs {
  @Field({ nullable: true, description: 'Matches the name or INN' }) @IsOptional() @MaxLength(100) search?: string;
}

@ArgsType()
export class CallNotesArgs {
  @Field(() => ID) id!: string;
  @Field({ description: 'The new notes, replacing the old' }) @MaxLength(10_000) notes!: string;
}

@ArgsType()
export class EndCallArgs {
  @Field(() => ID) id!: string;
  @Field({ nullable: true, description: 'How the call went; left as it is when not given' })
  @IsOptional()
  @MaxLength(10_000)
  outcome?: string;
}

@ArgsType()
export class CompanyByPhoneArgs {
  @Field({ description: 'Any common notation, e.g. "8 (495) 123-45-67"' }) @MaxLength(40) phone!: string;
}

@ArgsType()
export class StatisticsArgs {
  @Field(() => StatisticsPeriod, { nullable: true, description: 'Ignored when from/to are given' }) period?: StatisticsPeriod;
  @Field(() => Date, { nullable: true }) from?: Date;
  @Field(() => Date, { nullable: true }) to?: Date;
  @Field(() => ID, { nullable: true }) userId?: string;
}

@ArgsType()
export class CallTasksArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) callId?: string;
  @Field(() => CallTaskStatus, { nullable: true }) status?: CallTaskStatus;
}
