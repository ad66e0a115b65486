// Revenue forecast from past periods: Holt's linear exponential smoothing (a level and a trend, both updated each
// period) when there is enough history to fit it, the plain mean when there is not. The interval comes from how far
// the method's own one-step-ahead forecasts missed in the past.
import { clamp, roundTo } from './text.js';

export interface RevenuePeriod {
  /** YYYY-MM-DD, the first day of the period; periods are taken to be of equal length. */
  periodStart: string;
  revenue: number;
  deals: number;
}

export type ForecastMethod = 'holt' | 'mean' | 'none';

export interface ForecastResult {
  /** Revenue of the period `horizon` periods after the last one, in cents precision. */
  predictedRevenue: number;
  predictedDeals: number;
  /** About an 80 % interval around the prediction; `low` is never negative. */
  low: number;
  high: number;
  /** 0–100: falls as the interval widens relative to the prediction. */
  confidence: number;
  method: ForecastMethod;
  periodsUsed: number;
  explanation: string;
}

/** Holt needs a level, a trend and a few errors to fit them against. */
export const HOLT_MIN_PERIODS = 4;
/** The normal quantile of an 80 % two-sided interval. */
const Z80 = 1.28;
/** Smoothing constants tried; the pair with the smallest one-step-ahead squared error wins. */
const GRID = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
/**
 * The spread is at least 3 % of the mean revenue: a perfect fit on a handful of periods (a straight line, a constant)
 * does not make the future certain.
 */
const MIN_RELATIVE_SPREAD = 0.03;
/** With 1–3 periods the interval is at least ±50 % of the mean, and confidence at most 40. */
const MEAN_MIN_HALF_WIDTH = 0.5;
const MEAN_MAX_CONFIDENCE = 40;

interface HoltFit {
  alpha: number;
  beta: number;
  level: number;
  trend: number;
  /** Sum of squared one-step-ahead errors, and how many errors it holds. */
  sse: number;
  errors: number;
}

/**
 * Runs Holt's method with the given constants. The level starts at the first value and the trend at the first
 * difference, so the first forecast (of the second value) is exact by construction: errors count from the third value.
 */
function holt(series: number[], alpha: number, beta: number): HoltFit {
  let level = series[0];
  let trend = series[1] - series[0];
  let sse = 0;
  let errors = 0;
  for (let t = 1; t < series.length; t++) {
    const forecast = level + trend;
    if (t >= 2) {
      sse += (series[t] - forecast) ** 2;
      errors++;
    }
    const previous = level;
    level = alpha * series[t] + (1 - alpha) * (level + trend);
    trend = beta * (level - previous) + (1 - beta) * trend;
  }
  return { alpha, beta, level, trend, sse, errors };
}

function fitHolt(series: number[]): HoltFit {
  let best: HoltFit | undefined;
  for (const alpha of GRID) {
    for (const beta of GRID) {
      const fit = holt(series, alpha, beta);
      // Ties keep the smoother (earlier) pair.
      if (best === undefined || fit.sse < best.sse - 1e-9) best = fit;
    }
  }
  return best ?? holt(series, GRID[0], GRID[0]);
}

/** Residual standard deviation: two constants were fitted, so two degrees of freedom fewer (at least one left). */
const residualSd = (fit: HoltFit) => Math.sqrt(fit.sse / Math.max(1, fit.errors - 2));

const money = (value: number) => roundTo(value, 2);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Checks the input and merges periods with the same start (summed), in date order. */
function prepare(history: RevenuePeriod[], horizon: number): RevenuePeriod[] {
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be a positive integer, got ${horizon}`);
  const byStart = new Map<string, RevenuePeriod>();
  for (const period of history) {
    if (!/^\d{4}-\d{2}-\d{2}$/u.test(period.periodStart) || Number.isNaN(Date.parse(period.periodStart))) {
      throw new RangeError(`periodStart must be a date as YYYY-MM-DD, got "${period.periodStart}"`);
    }
    if (!Number.isFinite(period.revenue) || !Number.isFinite(period.deals)) {
      throw new RangeError(`revenue and deals must be finite numbers (period ${period.periodStart})`);
    }
    const seen = byStart.get(period.periodStart);
    byStart.set(
      period.periodStart,
      seen === undefined ? { ...period } : { ...seen, revenue: seen.revenue + period.revenue, deals: seen.deals + period.deals },
    );
  }
  return [...byStart.values()].sort((a, b) => a.periodStart.localeCompare(b.periodStart));
}

/** Confidence from the interval's width relative to the prediction: 100 for a point, 0 at twice the prediction. */
function confidenceOf(predicted: number, low: number, high: number): number {
  if (predicted <= 0) return 0;
  return Math.round(100 * clamp(1 - (high - low) / predicted / 2, 0, 1));
}

/**
 * Forecasts the revenue and deals of the period `horizon` periods after the last one in `history` (not a sum over
 * the horizon). Throws a RangeError for a bad date, a non-finite number or a horizon below 1.
 */
export function forecastRevenue(history: RevenuePeriod[], horizon = 1): ForecastResult {
  const periods = prepare(history, horizon);
  const n = periods.length;
  if (n === 0) {
    return {
      predictedRevenue: 0,
      predictedDeals: 0,
      low: 0,
      high: 0,
      confidence: 0,
      method: 'none',
      periodsUsed: 0,
      explanation: 'No past periods: there is nothing to forecast from.',
    };
  }
  const revenue = periods.map((p) => p.revenue);
  const deals = periods.map((p) => p.deals);
  const average = mean(revenue);
  const floor = MIN_RELATIVE_SPREAD * Math.abs(average);

  if (n < HOLT_MIN_PERIODS) {
    const sd = n > 1 ? Math.sqrt(revenue.reduce((s, r) => s + (r - average) ** 2, 0) / (n - 1)) : 0;
    const halfWidth = Math.max(Z80 * Math.max(sd, floor) * Math.sqrt(horizon), MEAN_MIN_HALF_WIDTH * Math.abs(average));
    const predicted = Math.max(0, average);
    const low = money(Math.max(0, predicted - halfWidth));
    const high = money(predicted + halfWidth);
    return {
      predictedRevenue: money(predicted),
      predictedDeals: Math.max(0, Math.round(mean(deals))),
      low,
      high,
      confidence: Math.min(MEAN_MAX_CONFIDENCE, confidenceOf(predicted, low, high)),
      method: 'mean',
      periodsUsed: n,
      explanation:
        `Only ${n} past period${n === 1 ? '' : 's'} (Holt's method needs ${HOLT_MIN_PERIODS}): the forecast is their mean ` +
        `revenue, with an interval of at least ±${MEAN_MIN_HALF_WIDTH * 100} % since so little history says little about the trend.`,
    };
  }

  const fit = fitHolt(revenue);
  const dealsFit = fitHolt(deals);
  const predicted = Math.max(0, fit.level + horizon * fit.trend);
  const spread = Math.max(residualSd(fit), floor);
  const halfWidth = Z80 * spread * Math.sqrt(horizon);
  const low = money(Math.max(0, predicted - halfWidth));
  const high = money(predicted + halfWidth);
  const sign = fit.trend >= 0 ? '+' : '−';
  return {
    predictedRevenue: money(predicted),
    predictedDeals: Math.max(0, Math.round(dealsFit.level + horizon * dealsFit.trend)),
    low,
    high,
    confidence: confidenceOf(predicted, low, high),
    method: 'holt',
    periodsUsed: n,
    explanation:
      `Holt's linear exponential smoothing over ${n} periods (alpha ${fit.alpha}, beta ${fit.beta}, chosen for the smallest ` +
      `one-step-ahead error): level ${money(fit.level)}, trend ${sign}${money(Math.abs(fit.trend))} per period, ` +
      `${horizon} period${horizon === 1 ? '' : 's'} ahead. The 80 % interval is ±${Z80} × ${money(spread)} × √${horizon}, ` +
      (spread > floor
        ? 'from the spread of past forecast errors.'
        : `${MIN_RELATIVE_SPREAD * 100} % of the mean revenue: past forecast errors were smaller, but a close fit on few periods is no guarantee.`),
  };
}
