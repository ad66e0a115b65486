import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';
import { Channel, DeliveryStatus, DialogStatus, MessageRole } from './enums.js';

@Directive('@key(fields: "id")')
@ObjectType('Dialog', { description: 'A conversation with a client in one channel, and the deal it is (seed 003)' })
export class DialogType {
  @Field(() => ID, { description: 'A UUID (seed 003 shows it as both id and uuid)' }) id!: string;
  @Field(() => String, { description: "The messenger's thread: the chat at the messenger or the widget visitor" }) threadId!: string;
  @Field(() => Channel) channel!: Channel;
  @Field(() => DialogStatus) status!: DialogStatus;
  @Field(() => ID, { nullable: true }) managerUserId!: number | null;
  @Field({ description: "The AI assistant answers the client (the AI subgraph's hook)" }) ai!: boolean;
  @Field({ description: 'The client asked for no more messages: nothing is sent' }) unsubscribed!: boolean;
  @Field(() => Date, {
    nullable: true,
    description: 'When the AI assistant last stopped answering it (ai turned off); null again when ai is turned back on',
  })
  handedOverAt!: Date | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why: the client asked for a person, a manager replied or turned ai off, or the assistant could not answer',
  })
  handoverReason!: string | null;
  @Field(() => Int, { description: '0–100' }) closeRatio!: number;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => Float, { nullable: true }) price!: number | null;
  @Field(() => Int) messagesCount!: number;
  @Field(() => String, { nullable: true, description: 'The text of the last message' }) lastMessageText!: string | null;
  @Field(() => Date, { nullable: true }) lastMessageAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Since when it waits for the client (follow-ups count from it)' })
  awaitingReplySince!: Date | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field() lastActivityAt!: Date;
}

@ObjectType('DialogConnection')
export class DialogConnection extends Connection(DialogType, 'Dialog') {}

@Directive('@key(fields: "id")')
@ObjectType('DialogMessage', { description: 'One message of a dialog' })
export class DialogMessageType {
  @Field(() => ID) id!: string;
  @Field(() => MessageRole) role!: MessageRole;
  @Field() text!: string;
  @Field(() => ID, { nullable: true }) authorUserId!: number | null;
  @Field(() => DeliveryStatus) delivery!: DeliveryStatus;
  @Field(() => String, { nullable: true, description: 'Why delivery failed' }) deliveryError!: string | null;
  @Field(() => Date, { description: 'When it was written (seed 003 `timestamp`)' }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the messenger accepted it' }) deliveredAt!: Date | null;
}

@ObjectType('DialogMessageConnection')
export class DialogMessageConnection extends Connection(DialogMessageType, 'DialogMessage') {}
