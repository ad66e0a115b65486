import { ArrayMaxSize, IsEmail, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { OptionalNotNull } from '@salesgraph/platform';
import { ClientStatus, ClientType, DialogStatus, MessageRole, MessengerType } from './enums.js';

const CODE_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const CODE_NAME_MESSAGE = { message: 'must be lower-case letters, digits, "_" and "-"' };

@InputType()
export class FollowUpInput {
  @Field(() => Float, { description: 'Minutes of silence before it is sent: 0.01 (0.6 s) to 43200 (30 days)' })
  @Min(0.01)
  @Max(43_200)
  delayMinutes!: number;

  @Field() @Length(1, 4000) text!: string;
}

@InputType({ description: 'A stage; on update, a stage keeps its id (and its dialogs) when its assistantCodeName stays' })
export class FunnelStageInput {
  @Field() @Length(1, 100) name!: string;
  @Field() @Length(1, 100) @Matches(CODE_NAME, CODE_NAME_MESSAGE) assistantCodeName!: string;
  @Field({ nullable: true, description: 'Defaults to the stage name' }) @IsOptional() @Length(1, 200) assistantName?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(20_000) prompt?: string;

  @Field(() => [FollowUpInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  followUps?: FollowUpInput[];
}

@InputType()
export class CreateFunnelInput {
  @Field({ description: 'Code name, unique in the organization' })
  @Length(1, 100)
  @Matches(CODE_NAME, CODE_NAME_MESSAGE)
  name!: string;

  @Field() @Length(1, 200) displayName!: string;
  @Field({ nullable: true }) @OptionalNotNull() isActive?: boolean;

  @Field(() => [FunnelStageInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  stages?: FunnelStageInput[];
}

@InputType()
export class UpdateFunnelInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) displayName?: string;
  @Field({ nullable: true }) @OptionalNotNull() isActive?: boolean;

  @Field(() => [FunnelStageInput], { nullable: true, description: 'The whole list of stages, in order' })
  @OptionalNotNull()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  stages?: FunnelStageInput[];
}

@InputType()
export class ClientInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail() @MaxLength(320) email?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50) phone?: string | null;
  @Field(() => String, { nullable: true, description: "The responsible manager's name" }) @IsOptional() @MaxLength(200) manager?:
    string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() assignedUserId?: string | null;
  @Field(() => ClientStatus, { nullable: true }) @OptionalNotNull() status?: ClientStatus;
  @Field(() => ClientType, { nullable: true }) @OptionalNotNull() type?: ClientType;
}

@InputType()
export class UpdateDialogInput {
  @Field(() => DialogStatus, { nullable: true }) @OptionalNotNull() status?: DialogStatus;
  @Field(() => ID, { nullable: true, description: 'null: nobody' }) @IsOptional() managerUserId?: string | null;
  @Field({ nullable: true }) @OptionalNotNull() ai?: boolean;
  @Field({ nullable: true }) @OptionalNotNull() unsubscribed?: boolean;
  @Field(() => Int, { nullable: true }) @OptionalNotNull() @Min(0) @Max(100) closeRatio?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(5000) description?: string | null;

  @Field(() => [String], { nullable: true })
  @OptionalNotNull()
  @ArrayMaxSize(20)
  @Length(1, 50, { each: true })
  tags?: string[];

  @Field(() => Float, { nullable: true }) @IsOptional() @Min(0) @Max(1e12) price?: number | null;
}

@InputType()
export class SendDialogMessageInput {
  @Field() @Length(1, 4096) text!: string;
  @Field(() => MessageRole, { nullable: true, description: 'manager (default) or assistant' }) @OptionalNotNull() role?: MessageRole;
}

@InputType()
export class CreateMessengerConnectionInput {
  @Field(() => MessengerType) messengerType!: MessengerType;
  @Field({ description: 'The bot token (Telegram) or access token (WhatsApp); stored encrypted, never returned' })
  @Length(8, 500)
  token!: string;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) name?: string | null;
  @Field(() => ID, { nullable: true, description: 'The funnel its dialogs go to' }) @IsOptional() funnelId?: string | null;

  @Field(() => String, { nullable: true, description: 'WhatsApp: the phone number id of the Cloud API' })
  @IsOptional()
  @Matches(/^\d{1,30}$/, { message: 'must be digits' })
  phoneNumberId?: string | null;

  @Field(() => String, { nullable: true, description: 'WhatsApp: the app secret that signs webhooks (stored encrypted)' })
  @IsOptional()
  @Length(8, 200)
  appSecret?: string | null;

  @Field({ nullable: true, description: 'Register its webhook now (default true)' }) @OptionalNotNull() start?: boolean;
}

@InputType()
export class UpdateMessengerConnectionInput {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) name?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() funnelId?: string | null;
  @Field({ nullable: true }) @OptionalNotNull() @Length(8, 500) token?: string;
  @Field({ nullable: true, description: 'false stops receiving and sending' }) @OptionalNotNull() isActive?: boolean;
}

@InputType()
export class WidgetInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) name?: string;
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) title?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) greeting?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() funnelId?: string | null;

  @Field(() => [String], { nullable: true, description: 'Origins such as https://shop.example.com; empty: any' })
  @OptionalNotNull()
  @ArrayMaxSize(20)
  @Matches(/^https?:\/\/[^/\s]+$/, { each: true, message: 'must be origins such as https://shop.example.com' })
  allowedOrigins?: string[];

  @Field({ nullable: true }) @OptionalNotNull() isActive?: boolean;
}
