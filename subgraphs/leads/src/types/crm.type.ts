import { ArgsType, Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional, Length, MaxLength } from 'class-validator';
import { OptionalNotNull } from '@salesgraph/platform';
import { CrmProvider, CrmSyncState } from './crm-enums.js';

@ObjectType('CrmSyncStatus', { description: "How a CRM connection's synchronisation stands, and what its last run did" })
export class CrmSyncStatusType {
  @Field(() => ID) connectionId!: string;
  @Field(() => CrmSyncState) state!: CrmSyncState;
  @Field(() => Date, { nullable: true, description: 'When the last run ended' }) lastSyncAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the last run started' }) lastSyncStartedAt!: Date | null;
  @Field(() => Int, { description: 'Leads read from the CRM in the last run' }) pulled!: number;
  @Field(() => Int, { description: 'Leads sent to the CRM in the last run' }) pushed!: number;
  @Field(() => Int, { description: 'Leads created here in the last run' }) created!: number;
  @Field(() => Int, { description: 'Leads updated here in the last run' }) updated!: number;
  @Field(() => String, { nullable: true, description: 'Why the last run failed (or its retry is pending)' }) lastError!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the CRM last posted a webhook' }) lastWebhookAt!: Date | null;
}

@ObjectType('CrmConnection', { description: "An organization's CRM account, synchronised with its leads (admins only)" })
export class CrmConnectionType {
  @Field(() => ID) id!: string;
  @Field(() => CrmProvider) provider!: CrmProvider;
  @Field() name!: string;
  @Field({ description: "The account's API address (amoCRM: https://<subdomain>.amocrm.ru; Bitrix24: the portal's address)" })
  baseUrl!: string;
  @Field({ description: 'The end of the stored credentials (••••a1b2); they are never returned whole' }) credentialsHint!: string;
  @Field({ description: 'The end of the webhook secret' }) webhookSecretHint!: string;
  @Field() isActive!: boolean;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('CreatedCrmConnection')
export class CreatedCrmConnection {
  @Field(() => CrmConnectionType) connection!: CrmConnectionType;
  @Field({ description: 'The secret inbound webhooks carry; shown only now (stored as a hash)' }) webhookSecret!: string;
  @Field({ description: 'Where the CRM posts its webhooks (amoCRM: put this URL in its webhook settings)' }) webhookUrl!: string;
}

/** What an amoCRM webhook did. */
@Directive('@inaccessible')
@ObjectType('CrmWebhookResult')
export class CrmWebhookResult {
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int, { description: 'Entries that are not lead additions or changes (deletions)' }) ignored!: number;
}

@InputType()
export class CreateCrmConnectionInput {
  @Field(() => CrmProvider) provider!: CrmProvider;
  @Field({ description: 'At most 100 characters' }) @Length(1, 100) name!: string;
  @Field({ description: 'An http(s) URL, at most 1000 characters' }) @Length(1, 1000) baseUrl!: string;
  @Field({
    description:
      'amoCRM and generic: the access token; Bitrix24: the inbound webhook\'s "<user id>/<key>". Stored encrypted, never returned; at most 2000 characters',
  })
  @Length(4, 2000)
  credentials!: string;
  @Field({ nullable: true, description: 'Default: true' }) @IsOptional() isActive?: boolean;
}

@InputType()
export class UpdateCrmConnectionInput {
  @Field({ nullable: true, description: 'At most 100 characters' }) @OptionalNotNull() @Length(1, 100) name?: string;
  @Field({ nullable: true, description: 'At most 1000 characters' }) @OptionalNotNull() @Length(1, 1000) baseUrl?: string;
  @Field({ nullable: true, description: 'Replaces the stored credentials (they cannot be read); at most 2000 characters' })
  @OptionalNotNull()
  @Length(4, 2000)
  credentials?: string;
  @Field({ nullable: true }) @OptionalNotNull() isActive?: boolean;
}

/** An amoCRM webhook request as the gateway hands it over: the URL's connection and secret, and the raw body. */
@ArgsType()
export class AmocrmWebhookArgs {
  @Field() @MaxLength(100) connectionId!: string;
  @Field() @MaxLength(200) secret!: string;
  /** As large as the gateway's route lets a body be (1 MB). */
  @Field() @MaxLength(1024 * 1024) body!: string;
}
