import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { ForecastMethod, ForecastPeriodKind } from '../types/forecast-enums.js';

/** A sales forecast (seed 000 `/forecasts`): the revenue and deals an organization expects in a period. */
export const ForecastSchema = defineEntity({
  name: 'Forecast',
  tableName: 'forecasts',
  indexes: [{ properties: ['organizationId', 'periodStart'] }],
  // The input checks refuse these first; the table keeps them true whatever writes it.
  checks: [
    { name: 'forecasts_period_check', expression: 'period_end >= period_start' },
    { name: 'forecasts_predicted_revenue_check', expression: 'predicted_revenue >= 0' },
    { name: 'forecasts_predicted_deals_check', expression: 'predicted_deals >= 0' },
    { name: 'forecasts_confidence_check', expression: '(confidence >= 0) AND (confidence <= 100)' },
  ],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    /** The user who made it (identity's user id). */
    createdById: p.integer(),
    name: p.string().length(200),
    periodKind: p.enum(() => ForecastPeriodKind),
    /** First and last day of the period, both included (`YYYY-MM-DD`). */
    periodStart: p.date(),
    periodEnd: p.date(),
    /** In `currency`, to the cent. */
    predictedRevenue: p.decimal('number').precision(15).scale(2),
    /** ISO 4217 code. */
    currency: p.string().length(3),
    predictedDeals: p.integer().nullable(),
    /** Percent, 0–100. */
    confidence: p.smallint().nullable(),
    method: p.enum(() => ForecastMethod),
    notes: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Forecast extends ForecastSchema.class {}
ForecastSchema.setClass(Forecast);
