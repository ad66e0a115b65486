// Placeholder until the offline provider's modules land: the agreed signatures, with rough stand-in answers.

export interface LeadFacts {
  budget: number | null;
  source: string;
  status: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  createdAt: Date;
  lastActivityAt: Date | null;
  inboundMessages: number;
  outboundMessages: number;
}
export interface ScoreFactor {
  name: string;
  weight: number;
  value: number;
  points: number;
  reason: string;
}
export interface LeadScore {
  score: number;
  category: 'HOT' | 'WARM' | 'COLD';
  factors: ScoreFactor[];
  summary: string;
}

export function scoreLead(lead: LeadFacts, now: Date): LeadScore {
  const days = (now.getTime() - (lead.lastActivityAt ?? lead.createdAt).getTime()) / 86_400_000;
  const parts: [string, number, number, string][] = [
    ['budget', 0.3, lead.budget ? Math.min(1, lead.budget / 1_000_000) : 0, 'budget'],
    ['contacts', 0.2, (lead.email ? 0.5 : 0) + (lead.phone ? 0.5 : 0), 'contacts'],
    ['engagement', 0.3, Math.min(1, lead.inboundMessages / 5), 'engagement'],
    ['recency', 0.2, Math.max(0, 1 - days / 30), 'recency'],
  ];
  const factors = parts.map(([name, weight, value, reason]) => ({ name, weight, value, points: Math.round(weight * value * 100), reason }));
  const score = Math.min(
    100,
    factors.reduce((sum, f) => sum + f.points, 0),
  );
  const category = score >= 70 ? 'HOT' : score >= 40 ? 'WARM' : 'COLD';
  return { score, category, factors, summary: `Score ${score}` };
}

export function draftEmail(input: {
  lead: { name: string; company: string | null; status: string };
  senderName: string;
  organizationName?: string | null;
  tone: 'FORMAL' | 'FRIENDLY' | 'PERSUASIVE';
  language: 'RU' | 'EN';
  purpose: 'INTRODUCTION' | 'FOLLOW_UP' | 'OFFER' | 'MEETING';
  notes?: string | null;
}): { subject: string; body: string } {
  return input.language === 'RU'
    ? { subject: 'Предложение', body: `Здравствуйте, ${input.lead.name}!\n\nС уважением,\n${input.senderName}` }
    : { subject: 'Our offer', body: `Hello ${input.lead.name},\n\nBest regards,\n${input.senderName}` };
}

export interface CallAnalysisResult {
  language: 'RU' | 'EN';
  summary: string;
  sentiment: 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
  sentimentScore: number;
  topics: string[];
  nextSteps: string[];
  keyPhrases: string[];
}

export function analyzeCall(text: string): CallAnalysisResult {
  if (!text.trim()) throw new RangeError('blank text');
  const language = /[а-яё]/i.test(text) ? 'RU' : 'EN';
  return { language, summary: text.slice(0, 200), sentiment: 'NEUTRAL', sentimentScore: 0, topics: [], nextSteps: [], keyPhrases: [] };
}

export interface ForecastResult {
  predictedRevenue: number;
  predictedDeals: number;
  low: number;
  high: number;
  confidence: number;
  method: 'holt' | 'mean' | 'none';
  periodsUsed: number;
  explanation: string;
}

export function forecastRevenue(history: { periodStart: string; revenue: number; deals: number }[], _horizon = 1): ForecastResult {
  if (!history.length)
    return {
      predictedRevenue: 0,
      predictedDeals: 0,
      low: 0,
      high: 0,
      confidence: 0,
      method: 'none',
      periodsUsed: 0,
      explanation: 'No history',
    };
  const revenue = history.reduce((s, h) => s + h.revenue, 0) / history.length;
  const deals = history.reduce((s, h) => s + h.deals, 0) / history.length;
  return {
    predictedRevenue: revenue,
    predictedDeals: Math.round(deals),
    low: revenue * 0.8,
    high: revenue * 1.2,
    confidence: 30,
    method: 'mean',
    periodsUsed: history.length,
    explanation: `Mean of ${history.length} months`,
  };
}

export function groundedReply(input: {
  systemPrompt: string;
  personaName: string | null;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
}): { content: string; grounded: boolean } {
  return { content: `${input.personaName ?? ''}`, grounded: false };
}
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);
export const splitIntoChunks = (text: string) => text.split(/(?<=\s)/);
