import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';
import { CallPriority, CallStatus } from './enums.js';

@Directive('@key(fields: "id")')
@ObjectType('Call', { description: 'A phone call; ids are integers as in the legacy APIs' })
export class CallType {
  @Field(() => ID) id!: number;
  @Field() callerNumber!: string;
  @Field(() => String, {
    nullable: true,
    description: "The caller's number in E.164 (+77771234567), as leads, clients and dialogs are matched by it",
  })
  callerE164!: string | null;
  @Field(() => String, { nullable: true }) receiverNumber!: string | null;
  @Field(() => String, { nullable: true, description: 'PBX channel, e.g. "SIP/1001-00000001"' }) channelId!: string | null;
  @Field(() => CallStatus) status!: CallStatus;
  @Field({ description: 'When the call came in' }) startedAt!: Date;
  @Field(() => Date, { nullable: true }) acceptedAt!: Date | null;
  @Field(() => Date, { nullable: true }) answeredAt!: Date | null;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'Seconds from answer to end' }) duration!: number | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => String, { nullable: true }) customerName!: string | null;
  @Field(() => String, { nullable: true }) customerCompany!: string | null;
  @Field(() => String, { nullable: true }) customerEmail!: string | null;
  @Field(() => String, { nullable: true }) customerPhone!: string | null;
  @Field(() => String, { nullable: true }) purpose!: string | null;
  @Field(() => CallPriority) priority!: CallPriority;
  @Field(() => Date, { nullable: true }) followUpDate!: Date | null;
  @Field(() => String, { nullable: true }) outcome!: string | null;
  @Field(() => String, { nullable: true }) recordingUrl!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => Int) transferCount!: number;
  @Field() isOnHold!: boolean;
  @Field() isMuted!: boolean;
  @Field() isSpeakerOn!: boolean;
  @Field(() => ID, { nullable: true, description: 'The lead whose phone matched the caller, if any' }) leadId!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('CallConnection')
export class CallConnection extends Connection(CallType, 'Call') {}

@ObjectType('TranscriptSegment')
export class TranscriptSegmentType {
  @Field(() => ID) id!: number;
  @Field() speaker!: string;
  @Field() text!: string;
  @Field(() => Float, { description: 'Seconds from the start of the call' }) startOffset!: number;
  @Field(() => Float) endOffset!: number;
  @Field() createdAt!: Date;
}
