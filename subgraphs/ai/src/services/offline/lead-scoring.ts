// Rule-based lead scoring: six factors, each a value in 0..1 with a fixed weight, so a manager can see exactly
// why a lead got its score (the factors and their reasons are returned with it).
import { clamp, roundTo } from './text.js';

export interface LeadFacts {
  budget: number | null;
  /** OLX KASPI TELEGRAM WHATSAPP WEBSITE EMAIL PHONE REFERRAL CRM IMPORT OTHER */
  source: string;
  /** NEW CONTACTED QUALIFIED HOT WON LOST SPAM */
  status: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  createdAt: Date;
  lastActivityAt: Date | null;
  /** Messages the client wrote to us. */
  inboundMessages: number;
  /** Messages we wrote to the client. */
  outboundMessages: number;
}

export type ScoreFactorName = 'budget' | 'source' | 'status' | 'engagement' | 'recency' | 'contactability';

export interface ScoreFactor {
  name: ScoreFactorName;
  /** The factor's share of the score; all weights sum to 1. */
  weight: number;
  /** How well the lead does on this factor, 0..1. */
  value: number;
  /** weight × value × 100, rounded to 0.1. */
  points: number;
  /** Why, in English, naming the data. */
  reason: string;
}

export type LeadCategory = 'HOT' | 'WARM' | 'COLD';

export interface LeadScoring {
  /** Integer 0..100: the rounded sum of the factors' points. */
  score: number;
  category: LeadCategory;
  factors: ScoreFactor[];
  summary: string;
}

/**
 * The weights of the factors (they sum to 1). Budget and stage say most about a deal's worth and progress; whether
 * the client talks back is the next best signal; where the lead came from, how fresh it is and whether we can reach
 * them refine it.
 */
export const LEAD_SCORE_WEIGHTS: Readonly<Record<ScoreFactorName, number>> = Object.freeze({
  budget: 0.25,
  status: 0.2,
  engagement: 0.2,
  source: 0.15,
  recency: 0.12,
  contactability: 0.08,
});

export const HOT_SCORE = 70;
export const WARM_SCORE = 40;

/** HOT from 70, WARM from 40, COLD below. */
export function categoryOf(score: number): LeadCategory {
  return score >= HOT_SCORE ? 'HOT' : score >= WARM_SCORE ? 'WARM' : 'COLD';
}

// Budget bands (in the organization's currency): a log scale, since 20 000 vs 10 000 matters as much as 200 000 vs 100 000.
const BUDGET_TOP = 200_000;
const BUDGET_HIGH = 50_000;
const BUDGET_MIDDLE = 10_000;
/** The budget that scores 0.1; anything positive scores at least 0.05, so a small budget still beats none. */
const BUDGET_FLOOR = 1_000;

function budgetFactor(budget: number | null): [number, string] {
  if (budget === null || !Number.isFinite(budget) || budget <= 0) return [0, 'no budget given'];
  const value = clamp(0.1 + (0.9 * Math.log(budget / BUDGET_FLOOR)) / Math.log(BUDGET_TOP / BUDGET_FLOOR), 0.05, 1);
  const band =
    budget >= BUDGET_TOP
      ? `in the top band (≥ ${BUDGET_TOP})`
      : budget >= BUDGET_HIGH
        ? `in the high band (${BUDGET_HIGH}–${BUDGET_TOP})`
        : budget >= BUDGET_MIDDLE
          ? `in the middle band (${BUDGET_MIDDLE}–${BUDGET_HIGH})`
          : `in the low band (< ${BUDGET_MIDDLE})`;
  return [value, `budget ${budget} is ${band}`];
}

/** How often a lead from each channel turns into a deal, roughly: a recommendation or a filled-in site form beats a classified ad. */
const SOURCE_VALUES: Readonly<Record<string, number>> = {
  REFERRAL: 1,
  WEBSITE: 0.85,
  PHONE: 0.8,
  WHATSAPP: 0.7,
  TELEGRAM: 0.65,
  EMAIL: 0.65,
  CRM: 0.6,
  KASPI: 0.55,
  OLX: 0.4,
  IMPORT: 0.35,
  OTHER: 0.3,
};
const UNKNOWN_SOURCE = 0.3;

function sourceFactor(source: string): [number, string] {
  const value = SOURCE_VALUES[source] ?? UNKNOWN_SOURCE;
  const level = value >= 0.8 ? 'a strong' : value >= 0.6 ? 'a good' : value >= 0.4 ? 'an average' : 'a weak';
  return [value, `source ${source} is ${level} channel`];
}

/** How far along the funnel each stage is; a lost or spam lead is worth nothing. */
const STATUS_VALUES: Readonly<Record<string, number>> = {
  NEW: 0.3,
  CONTACTED: 0.5,
  QUALIFIED: 0.75,
  HOT: 0.9,
  WON: 1,
  LOST: 0,
  SPAM: 0,
};
const STATUS_REASONS: Readonly<Record<string, string>> = {
  NEW: 'not contacted yet',
  CONTACTED: 'first contact made',
  QUALIFIED: 'qualified as a real prospect',
  HOT: 'marked hot by the team',
  WON: 'the deal is won',
  LOST: 'the deal is lost',
  SPAM: 'marked as spam',
};

function statusFactor(status: string): [number, string] {
  const value = STATUS_VALUES[status] ?? STATUS_VALUES.NEW;
  return [value, `status ${status}: ${STATUS_REASONS[status] ?? 'unknown stage, counted as new'}`];
}

// A client writing back is what matters: replies fill 85 % of the factor (about 63 % of that at 3 replies), our own
// outreach the other 15 % (it shows work done, not interest). Both saturate, so volume alone cannot max it out.
const INBOUND_SHARE = 0.85;
const INBOUND_SCALE = 3;
const OUTBOUND_SHARE = 0.15;
const OUTBOUND_SCALE = 5;

function engagementFactor(inbound: number, outbound: number): [number, string] {
  const i = Math.max(0, Number.isFinite(inbound) ? inbound : 0);
  const o = Math.max(0, Number.isFinite(outbound) ? outbound : 0);
  const value = INBOUND_SHARE * (1 - Math.exp(-i / INBOUND_SCALE)) + OUTBOUND_SHARE * (1 - Math.exp(-o / OUTBOUND_SCALE));
  const reason =
    i === 0
      ? o === 0
        ? 'no messages exchanged yet'
        : `no reply from the client yet to ${plural(o, 'message')} we sent`
      : `the client wrote ${plural(i, 'message')}, we sent ${o}`;
  return [value, reason];
}

/** Interest halves every two weeks without activity. */
export const RECENCY_HALF_LIFE_DAYS = 14;
const DAY_MS = 86_400_000;

function recencyFactor(createdAt: Date, lastActivityAt: Date | null, now: Date): [number, string] {
  const since = lastActivityAt ?? createdAt;
  // A date in the future (clock skew between services) counts as now.
  const days = Math.max(0, (now.getTime() - since.getTime()) / DAY_MS);
  const value = 0.5 ** (days / RECENCY_HALF_LIFE_DAYS);
  const ago = days < 1 ? 'today' : `${plural(Math.floor(days), 'day')} ago`;
  const what = lastActivityAt === null ? 'no activity recorded; created' : 'last activity';
  return [value, `${what} ${ago} (interest halves every ${RECENCY_HALF_LIFE_DAYS} days)`];
}

const present = (value: string | null): value is string => value !== null && value.trim().length > 0;

function contactabilityFactor(phone: string | null, email: string | null, company: string | null): [number, string] {
  // A phone reaches a person fastest; an email works; a company name helps to find the right contact.
  const hasPhone = present(phone) && phone.replace(/\D/gu, '').length >= 6;
  const hasEmail = present(email) && email.includes('@');
  const hasCompany = present(company);
  const value = (hasPhone ? 0.5 : 0) + (hasEmail ? 0.3 : 0) + (hasCompany ? 0.2 : 0);
  const known = [hasPhone && 'phone', hasEmail && 'email', hasCompany && 'company'].filter((k): k is string => k !== false);
  return [value, known.length === 0 ? 'no phone, email or company known' : `${list(known)} known`];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Scores a lead at `now` from its facts; same facts and time, same result. */
export function scoreLead(lead: LeadFacts, now: Date): LeadScoring {
  const raw: Record<ScoreFactorName, [number, string]> = {
    budget: budgetFactor(lead.budget),
    source: sourceFactor(lead.source),
    status: statusFactor(lead.status),
    engagement: engagementFactor(lead.inboundMessages, lead.outboundMessages),
    recency: recencyFactor(lead.createdAt, lead.lastActivityAt, now),
    contactability: contactabilityFactor(lead.phone, lead.email, lead.company),
  };
  const factors = (Object.keys(raw) as ScoreFactorName[]).map((name): ScoreFactor => {
    const [value, reason] = raw[name];
    const weight = LEAD_SCORE_WEIGHTS[name];
    return { name, weight, value: roundTo(value, 3), points: roundTo(weight * value * 100, 1), reason };
  });

  if (lead.status === 'SPAM') {
    return {
      score: 0,
      category: 'COLD',
      factors,
      summary: 'Score 0/100 (COLD): the lead is marked as spam, so the other factors do not count.',
    };
  }
  const score = clamp(Math.round(factors.reduce((sum, f) => sum + f.points, 0)), 0, 100);
  const category = categoryOf(score);
  const byShare = [...factors].sort((a, b) => b.value - a.value);
  const strongest = byShare.slice(0, 2).map((f) => f.name);
  const weakest = byShare[byShare.length - 1];
  return {
    score,
    category,
    factors,
    summary: `Score ${score}/100 (${category}): strongest ${list(strongest)}; weakest ${weakest.name} (${weakest.reason}).`,
  };
}
