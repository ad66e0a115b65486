import { IsOptional, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { OptionalNotNull } from '@salesgraph/platform';
import { Department, TicketPriority, TicketStatus } from './enums.js';

@InputType()
export class CreateTicketInput {
  @Field() @Length(1, 200) subject!: string;
  @Field() @Length(1, 20_000) description!: string;
  @Field(() => Department) department!: Department;
  @Field(() => TicketPriority, { nullable: true, description: 'Default medium' }) @OptionalNotNull() priority?: TicketPriority;
  @Field(() => ID, { nullable: true, description: 'A funnel of your organization the ticket is about' }) @IsOptional() funnelId?:
    string | null;
}

@InputType({
  description: 'Support agents (managers and admins) change status, priority, department and assignee; the requester may only close it',
})
export class UpdateTicketInput {
  @Field(() => TicketStatus, { nullable: true }) @OptionalNotNull() status?: TicketStatus;
  @Field(() => TicketPriority, { nullable: true, description: 'Moves the SLA deadlines (from the creation time)' })
  @OptionalNotNull()
  priority?: TicketPriority;
  @Field(() => Department, { nullable: true }) @OptionalNotNull() department?: Department;
  @Field(() => ID, { nullable: true, description: 'null: nobody' }) @IsOptional() assigneeUserId?: string | null;
}
