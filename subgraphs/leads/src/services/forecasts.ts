import type { EntityManager } from '@mikro-orm/core';
import { badInput, isUuid, notFound, type Identity, type SignedIn } from '@salesgraph/platform';
import { Forecast } from '../entities/index.js';
import { ForecastPeriodKind } from '../types/forecast-enums.js';

/** The forecasts a caller may see: their organization's, and none when not signed in. */
export function visibleForecasts(identity: Identity): { organizationId: string } | undefined {
  if (identity.kind === 'anonymous' || identity.organizationId === undefined) return undefined;
  return { organizationId: identity.organizationId };
}

/** A GraphQL ID as the forecast key it must be: a malformed one is BAD_USER_INPUT (a well-formed stranger's is not found). */
export function forecastId(id: string): string {
  if (!isUuid(id)) throw badInput(`"${id}" is not a forecast id`, [{ field: 'id', message: 'must be a UUID' }]);
  return id.toLowerCase();
}

/** BAD_USER_INPUT about one field, named in the message as well (REST answers carry only the message). */
export const invalid = (field: string, problem: string) => badInput(`Invalid input: ${field} ${problem}`, [{ field, message: problem }]);

export async function findForecast(em: EntityManager, caller: SignedIn, id: string): Promise<Forecast> {
  const forecast = await em.findOne(Forecast, { id: forecastId(id), organizationId: caller.organizationId });
  if (!forecast) throw notFound('Forecast');
  return forecast;
}

const MONTHS: Record<Exclude<ForecastPeriodKind, ForecastPeriodKind.CUSTOM>, number> = {
  [ForecastPeriodKind.MONTH]: 1,
  [ForecastPeriodKind.QUARTER]: 3,
  [ForecastPeriodKind.YEAR]: 12,
};
const LAST_DAY = '9999-12-31';

/** `YYYY-MM-DD` (already checked by the LocalDate scalar) → its parts. */
const partsOf = (day: string) => day.split('-').map(Number) as [number, number, number];
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * The day before the 1st of the month `months` after the month of `day` (a month's, quarter's or year's last
 * day); undefined past the last day a LocalDate can name.
 */
function lastDayAfter(day: string, months: number): string | undefined {
  const [year, month] = partsOf(day);
  // Day 0 of a month is the last day of the one before (setUTCFullYear, as Date.UTC would read years below 100 as 19xx).
  const last = new Date(0);
  last.setUTCFullYear(year, month - 1 + months, 0);
  if (last.getUTCFullYear() > 9999) return undefined;
  return `${pad(last.getUTCFullYear(), 4)}-${pad(last.getUTCMonth() + 1, 2)}-${pad(last.getUTCDate(), 2)}`;
}

export interface Period {
  periodKind: ForecastPeriodKind;
  periodStart: string;
  periodEnd: string;
}

/**
 * The period a forecast covers, checked: MONTH, QUARTER and YEAR start on the 1st of a month and end when
 * they are over (`end`, when given, must say so); CUSTOM needs an end (`end`, else `currentEnd`) not before its start.
 */
export function periodOf(kind: ForecastPeriodKind, start: string, end: string | null | undefined, currentEnd?: string): Period {
  if (kind === ForecastPeriodKind.CUSTOM) {
    const periodEnd = end ?? currentEnd;
    if (!periodEnd) throw invalid('periodEnd', 'is required for a CUSTOM period');
    if (periodEnd < start) throw invalid('periodEnd', `must not be before periodStart (${start})`);
    return { periodKind: kind, periodStart: start, periodEnd };
  }
  const name = kind.toUpperCase();
  if (partsOf(start)[2] !== 1) throw invalid('periodStart', `must be the 1st of a month for a ${name} period`);
  const periodEnd = lastDayAfter(start, MONTHS[kind]);
  if (!periodEnd) throw invalid('periodStart', `must leave the ${name} period ending by ${LAST_DAY}`);
  if (end && end !== periodEnd) throw invalid('periodEnd', `must be ${periodEnd} (or left out) for a ${name} period starting ${start}`);
  return { periodKind: kind, periodStart: start, periodEnd };
}

/** An amount as the column keeps it: to the cent. */
export const toCents = (amount: number) => Math.round(amount * 100) / 100;
