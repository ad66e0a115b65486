import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';
import { Department, TicketMessageRole, TicketPriority, TicketStatus } from './enums.js';

@ObjectType('Attachment', { description: 'A file attached to a ticket or one of its messages' })
export class AttachmentType {
  @Field(() => ID) id!: string;
  @Field({ description: 'The file name as uploaded' }) name!: string;
  @Field({ description: 'The type read from the bytes, not the one the client claimed' }) contentType!: string;
  @Field(() => Int, { description: 'Bytes' }) size!: number;
  @Field() createdAt!: Date;
}

@Directive('@key(fields: "id")')
@ObjectType('Ticket', { description: 'A support request (seed 003), with its SLA deadlines' })
export class TicketType {
  @Field(() => ID) id!: string;
  @Field() subject!: string;
  @Field() description!: string;
  @Field(() => Department) department!: Department;
  @Field(() => TicketStatus) status!: TicketStatus;
  @Field(() => TicketPriority) priority!: TicketPriority;
  @Field(() => Int) messagesCount!: number;
  @Field({ description: 'When support must first answer' }) firstResponseDueAt!: Date;
  @Field({ description: 'When the ticket must be resolved' }) resolutionDueAt!: Date;
  @Field(() => Date, { nullable: true }) firstRespondedAt!: Date | null;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the first-response deadline passed unmet' })
  firstResponseBreachedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the resolution deadline passed unmet' }) resolutionBreachedAt!: Date | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('TicketConnection')
export class TicketConnection extends Connection(TicketType, 'Ticket') {}

@Directive('@key(fields: "id")')
@ObjectType('TicketMessage', { description: 'One message of a ticket' })
export class TicketMessageType {
  @Field(() => ID) id!: string;
  @Field(() => TicketMessageRole) role!: TicketMessageRole;
  @Field() text!: string;
  @Field(() => ID) authorUserId!: number;
  @Field({ description: 'When it was written (seed 003 `timestamp`)' }) createdAt!: Date;
}

@ObjectType('TicketMessageConnection')
export class TicketMessageConnection extends Connection(TicketMessageType, 'TicketMessage') {}
