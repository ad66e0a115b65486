import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserRef } from './user.type.js';

export enum StatisticsPeriod {
  TODAY = 'today',
  WEEK = 'week',
  MONTH = 'month',
  YEAR = 'year',
}
registerEnumType(StatisticsPeriod, { name: 'StatisticsPeriod', description: 'Calendar periods up to now, in UTC' });

@ObjectType('CallStatistics', { description: 'Totals over the calls started in a period' })
export class CallStatistics {
  @Field(() => Int) totalCalls!: number;
  @Field(() => Int) acceptedCalls!: number;
  @Field(() => Int) rejectedCalls!: number;
  @Field(() => Int) missedCalls!: number;
  @Field(() => Int) completedCalls!: number;
  @Field(() => Int, { description: 'Calls ringing or in progress now' }) activeCalls!: number;
  @Field(() => Int, { description: 'Seconds, over calls with a duration' }) avgDuration!: number;
  @Field(() => Int, { description: 'Seconds' }) totalDuration!: number;
  @Field(() => Float, { description: 'Answered calls / all calls, 0–1' }) conversionRate!: number;
  @Field(() => Int, { description: 'Seconds on hold' }) totalHoldTime!: number;
  @Field(() => Int) transferCount!: number;
}

@ObjectType('UserCallStatistics')
export class UserCallStatistics {
  @Field(() => UserRef) user!: UserRef;
  @Field(() => Int) totalCalls!: number;
  @Field(() => Int) acceptedCalls!: number;
  @Field(() => Int) rejectedCalls!: number;
  @Field(() => Int) missedCalls!: number;
  @Field(() => Int) avgDuration!: number;
  @Field(() => Int) totalDuration!: number;
}
