import type { EntityManager } from '@mikro-orm/core';
import { badInput, notFound, serviceUnavailable, type SignedIn } from '@salesgraph/platform';
import { CallAnalysis } from '../entities/index.js';
import { AiForecastPeriod, AiObjectType, AiOperation, Language, ScoreCategory, Sentiment } from '../types/enums.js';
import type { GenerateEmailInput, GenerateForecastInput } from '../types/inputs.js';
import type { Crm, LeadRecord } from './crm.js';
import type { Served } from './meter.js';
import * as offline from './offline/index.js';
import type { PromptMessage, Route } from './providers/index.js';
import type { RunResult, Runner } from './runner.js';

/** What produced an answer: the backend's name and the model. */
interface Produced {
  provider: string;
  model: string;
}

export interface LeadScoring extends Produced {
  leadId: string;
  score: number;
  category: ScoreCategory;
  factors: offline.ScoreFactor[];
  summary: string;
}

export interface GeneratedEmail extends Produced {
  subject: string;
  body: string;
  outboundMessageId: string;
}

/** How the leads subgraph categorises a score (its rule, so the answer says what the lead now shows). */
const categoryOf = (score: number): ScoreCategory =>
  score >= 70 ? ScoreCategory.HOT : score >= 40 ? ScoreCategory.WARM : ScoreCategory.COLD;
const LOCAL_PROVIDER = 'local';
const MONTH_RE = /^(\d{4})-(\d{2})-01$/;
/** Months of history a forecast looks back at most. */
const HISTORY_MONTHS = 36;

/**
 * Lead scoring, e-mail drafts, call analysis and revenue forecasts (seed 000's AI functions). Each reads and
 * writes the CRM through its owners as the caller (`Crm`), asks the route's backend through the `Runner`
 * (budgets checked first, usage recorded) or, when the route is the offline provider, does the work here
 * (`offline`) and records it at no cost. A model's answer is read strictly: a malformed one is the
 * provider's failure, never a made-up result.
 */
export class AiFeatures {
  constructor(
    private readonly runner: Runner,
    private readonly crm: Crm,
  ) {}

  async scoreLead(em: EntityManager, caller: SignedIn, leadId: string, model?: string | null): Promise<LeadScoring> {
    const lead = await this.leadOf(caller, leadId);
    const route = await this.runner.route(em, caller, model);
    const served = this.leadServed(AiOperation.SCORE_LEAD, lead);
    const facts = factsOf(lead);
    const started = performance.now();
    const base = offline.scoreLead(facts, new Date());
    let score = base.score;
    let summary = base.summary;
    let produced: Produced;
    if (this.isOffline(route)) {
      produced = await this.offlineDone(em, caller, served, started, JSON.stringify(facts), summary);
    } else {
      const answer = await this.ask(em, caller, served, route, [
        {
          role: 'system',
          content:
            'You are a sales analyst scoring leads of a CRM from 0 (no chance) to 100 (ready to buy). Answer with a JSON object only: ' +
            '{"score": integer 0-100, "category": "HOT" (score >= 70) | "WARM" (40-69) | "COLD" (below 40), "reasons": [1 to 5 short sentences]}.',
        },
        {
          role: 'user',
          content: `Lead: ${JSON.stringify({ ...leadFactsForPrompt(lead), ...facts })}\nA rule-based scoring gave ${base.score} (${base.category}) from these factors (weights sum to 1): ${JSON.stringify(base.factors)}`,
        },
      ]);
      const json = parseJson(answer, route);
      const given = json.score;
      const reasons = json.reasons;
      if (typeof given !== 'number' || !Number.isFinite(given) || given < 0 || given > 100)
        throw malformed(route, 'score is not a number 0–100');
      if (typeof json.category !== 'string' || !(json.category in ScoreCategory))
        throw malformed(route, 'category is not HOT, WARM or COLD');
      if (!isStringList(reasons, 1, 10)) throw malformed(route, 'reasons is not a list of 1–10 texts');
      score = Math.round(given);
      summary = reasons.join(' ');
      produced = answer;
    }
    const written = await this.crm.writeScore(caller, lead.id, score);
    return {
      leadId: lead.id,
      score: written.qualityScore ?? score,
      category: (written.scoreCategory as ScoreCategory | null) ?? categoryOf(score),
      factors: base.factors,
      summary,
      ...produced,
    };
  }

  async generateEmail(em: EntityManager, caller: SignedIn, input: GenerateEmailInput): Promise<GeneratedEmail> {
    const lead = await this.leadOf(caller, input.leadId);
    const route = await this.runner.route(em, caller, input.model);
    const sender = await this.crm.sender(caller);
    const senderName = [sender.firstName, sender.lastName].filter(Boolean).join(' ') || sender.username;
    const served = this.leadServed(AiOperation.GENERATE_EMAIL, lead);
    const started = performance.now();
    let draft: { subject: string; body: string };
    let produced: Produced;
    if (this.isOffline(route)) {
      draft = offline.draftEmail({
        lead: { name: lead.name, company: lead.company, status: lead.status },
        senderName,
        organizationName: sender.organization.name,
        tone: input.tone,
        language: input.language,
        purpose: input.purpose,
        notes: input.notes,
      });
      produced = await this.offlineDone(em, caller, served, started, JSON.stringify(input), draft.subject + draft.body);
    } else {
      const answer = await this.ask(em, caller, served, route, [
        {
          role: 'system',
          content:
            `You write sales e-mails to leads, in ${input.language === Language.RU ? 'Russian' : 'English'}, with a ${input.tone.toLowerCase()} tone. ` +
            'Write only what the facts given support; no placeholders in brackets. Answer with a JSON object only: {"subject": "at most 200 characters", "body": "the e-mail text, signed by the sender"}.',
        },
        {
          role: 'user',
          content: JSON.stringify({
            purpose: input.purpose.toLowerCase(),
            lead: { name: lead.name, company: lead.company, status: lead.status.toLowerCase() },
            sender: senderName,
            organization: sender.organization.name,
            notes: input.notes ?? null,
          }),
        },
      ]);
      const json = parseJson(answer, route);
      if (typeof json.subject !== 'string' || !json.subject.trim() || json.subject.length > 300)
        throw malformed(route, 'subject is not a text of 1–300 characters');
      if (typeof json.body !== 'string' || !json.body.trim() || json.body.length > 100_000)
        throw malformed(route, 'body is not a text of 1–100,000 characters');
      draft = { subject: json.subject.trim(), body: json.body.trim() };
      produced = answer;
    }
    const message = await this.crm.createDraft(caller, { leadId: lead.id, subject: draft.subject, body: draft.body });
    return { subject: message.subject, body: message.body, outboundMessageId: message.id, ...produced };
  }

  async analyzeCall(em: EntityManager, caller: SignedIn, callId: string, model?: string | null): Promise<CallAnalysis> {
    const call = await this.crm.call(caller, callId);
    if (!call) throw notFound('Call');
    const transcript = call.transcript
      .map((s) => `${s.speaker}: ${s.text}`)
      .join('\n')
      .trim();
    const text = transcript && call.transcript.some((s) => s.text.trim()) ? transcript : (call.notes ?? '').trim();
    if (!text) throw badInput('The call has no transcript or notes to analyze', [{ field: 'callId', message: 'nothing to analyze' }]);
    const route = await this.runner.route(em, caller, model);
    const campaignId = call.leadId ? await this.crm.campaignOfLead(caller, call.leadId) : null;
    const served: Served = { operation: AiOperation.ANALYZE_CALL, objectType: AiObjectType.CALL, objectId: call.id, campaignId };
    const started = performance.now();
    const base = offline.analyzeCall(text);
    let result: Omit<offline.CallAnalysisResult, 'language' | 'topics'> & { topics: string[] } = base;
    let produced: Produced;
    if (this.isOffline(route)) {
      produced = await this.offlineDone(em, caller, served, started, text, base.summary + base.topics.join(' ') + base.nextSteps.join(' '));
    } else {
      const answer = await this.ask(em, caller, served, route, [
        {
          role: 'system',
          content:
            `You analyse sales phone calls. Write in ${base.language === 'RU' ? 'Russian' : 'English'}. Answer with a JSON object only: ` +
            '{"summary": "2-4 sentences", "sentiment": "POSITIVE" | "NEUTRAL" | "NEGATIVE" (the customer\'s), "sentimentScore": number from -1 to 1, ' +
            '"topics": [up to 8 short topics], "nextSteps": [up to 8 agreed or advisable actions], "keyPhrases": [up to 10 phrases quoted from the call]}.',
        },
        { role: 'user', content: text.slice(0, 60_000) },
      ]);
      const json = parseJson(answer, route);
      if (typeof json.summary !== 'string' || !json.summary.trim()) throw malformed(route, 'summary is not a text');
      if (typeof json.sentiment !== 'string' || !(json.sentiment in Sentiment))
        throw malformed(route, 'sentiment is not POSITIVE, NEUTRAL or NEGATIVE');
      const score = json.sentimentScore;
      if (typeof score !== 'number' || !Number.isFinite(score) || score < -1 || score > 1)
        throw malformed(route, 'sentimentScore is not a number from −1 to 1');
      if (!isStringList(json.topics, 0, 20)) throw malformed(route, 'topics is not a list of texts');
      if (!isStringList(json.nextSteps, 0, 20)) throw malformed(route, 'nextSteps is not a list of texts');
      const keyPhrases = json.keyPhrases === undefined ? [] : json.keyPhrases;
      if (!isStringList(keyPhrases, 0, 30)) throw malformed(route, 'keyPhrases is not a list of texts');
      result = {
        summary: json.summary.trim(),
        sentiment: json.sentiment as Sentiment,
        sentimentScore: score,
        topics: json.topics,
        nextSteps: json.nextSteps,
        keyPhrases,
      };
      produced = answer;
    }
    const key = { organizationId: caller.organizationId, callId: Number(call.id) };
    const analysis = (await em.findOne(CallAnalysis, key)) ?? em.create(CallAnalysis, { ...key } as never);
    em.assign(analysis, {
      language: base.language,
      summary: result.summary,
      sentiment: result.sentiment as Sentiment,
      sentimentScore: Math.round(result.sentimentScore * 100) / 100,
      topics: result.topics,
      nextSteps: result.nextSteps,
      keyPhrases: result.keyPhrases,
      provider: produced.provider,
      model: produced.model,
      analyzedByUserId: caller.userId,
      createdAt: new Date(),
    });
    await em.persist(analysis).flush();
    return analysis;
  }

  /**
   * A forecast of the won leads' revenue: monthly history (budgets of won leads by the month they were last
   * updated, the complete months before the period), projected by `forecastRevenue`; a language model, when
   * routed to, only writes the notes. Recorded by leads with method AI, as the caller.
   */
  async generateForecast(em: EntityManager, caller: SignedIn, input: GenerateForecastInput): Promise<{ id: string }> {
    const start = MONTH_RE.exec(input.periodStart);
    if (!start)
      throw badInput('periodStart must be the 1st of a month (YYYY-MM-01)', [{ field: 'periodStart', message: 'not the 1st of a month' }]);
    const route = await this.runner.route(em, caller, input.model);
    const period = Number(start[1]) * 12 + Number(start[2]) - 1;
    const now = new Date();
    const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
    const historyEnd = Math.min(period, current) - 1;
    const history = monthlyHistory(await this.crm.wonLeads(caller), historyEnd);
    const months = input.periodKind === AiForecastPeriod.QUARTER ? 3 : 1;
    const horizon = period - historyEnd;
    const steps = Array.from({ length: months }, (_, i) => offline.forecastRevenue(history, horizon + i));
    const sum = (pick: (f: offline.ForecastResult) => number) => steps.reduce((total, f) => total + pick(f), 0);
    const confidence = Math.min(...steps.map((f) => f.confidence));
    const percent = Math.max(0, Math.min(100, Math.round(confidence)));
    const figures = {
      predictedRevenue: Math.round(sum((f) => f.predictedRevenue) * 100) / 100,
      predictedDeals: Math.round(sum((f) => f.predictedDeals)),
      low: Math.round(sum((f) => f.low) * 100) / 100,
      high: Math.round(sum((f) => f.high) * 100) / 100,
    };
    const label = `${start[1]}-${start[2]}${months === 3 ? ' (quarter)' : ''}`;
    let notes =
      `${steps[0].explanation} Range ${figures.low}–${figures.high}; ${steps[0].periodsUsed} month(s) of won leads used ` +
      `(method: ${steps[0].method}).`;
    const served: Served = { operation: AiOperation.GENERATE_FORECAST };
    const started = performance.now();
    if (this.isOffline(route)) {
      await this.offlineDone(em, caller, served, started, JSON.stringify(history), notes);
    } else {
      const answer = await this.ask(em, caller, served, route, [
        {
          role: 'system',
          content:
            'You explain sales revenue forecasts to managers. The figures are computed; do not change them. ' +
            'Answer with a JSON object only: {"notes": "3-6 sentences on what the history shows, the forecast and its risks"}.',
        },
        {
          role: 'user',
          content: JSON.stringify({ period: label, history, forecast: { ...figures, confidence: percent }, method: steps[0].method }),
        },
      ]);
      const json = parseJson(answer, route);
      if (typeof json.notes !== 'string' || !json.notes.trim() || json.notes.length > 9_000)
        throw malformed(route, 'notes is not a text of at most 9,000 characters');
      notes = `${json.notes.trim()}\n\n${notes}`;
    }
    const id = await this.crm.recordForecast(caller, {
      name: input.name?.trim() || `AI forecast ${label}`,
      periodKind: months === 3 ? 'QUARTER' : 'MONTH',
      periodStart: input.periodStart,
      predictedRevenue: figures.predictedRevenue,
      predictedDeals: figures.predictedDeals,
      confidence: percent,
      notes: notes.slice(0, 10_000),
    });
    return { id };
  }

  private async leadOf(caller: SignedIn, id: string): Promise<LeadRecord> {
    const lead = await this.crm.lead(caller, id);
    if (!lead) throw notFound('Lead');
    return lead;
  }

  private leadServed(operation: AiOperation, lead: LeadRecord): Served {
    return { operation, objectType: AiObjectType.LEAD, objectId: lead.id, campaignId: lead.campaign?.id ?? null };
  }

  private isOffline(route: Route): boolean {
    return route.backend.name === LOCAL_PROVIDER && !route.backend.metered;
  }

  /** Records what the offline provider did: its usage row, no cost. */
  private async offlineDone(
    em: EntityManager,
    caller: SignedIn,
    served: Served,
    started: number,
    prompt: string,
    output: string,
  ): Promise<Produced> {
    const done = await this.runner.recordOffline(em, caller, served, {
      promptTokens: offline.estimateTokens(prompt),
      completionTokens: offline.estimateTokens(output),
      latencyMs: performance.now() - started,
    });
    return { provider: done.provider, model: done.model };
  }

  private ask(em: EntityManager, caller: SignedIn, served: Served, route: Route, messages: PromptMessage[]): Promise<RunResult> {
    return this.runner.complete(em, caller, served, route, { messages, json: true, temperature: 0.2, maxTokens: 1_200 });
  }
}

function factsOf(lead: LeadRecord): offline.LeadFacts {
  const times = lead.conversations.map((m) => new Date(m.createdAt).getTime());
  return {
    budget: lead.budget,
    source: lead.source,
    status: lead.status,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    createdAt: new Date(lead.createdAt),
    lastActivityAt: times.length ? new Date(Math.max(...times)) : null,
    inboundMessages: lead.conversations.filter((m) => m.sender === 'LEAD').length,
    outboundMessages: lead.conversations.filter((m) => m.sender !== 'LEAD').length,
  };
}

/** What a model is told of a lead besides the scoring facts (no contact details: it needs only whether there are any). */
function leadFactsForPrompt(lead: LeadRecord) {
  return { name: lead.name, company: lead.company, hasEmail: Boolean(lead.email), hasPhone: Boolean(lead.phone) };
}

/** Monthly revenue and deals of won leads, every month from the first with a deal to `lastMonth` (months since year 0). */
function monthlyHistory(won: { budget: number | null; updatedAt: string }[], lastMonth: number) {
  const byMonth = new Map<number, { revenue: number; deals: number }>();
  for (const lead of won) {
    const at = new Date(lead.updatedAt);
    const month = at.getUTCFullYear() * 12 + at.getUTCMonth();
    if (month > lastMonth || month <= lastMonth - HISTORY_MONTHS) continue;
    const entry = byMonth.get(month) ?? { revenue: 0, deals: 0 };
    entry.revenue += lead.budget ?? 0;
    entry.deals += 1;
    byMonth.set(month, entry);
  }
  if (!byMonth.size) return [];
  const history: { periodStart: string; revenue: number; deals: number }[] = [];
  for (let month = Math.min(...byMonth.keys()); month <= lastMonth; month++) {
    const entry = byMonth.get(month) ?? { revenue: 0, deals: 0 };
    const periodStart = `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`;
    history.push({ periodStart, revenue: Math.round(entry.revenue * 100) / 100, deals: entry.deals });
  }
  return history;
}

function malformed(route: Route, why: string): Error {
  return serviceUnavailable(
    `The AI provider "${route.backend.name}" answered ${route.model} with malformed JSON (${why}); try again or use another model`,
  );
}

/** The JSON object a model answered, or the provider's failure. */
function parseJson(answer: RunResult, route: Route): Record<string, unknown> {
  let text = answer.content.trim();
  // Some servers wrap JSON in a Markdown fence even in JSON mode.
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(text);
  if (fenced) text = fenced[1];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed(route, 'not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(route, 'not a JSON object');
  return value as Record<string, unknown>;
}

function isStringList(value: unknown, min: number, max: number): value is string[] {
  return Array.isArray(value) && value.length >= min && value.length <= max && value.every((v) => typeof v === 'string' && v.trim() !== '');
}
