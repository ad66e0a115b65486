import { ArgsType, Field, Float, InputType, Int } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { IsOptional, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { OptionalNotNull, PageArgs, SortDirection } from '@salesgraph/platform';
import { ForecastMethod, ForecastOrderField, ForecastPeriodKind } from './forecast-enums.js';

/** numeric(15, 2): the largest amount the column holds. */
export const MAX_REVENUE = 9_999_999_999_999.99;
const CURRENCY = /^[A-Z]{3}$/;
const CURRENCY_RULE = { message: 'must be an ISO 4217 code: three capital letters, e.g. RUB' };
const NOT_BLANK = /\S/;
const NOT_BLANK_RULE = { message: 'must not be blank' };

const PERIOD_END =
  'Last day of the period (included): required for CUSTOM; for MONTH, QUARTER and YEAR it follows from periodStart and may be left out';

@InputType()
export class CreateForecastInput {
  @Field() @Length(1, 200) @Matches(NOT_BLANK, NOT_BLANK_RULE) name!: string;
  @Field(() => ForecastPeriodKind, { defaultValue: ForecastPeriodKind.CUSTOM }) periodKind!: ForecastPeriodKind;
  @Field(() => LocalDateResolver, { description: 'First day of the period (the 1st of a month unless CUSTOM)' }) periodStart!: string;
  @Field(() => LocalDateResolver, { nullable: true, description: PERIOD_END }) @IsOptional() periodEnd?: string | null;
  @Field(() => Float, { description: 'Expected revenue, 0–9,999,999,999,999.99 (rounded to the cent)' })
  @Min(0)
  @Max(MAX_REVENUE)
  predictedRevenue!: number;
  @Field({ defaultValue: 'RUB', description: 'ISO 4217 currency code' }) @MaxLength(3) @Matches(CURRENCY, CURRENCY_RULE) currency!: string;
  @Field(() => Int, { nullable: true, description: 'Deals expected to close, 0 or more' }) @IsOptional() @Min(0) predictedDeals?:
    number | null;
  @Field(() => Int, { nullable: true, description: 'Percent, 0–100' }) @IsOptional() @Min(0) @Max(100) confidence?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(10_000) notes?: string | null;
}

@InputType({ description: 'The fields to change; those left out keep their values' })
export class UpdateForecastInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 200) @Matches(NOT_BLANK, NOT_BLANK_RULE) name?: string;
  @Field(() => ForecastPeriodKind, { nullable: true }) @OptionalNotNull() periodKind?: ForecastPeriodKind;
  @Field(() => LocalDateResolver, { nullable: true }) @OptionalNotNull() periodStart?: string;
  @Field(() => LocalDateResolver, { nullable: true, description: PERIOD_END }) @IsOptional() periodEnd?: string | null;
  @Field(() => Float, { nullable: true, description: 'Expected revenue, 0–9,999,999,999,999.99 (rounded to the cent)' })
  @OptionalNotNull()
  @Min(0)
  @Max(MAX_REVENUE)
  predictedRevenue?: number;
  @Field({ nullable: true, description: 'ISO 4217 currency code' })
  @OptionalNotNull()
  @MaxLength(3)
  @Matches(CURRENCY, CURRENCY_RULE)
  currency?: string;
  @Field(() => Int, { nullable: true, description: 'Deals expected to close, 0 or more; null clears it' })
  @IsOptional()
  @Min(0)
  predictedDeals?: number | null;
  @Field(() => Int, { nullable: true, description: 'Percent, 0–100; null clears it' }) @IsOptional() @Min(0) @Max(100) confidence?:
    number | null;
  @Field(() => String, { nullable: true, description: 'null clears them' }) @IsOptional() @MaxLength(10_000) notes?: string | null;
}

@ArgsType()
export class ForecastsArgs extends PageArgs {
  @Field(() => LocalDateResolver, { nullable: true, description: 'Forecasts whose period ends on or after this day' }) dateFrom?:
    string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Forecasts whose period starts on or before this day' }) dateTo?:
    string | null;
  @Field(() => ForecastMethod, { nullable: true }) method?: ForecastMethod | null;
  @Field(() => ForecastPeriodKind, { nullable: true }) periodKind?: ForecastPeriodKind | null;
  @Field({ nullable: true, description: 'Matches the name or the notes' }) @IsOptional() @MaxLength(100) search?: string;
  @Field(() => ForecastOrderField, { defaultValue: ForecastOrderField.PERIOD_START }) orderBy!: ForecastOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.DESC }) direction!: SortDirection;
}
