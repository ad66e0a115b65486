import { Field, ID, ObjectType } from 'type-graphql';
import { UserRef } from './user.type.js';
import { CallTaskStatus } from './enums.js';

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
