import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Sentiment } from '../types/enums.js';

/** The latest analysis of a call (its transcript, else its notes); analysing again replaces it. */
export const CallAnalysisSchema = defineEntity({
  name: 'CallAnalysis',
  tableName: 'call_analyses',
  uniques: [{ properties: ['organizationId', 'callId'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    /** The calls subgraph's call (integer ids, as the legacy APIs have them). */
    callId: p.integer(),
    /** RU or EN, as the text reads. */
    language: p.string().length(2),
    summary: p.text(),
    sentiment: p.enum(() => Sentiment),
    /** −1 (negative) … 1 (positive). */
    sentimentScore: p.decimal('number').precision(4).scale(2),
    topics: p
      .json<string[]>()
      .default('[]')
      .onCreate(() => []),
    keyPhrases: p
      .json<string[]>()
      .default('[]')
      .onCreate(() => []),
    nextSteps: p
      .json<string[]>()
      .default('[]')
      .onCreate(() => []),
    provider: p.string().length(40),
    model: p.string().length(200),
    analyzedByUserId: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class CallAnalysis extends CallAnalysisSchema.class {}
CallAnalysisSchema.setClass(CallAnalysis);
