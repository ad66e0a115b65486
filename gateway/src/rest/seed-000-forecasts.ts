import {
  CreateForecastDocument,
  DeleteForecastDocument,
  ForecastDocument,
  ForecastsDocument,
  UpdateForecastDocument,
  type CreateForecastInput,
  type ForecastFieldsFragment,
} from '../generated/graphql.js';
import { ForecastMethod, ForecastOrderField, ForecastPeriodKind, SortDirection } from '../generated/enums.js';
import { BodyMapping } from './body.js';
import { route, type JsonSchema, type RestRoute } from './route.js';
import { legacyValues, lower, nullableString, pageOf, pageSchema, upper } from './shapes.js';

// Seed 000's forecasts (`/forecasts`), spread into its route table (seed-000.ts). AI generation (`/forecasts/generate`) is in seed-000-ai.ts.

const PERIOD_KINDS = legacyValues(ForecastPeriodKind);
const METHODS = legacyValues(ForecastMethod);
/** `order_by` values: the sort fields, lower-case (`period_start` → PERIOD_START). */
const FORECAST_ORDER = legacyValues(ForecastOrderField);
const localDate = (description: string) => ({ type: 'string', format: 'date', example: '2025-01-01', description }) satisfies JsonSchema;

export const forecastOut = (f: ForecastFieldsFragment) => ({
  id: f.id,
  name: f.name,
  period_kind: lower(f.periodKind),
  period_start: f.periodStart,
  period_end: f.periodEnd,
  predicted_revenue: f.predictedRevenue,
  currency: f.currency,
  predicted_deals: f.predictedDeals,
  confidence: f.confidence,
  method: lower(f.method),
  notes: f.notes,
  created_by_id: Number(f.createdBy.id),
  created_at: f.createdAt,
  updated_at: f.updatedAt,
});
export const forecastSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string', example: 'Q1 2025' },
    period_kind: { type: 'string', enum: PERIOD_KINDS },
    period_start: localDate('First day of the period'),
    period_end: localDate('Last day of the period (included)'),
    predicted_revenue: { type: 'number', example: 1500000 },
    currency: { type: 'string', example: 'RUB' },
    predicted_deals: { type: 'integer', nullable: true },
    confidence: { type: 'integer', nullable: true, minimum: 0, maximum: 100, description: 'Percent' },
    method: { type: 'string', enum: METHODS },
    notes: nullableString,
    created_by_id: { type: 'integer' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

/** A forecast as analysts write one (the method is not theirs to set: these are manual). */
const forecastBody = new BodyMapping<CreateForecastInput>({
  name: { schema: { type: 'string' } },
  periodKind: {
    schema: { type: 'string', enum: PERIOD_KINDS, description: 'month, quarter and year start on the 1st; custom by default' },
    convert: upper,
  },
  periodStart: { schema: localDate('First day of the period') },
  periodEnd: { schema: { ...localDate('Last day (included): required for custom, else it follows from the start'), nullable: true } },
  predictedRevenue: { schema: { type: 'number', minimum: 0 } },
  currency: { schema: { type: 'string', description: 'ISO 4217 code (default RUB)' } },
  predictedDeals: { schema: { type: 'integer', minimum: 0, nullable: true } },
  confidence: { schema: { type: 'integer', minimum: 0, maximum: 100, nullable: true } },
  notes: { schema: nullableString },
});

const DEFAULT_LIMIT = 100;
const windowOf = (q: Record<string, unknown>) => ({ skip: (q.skip as number) ?? 0, limit: (q.limit as number) ?? DEFAULT_LIMIT });

/** The forecast routes under seed 000's prefix. */
export const forecastRoutes = (prefix: string): RestRoute[] => [
  route({
    method: 'get',
    path: `${prefix}/forecasts`,
    summary: "Your organization's forecasts; filter by period, method or kind, search, sort, page",
    operation: ForecastsDocument,
    query: {
      skip: { type: 'integer', minimum: 0 },
      limit: { type: 'integer', minimum: 1, maximum: 200 },
      date_from: localDate('Forecasts whose period ends on or after this day'),
      date_to: localDate('Forecasts whose period starts on or before this day'),
      method: { type: 'string', enum: METHODS },
      period_kind: { type: 'string', enum: PERIOD_KINDS },
      search: { type: 'string', description: 'Name or notes' },
      order_by: { type: 'string', enum: FORECAST_ORDER, description: 'Default period_start' },
      sort: { type: 'string', enum: legacyValues(SortDirection), description: 'Default desc' },
    },
    variables: ({ query: q }) => ({
      offset: windowOf(q).skip,
      first: windowOf(q).limit,
      dateFrom: q.date_from as string | undefined,
      dateTo: q.date_to as string | undefined,
      method: upper(q.method as string | undefined) as ForecastMethod | undefined,
      periodKind: upper(q.period_kind as string | undefined) as ForecastPeriodKind | undefined,
      search: q.search as string | undefined,
      orderBy: (upper(q.order_by as string | undefined) as ForecastOrderField | undefined) ?? ForecastOrderField.PeriodStart,
      direction: (upper(q.sort as string | undefined) as SortDirection | undefined) ?? SortDirection.Desc,
    }),
    respond: (d, { query: q }) => pageOf(d.forecasts.nodes.map(forecastOut), d.forecasts.totalCount, windowOf(q).skip, windowOf(q).limit),
    response: pageSchema(forecastSchema),
  }),
  route({
    method: 'post',
    path: `${prefix}/forecasts`,
    summary: 'Record a forecast (analysts and admins)',
    status: 201,
    operation: CreateForecastDocument,
    body: forecastBody.schema(['name', 'periodStart', 'predictedRevenue']),
    variables: ({ body }) => ({ input: forecastBody.input(body) }),
    respond: (d) => forecastOut(d.createForecast),
    response: forecastSchema,
  }),
  route({
    method: 'get',
    path: `${prefix}/forecasts/:forecast_id`,
    summary: 'A forecast of your organization',
    operation: ForecastDocument,
    resource: 'Forecast',
    variables: ({ params }) => ({ id: params.forecast_id }),
    respond: (d) => (d.forecast ? forecastOut(d.forecast) : null),
    response: forecastSchema,
  }),
  route({
    method: 'put',
    path: `${prefix}/forecasts/:forecast_id`,
    summary: 'Update a forecast (analysts and admins)',
    operation: UpdateForecastDocument,
    resource: 'Forecast',
    body: forecastBody.schema(),
    variables: ({ params, body }) => ({ id: params.forecast_id, input: forecastBody.input(body) }),
    respond: (d) => forecastOut(d.updateForecast),
    response: forecastSchema,
  }),
  route({
    method: 'delete',
    path: `${prefix}/forecasts/:forecast_id`,
    summary: 'Delete a forecast (admins only)',
    operation: DeleteForecastDocument,
    resource: 'Forecast',
    variables: ({ params }) => ({ id: params.forecast_id }),
    respond: () => undefined,
  }),
];
