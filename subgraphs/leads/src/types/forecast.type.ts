import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Connection } from '@salesgraph/platform';
import { ForecastMethod, ForecastPeriodKind } from './forecast-enums.js';
import { UserRef } from './user.type.js';

@Directive('@key(fields: "id")')
@ObjectType('Forecast', { description: 'A sales forecast: the revenue and deals an organization expects in a period' })
export class ForecastType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => ForecastPeriodKind) periodKind!: ForecastPeriodKind;
  @Field(() => LocalDateResolver, { description: 'First day of the period' }) periodStart!: string;
  @Field(() => LocalDateResolver, { description: 'Last day of the period (included)' }) periodEnd!: string;
  @Field(() => Float, { description: 'Expected revenue in the period, in `currency`' }) predictedRevenue!: number;
  @Field({ description: 'ISO 4217 currency code of the revenue' }) currency!: string;
  @Field(() => Int, { nullable: true, description: 'Deals expected to close in the period' }) predictedDeals!: number | null;
  @Field(() => Int, { nullable: true, description: 'How sure the forecast is, in percent (0–100)' }) confidence!: number | null;
  @Field(() => ForecastMethod) method!: ForecastMethod;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => UserRef, { description: 'Who made it' }) createdBy!: UserRef;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('ForecastConnection')
export class ForecastConnection extends Connection(ForecastType, 'Forecast') {}
