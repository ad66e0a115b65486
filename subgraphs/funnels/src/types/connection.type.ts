import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionState, MessengerType } from './enums.js';

@ObjectType('MessengerConnection', {
  description: "A funnel's messenger account (a Telegram bot, a WhatsApp number); seed 004's Telegram bots are these too",
})
export class MessengerConnectionType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => MessengerType) messengerType!: MessengerType;
  @Field() isActive!: boolean;
  @Field(() => ConnectionState) state!: ConnectionState;
  @Field(() => String, { nullable: true, description: 'The account as the messenger names it (bot @username, phone)' })
  accountName!: string | null;
  @Field({ description: 'The end of the token (…a1b2); it is never returned whole' }) tokenHint!: string;
  @Field(() => String, { nullable: true, description: 'Why the last start or test failed' }) lastError!: string | null;
  @Field(() => ID) ownerUserId!: number;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('ConnectionTestResult', { description: 'A test message sent through a connection' })
export class ConnectionTestResult {
  @Field() ok!: boolean;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType('ConnectionData', { description: 'What a connection holds, with secrets masked (seed 003 `connection_data`)' })
export class ConnectionDataType {
  @Field({ description: 'The end of the token' }) tokenHint!: string;
  @Field(() => String, { nullable: true }) accountName!: string | null;
  @Field(() => String, { nullable: true, description: 'WhatsApp: the Cloud API phone number id' }) phoneNumberId!: string | null;
  @Field({ description: 'Where the messenger posts updates (relative to the gateway’s PUBLIC_URL)' }) webhookPath!: string;
  @Field(() => String, { nullable: true, description: "WhatsApp: the verify token to enter in Meta's webhook settings" })
  verifyToken!: string | null;
}
