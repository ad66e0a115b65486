import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';
import { OutboundMessageStatus } from './enums.js';

@Directive('@key(fields: "id")')
@ObjectType('OutboundMessage', { description: 'An e-mail to a lead, sent by a background job (seed 000 messages)' })
export class OutboundMessageType {
  @Field(() => ID) id!: string;
  @Field(() => ID) leadId!: string;
  @Field(() => ID) createdByUserId!: number;
  @Field() toAddress!: string;
  @Field() subject!: string;
  @Field() body!: string;
  @Field(() => OutboundMessageStatus) status!: OutboundMessageStatus;
  @Field(() => Int, { description: 'Delivery attempts of the current send' }) attempts!: number;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, as the mail server said' }) lastError!: string | null;
  @Field(() => String, { nullable: true, description: "The mail server's answer on acceptance" }) serverResponse!: string | null;
  @Field(() => Date, { nullable: true }) queuedAt!: Date | null;
  @Field(() => Date, { nullable: true }) sentAt!: Date | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('OutboundMessageConnection')
export class OutboundMessageConnection extends Connection(OutboundMessageType, 'OutboundMessage') {}
