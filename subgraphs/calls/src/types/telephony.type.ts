import { ArgsType, Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional, Length, Max, MaxLength, Min } from 'class-validator';

@ObjectType('TelephonyIntegration', { description: 'A PBX posting signed call events to /webhooks/telephony/<id>' })
export class TelephonyIntegrationType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'The end of the signing secret, to recognise it' }) secretHint!: string;
  @Field(() => Int, { nullable: true }) ringTimeoutSeconds?: number | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastEventAt?: Date | null;
}

@ObjectType('CreatedTelephonyIntegration')
export class CreatedTelephonyIntegration {
  @Field(() => TelephonyIntegrationType) integration!: TelephonyIntegrationType;
  @Field({ description: 'The signing secret; stored encrypted and shown only now' }) secret!: string;
  @Field({ description: 'Where the PBX posts its events' }) webhookPath!: string;
}

@InputType()
export class CreateTelephonyIntegrationInput {
  @Field() @Length(1, 100) name!: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(3600) ringTimeoutSeconds?: number;
}

@Directive('@inaccessible')
@ObjectType('TelephonyReceiptResult')
export class TelephonyReceiptResult {
  @Field({ description: '"processed" or "duplicate"' }) status!: string;
  @Field(() => ID, { nullable: true }) callId!: number | null;
}

/** A PBX webhook request as the gateway hands it over: the headers that sign it and the raw body. */
@ArgsType()
export class TelephonyEventArgs {
  @Field(() => ID) integrationId!: string;
  @Field() @MaxLength(20) timestamp!: string;
  @Field() @MaxLength(100) signature!: string;
  /** As large as the gateway's webhook door lets a body be (256 KB). */
  @Field() @MaxLength(256 * 1024) body!: string;
}
