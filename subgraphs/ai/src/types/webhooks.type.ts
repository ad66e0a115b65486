import { ArgsType, Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { Matches, MaxLength } from 'class-validator';
import { Connection, PageArgs } from '@salesgraph/platform';

@ObjectType('AiPayment', { description: 'A payment that topped up the organization’s prepaid AI balance' })
export class AiPaymentType {
  @Field(() => ID) id!: string;
  @Field({ description: 'YooMoney’s operation_id' }) operationId!: string;
  @Field({ description: 'p2p-incoming (from a YooMoney wallet) or card-incoming' }) notificationType!: string;
  @Field(() => Float, { description: 'What the wallet received, in roubles' }) amount!: number;
  @Field(() => Float, { nullable: true, description: 'What the payer paid, commission included' }) withdrawAmount!: number | null;
  @Field({ description: 'ISO 4217 numeric code: 643, roubles' }) currency!: string;
  @Field(() => Float, { description: 'The exchange rate it was credited at (YOOMONEY_RUB_PER_USD then)' }) rubPerUsd!: number;
  @Field(() => Float, { description: 'USD added to the balance: amount ÷ rubPerUsd' }) creditedUsd!: number;
  @Field(() => String, { nullable: true, description: 'The payer’s wallet; none for card payments' }) sender!: string | null;
  @Field({ description: 'When YooMoney says it was paid' }) paidAt!: Date;
  @Field({ description: 'When it was credited' }) createdAt!: Date;
}

@ObjectType()
export class AiPaymentConnection extends Connection(AiPaymentType, 'AiPayment') {}

@ObjectType('AiBalance', {
  description: 'The prepaid AI balance: what payments credited, less what AI usage cost since the first payment',
})
export class AiBalanceType {
  @Field(() => Float) creditedUsd!: number;
  @Field(() => Float) spentUsd!: number;
  @Field(() => Float, { description: 'At 0 or below, metered AI calls are refused (BUDGET_EXCEEDED)' }) remainingUsd!: number;
  @Field({ description: 'The first payment: usage from then on draws the balance down' }) since!: Date;
}

@ObjectType('GithubIntegration', { description: 'A GitHub webhook whose CI events go to the integration event feed' })
export class GithubIntegrationType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'The end of its secret, to recognise it' }) secretHint!: string;
  @Field(() => String, { nullable: true, description: 'GitHub’s hook id (X-GitHub-Hook-ID), by which the bare /webhooks/github finds it' })
  hookId!: string | null;
  @Field({ description: 'The gateway path to give GitHub as the payload URL' }) webhookPath!: string;
  @Field(() => Date, { nullable: true }) lastDeliveryAt!: Date | null;
  @Field() createdAt!: Date;
}

@ObjectType('GithubIntegrationSecret', { description: 'An integration and its new secret, shown this once' })
export class GithubIntegrationSecretType {
  @Field(() => GithubIntegrationType) integration!: GithubIntegrationType;
  @Field({ description: 'The webhook secret to enter at GitHub; only its hint is shown later' }) secret!: string;
}

@ObjectType('IntegrationEvent', { description: 'A CI event a GitHub integration delivered' })
export class IntegrationEventType {
  @Field(() => ID) id!: string;
  @Field(() => ID) integrationId!: string;
  @Field({ description: 'X-GitHub-Delivery' }) deliveryId!: string;
  @Field({ description: 'workflow_run, deployment_status or push' }) event!: string;
  @Field(() => String, { nullable: true }) action!: string | null;
  @Field(() => String, { nullable: true, description: 'owner/name' }) repository!: string | null;
  @Field(() => String, { nullable: true }) ref!: string | null;
  @Field(() => String, { nullable: true }) sha!: string | null;
  @Field(() => String, { nullable: true, description: 'A run’s status or a deployment’s state' }) status!: string | null;
  @Field(() => String, { nullable: true }) conclusion!: string | null;
  @Field(() => String, { nullable: true, description: 'The workflow and run title, the environment, or the head commit’s first line' })
  title!: string | null;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => String, { nullable: true, description: 'The GitHub login that caused it' }) actor!: string | null;
  @Field() receivedAt!: Date;
}

@ObjectType()
export class IntegrationEventConnection extends Connection(IntegrationEventType, 'IntegrationEvent') {}

@ArgsType()
export class IntegrationEventsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only this integration’s events' }) integrationId?: string | null;
}

@InputType({ description: 'A GitHub webhook to receive CI events from' })
export class CreateGithubIntegrationInput {
  @Field({ description: '1–100 characters' }) @MaxLength(100) name!: string;
  @Field(() => String, { nullable: true, description: 'GitHub’s hook id, when the webhook exists already (digits)' })
  @MaxLength(20)
  @Matches(/^\d*$/)
  hookId?: string | null;
}

@InputType()
export class UpdateGithubIntegrationInput {
  @Field(() => String, { nullable: true }) @MaxLength(100) name?: string | null;
  @Field(() => String, { nullable: true, description: 'GitHub’s hook id (digits); empty forgets it' })
  @MaxLength(20)
  @Matches(/^\d*$/)
  hookId?: string | null;
}

@ArgsType()
export class GithubDeliveryArgs {
  @Field(() => ID, { nullable: true, description: 'The integration the URL names' }) integrationId?: string | null;
  @Field(() => String, { nullable: true, description: 'X-GitHub-Hook-ID' }) @MaxLength(20) hookId?: string | null;
  @Field({ description: 'X-GitHub-Event' }) @MaxLength(100) event!: string;
  @Field({ description: 'X-GitHub-Delivery' }) @MaxLength(200) deliveryId!: string;
  @Field({ description: 'X-Hub-Signature-256' }) @MaxLength(200) signature!: string;
  @Field({ description: 'The raw body GitHub posted' }) @MaxLength(5_242_880) body!: string;
  @Field(() => String, { nullable: true }) @MaxLength(200) contentType?: string | null;
}

@ArgsType()
export class YooMoneyNotificationArgs {
  @Field({ description: 'The raw body YooMoney posted' }) @MaxLength(65_536) body!: string;
  @Field(() => String, { nullable: true, description: 'Its Content-Type header' }) @MaxLength(200) contentType?: string | null;
}
