import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { CallType } from './call.type.js';
import { UserRef } from './user.type.js';
import { CallEventType } from './enums.js';

@Directive('@key(fields: "id")')
@ObjectType('CallEvent', { description: 'Something that happened to a call: what realtime subscriptions deliver, and the call history' })
export class CallEventObject {
  @Field(() => ID) id!: string;
  @Field(() => CallEventType) type!: CallEventType;
  @Field(() => CallType) call!: CallType;
  @Field(() => UserRef, { nullable: true, description: 'Who did it (for transfers: the user the call came from)' }) actor!: UserRef | null;
  @Field(() => UserRef, { nullable: true, description: 'Transfers: the user the call moved from' }) fromUser!: UserRef | null;
  @Field(() => UserRef, { nullable: true, description: 'Transfers: the user the call moved to' }) toUser!: UserRef | null;
  @Field(() => String, { nullable: true, description: 'Transfers: why' }) reason!: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Hold changes: whether the call is now on hold' }) isOnHold!: boolean | null;
  @Field() occurredAt!: Date;
}
