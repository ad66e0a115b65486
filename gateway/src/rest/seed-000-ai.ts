import {
  AiAnalyzeCallDocument,
  AiGenerateEmailDocument,
  AiGenerateForecastDocument,
  AiModelsDocument,
  AiScoreLeadDocument,
  AiUsageDocument,
  type AiScoreLeadMutation,
} from '../generated/graphql.js';
import { AiForecastPeriod, AiObjectType, EmailPurpose, EmailTone, Language, UsageGrouping } from '../generated/enums.js';
import { route, type JsonSchema, type RestRoute } from './route.js';
import { forecastOut, forecastSchema } from './seed-000-forecasts.js';
import { idArg, legacyValues, lower, nullableString, positiveInteger, upper, uuid } from './shapes.js';

// Seed 000's AI functions (`/ai/...`, `/leads/{lead_id}/score`, `/forecasts/generate`), spread into its route table (seed-000.ts).

const model = {
  type: 'string',
  nullable: true,
  description: 'A model (GET /ai/models); default: your preferred provider’s',
} satisfies JsonSchema;
const strings = { type: 'array', items: { type: 'string' } } satisfies JsonSchema;
const provider = {
  type: 'string',
  description: 'local (the offline provider, no language model), openai, or a provider’s slug',
} satisfies JsonSchema;

const scoringOut = (s: AiScoreLeadMutation['scoreLead']) => ({
  lead_id: s.leadId,
  score: s.score,
  category: lower(s.category),
  factors: s.factors.map((f) => ({ name: f.name, weight: f.weight, value: f.value, points: f.points, reason: f.reason })),
  summary: s.summary,
  provider: s.provider,
  model: s.model,
});
const scoringSchema: JsonSchema = {
  type: 'object',
  properties: {
    lead_id: uuid,
    score: { type: 'integer', minimum: 0, maximum: 100 },
    category: { type: 'string', enum: ['hot', 'warm', 'cold'] },
    factors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          weight: { type: 'number', description: 'The weights sum to 1' },
          value: { type: 'number' },
          points: { type: 'number' },
          reason: { type: 'string' },
        },
      },
    },
    summary: { type: 'string' },
    provider,
    model: { type: 'string' },
  },
};

interface Figures {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cost: number;
  failures: number;
  averageLatencyMs: number | null;
}

const figuresOut = (f: Figures) => ({
  requests: f.requests,
  prompt_tokens: f.promptTokens,
  completion_tokens: f.completionTokens,
  cost: f.cost,
  failures: f.failures,
  average_latency_ms: f.averageLatencyMs,
});
const figuresProperties: Record<string, JsonSchema> = {
  requests: { type: 'integer' },
  prompt_tokens: { type: 'integer' },
  completion_tokens: { type: 'integer' },
  cost: { type: 'number', description: 'USD' },
  failures: { type: 'integer' },
  average_latency_ms: { type: 'number', nullable: true },
};

/** The AI routes under seed 000's prefix. */
export const aiRoutes = (prefix: string): RestRoute[] => [
  route({
    method: 'post',
    path: `${prefix}/ai/score-lead`,
    summary: 'Score a lead and write the score to it',
    operation: AiScoreLeadDocument,
    resource: 'Lead',
    body: { type: 'object', properties: { lead_id: uuid, model }, required: ['lead_id'] },
    variables: ({ body }) => ({ leadId: body.lead_id as string, model: body.model as string | null | undefined }),
    respond: (d) => scoringOut(d.scoreLead),
    response: scoringSchema,
  }),
  route({
    method: 'post',
    path: `${prefix}/leads/:lead_id/score`,
    summary: 'Score a lead and write the score to it',
    operation: AiScoreLeadDocument,
    resource: 'Lead',
    body: { type: 'object', properties: { model } },
    variables: ({ params, body }) => ({ leadId: params.lead_id, model: body.model as string | null | undefined }),
    respond: (d) => scoringOut(d.scoreLead),
    response: scoringSchema,
  }),
  route({
    method: 'post',
    path: `${prefix}/ai/generate-email`,
    summary: 'Draft a personalised e-mail to a lead, stored as a draft message (POST /messages/{id}/send sends it)',
    operation: AiGenerateEmailDocument,
    resource: 'Lead',
    body: {
      type: 'object',
      properties: {
        lead_id: uuid,
        tone: { type: 'string', enum: legacyValues(EmailTone), description: 'Default friendly' },
        language: { type: 'string', enum: legacyValues(Language), description: 'Default ru' },
        purpose: { type: 'string', enum: legacyValues(EmailPurpose), description: 'Default introduction' },
        notes: nullableString,
        model,
      },
      required: ['lead_id'],
    },
    variables: ({ body }) => ({
      input: {
        leadId: body.lead_id as string,
        tone: upper(body.tone as EmailTone | undefined),
        language: upper(body.language as Language | undefined),
        purpose: upper(body.purpose as EmailPurpose | undefined),
        notes: body.notes as string | null | undefined,
        model: body.model as string | null | undefined,
      },
    }),
    respond: ({ generateEmail: e }) => ({
      subject: e.subject,
      body: e.body,
      message_id: e.outboundMessageId,
      provider: e.provider,
      model: e.model,
    }),
    response: {
      type: 'object',
      properties: { subject: { type: 'string' }, body: { type: 'string' }, message_id: uuid, provider, model: { type: 'string' } },
    },
  }),
  route({
    method: 'post',
    path: `${prefix}/ai/analyze-call`,
    summary: 'Analyse a call’s transcript (else its notes): summary, sentiment, topics, next steps',
    operation: AiAnalyzeCallDocument,
    resource: 'Call',
    body: { type: 'object', properties: { call_id: positiveInteger, model }, required: ['call_id'] },
    variables: ({ body }) => ({ callId: idArg(body.call_id)!, model: body.model as string | null | undefined }),
    respond: ({ analyzeCall: a }) => ({
      id: a.id,
      call_id: Number(a.callId),
      language: lower(a.language),
      summary: a.summary,
      sentiment: lower(a.sentiment),
      sentiment_score: a.sentimentScore,
      topics: a.topics,
      next_steps: a.nextSteps,
      key_phrases: a.keyPhrases,
      provider: a.provider,
      model: a.model,
      created_at: a.createdAt,
    }),
    response: {
      type: 'object',
      properties: {
        id: uuid,
        call_id: { type: 'integer' },
        language: { type: 'string', enum: legacyValues(Language) },
        summary: { type: 'string' },
        sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
        sentiment_score: { type: 'number', minimum: -1, maximum: 1 },
        topics: strings,
        next_steps: strings,
        key_phrases: strings,
        provider,
        model: { type: 'string' },
        created_at: { type: 'string', format: 'date-time' },
      },
    },
  }),
  ...[`${prefix}/ai/generate-forecast`, `${prefix}/forecasts/generate`].map((path) =>
    route({
      method: 'post',
      path,
      summary: 'Generate a sales forecast from the won leads of past months (analysts and admins)',
      status: 201,
      operation: AiGenerateForecastDocument,
      body: {
        type: 'object',
        properties: {
          name: nullableString,
          period_kind: { type: 'string', enum: legacyValues(AiForecastPeriod), description: 'Default month' },
          period_start: { type: 'string', format: 'date', example: '2025-01-01', description: 'The 1st of a month' },
          model,
        },
        required: ['period_start'],
      },
      variables: ({ body }) => ({
        input: {
          name: body.name as string | null | undefined,
          periodKind: upper(body.period_kind as AiForecastPeriod | undefined),
          periodStart: body.period_start as string,
          model: body.model as string | null | undefined,
        },
      }),
      respond: (d) => forecastOut(d.generateForecast),
      response: forecastSchema,
    }),
  ),
  route({
    method: 'get',
    path: `${prefix}/ai/usage`,
    summary: 'AI usage statistics: your organization’s for admins and analysts, your own for others',
    operation: AiUsageDocument,
    query: {
      date_from: { type: 'string', format: 'date-time', description: 'Default: the 1st of this month (UTC)' },
      date_to: { type: 'string', format: 'date-time', description: 'Default: now' },
      group_by: { type: 'string', enum: legacyValues(UsageGrouping), description: 'Default operation' },
      user_id: positiveInteger,
      object_type: { type: 'string', enum: legacyValues(AiObjectType) },
      object_id: { type: 'string' },
    },
    variables: ({ query: q }) => ({
      from: q.date_from as string | undefined,
      to: q.date_to as string | undefined,
      groupBy: upper(q.group_by as UsageGrouping | undefined),
      userId: idArg(q.user_id),
      objectType: upper(q.object_type as AiObjectType | undefined),
      objectId: q.object_id as string | undefined,
    }),
    respond: ({ aiUsage: u }) => ({
      date_from: u.from,
      date_to: u.to,
      total_requests: u.totals.requests,
      total_prompt_tokens: u.totals.promptTokens,
      total_completion_tokens: u.totals.completionTokens,
      total_cost: u.totals.cost,
      failures: u.totals.failures,
      average_latency_ms: u.totals.averageLatencyMs,
      groups: u.groups.map((g) => ({ key: g.key, ...figuresOut(g) })),
    }),
    response: {
      type: 'object',
      properties: {
        date_from: { type: 'string', format: 'date-time' },
        date_to: { type: 'string', format: 'date-time' },
        total_requests: { type: 'integer' },
        total_prompt_tokens: { type: 'integer' },
        total_completion_tokens: { type: 'integer' },
        total_cost: { type: 'number', description: 'USD' },
        failures: { type: 'integer' },
        average_latency_ms: { type: 'number', nullable: true },
        groups: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, ...figuresProperties } } },
      },
    },
  }),
  route({
    method: 'get',
    path: `${prefix}/ai/models`,
    summary: 'The AI models you may use',
    operation: AiModelsDocument,
    respond: (d) => d.aiModels.map((m) => ({ id: m.name, provider: m.provider, persona: m.persona, created: m.created })),
    response: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'string' }, provider, persona: nullableString, created: { type: 'string', format: 'date-time' } },
      },
    },
  }),
];
