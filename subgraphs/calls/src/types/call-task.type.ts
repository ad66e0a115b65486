import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { UserRef } from './user.type.js';

export enum CallTaskStatus {
  OPEN = 'open',
  IN_PROGRESS = 'in_progress',
  DONE = 'done',
  CANCELLED = 'cancelled',
}
registerEnumType(CallTaskStatus, { name: 'CallTaskStatus' });

@ObjectType('CallTask', { description: 'A follow-up to do after a call' })
export class CallTaskType {
  @Field(() => ID) id!: number;
  @Field(() => ID, { nullable: true }) callId!: number | null;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => CallTaskStatus) status!: CallTaskStatus;
  @Field(() => Date, { nullable: true }) dueDate!: Date | null;
  @Field(() => UserRef, { nullable: true }) assignedUser!: UserRef | null;
  @Field(() => UserRef) createdBy!: UserRef;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}
