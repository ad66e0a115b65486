// The offline AI provider: deterministic, explainable algorithms used when no LLM provider is configured. None of
// them touches a database or the network, and none claims to be a language model.
export { analyzeCall, type CallAnalysisResult, type CallSentiment, type CallTopic } from './call-analysis.js';
export {
  draftEmail,
  type EmailDraft,
  type EmailDraftInput,
  type EmailLanguage,
  type EmailPurpose,
  type EmailTone,
} from './email-drafts.js';
export { HOLT_MIN_PERIODS, forecastRevenue, type ForecastMethod, type ForecastResult, type RevenuePeriod } from './forecast.js';
export { groundedReply, type ChatMessage, type GroundedReply, type GroundedReplyInput } from './grounded-reply.js';
export {
  HOT_SCORE,
  LEAD_SCORE_WEIGHTS,
  RECENCY_HALF_LIFE_DAYS,
  WARM_SCORE,
  categoryOf,
  scoreLead,
  type LeadCategory,
  type LeadFacts,
  type LeadScoring,
  type ScoreFactor,
  type ScoreFactorName,
} from './lead-scoring.js';
export { estimateTokens, splitIntoChunks } from './tokens.js';
export type { Language } from './text.js';
