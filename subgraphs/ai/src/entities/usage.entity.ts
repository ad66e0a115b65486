import { defineEntity, p } from '@mikro-orm/core';
import { AiObjectType, AiOperation } from '../types/enums.js';

/**
 * One provider call: who asked, for what, which model answered, what it took and cost, and the CRM object it
 * served. Budgets sum these rows; `Lead.aiCost` and the like sum them by object.
 */
export const AiUsageSchema = defineEntity({
  name: 'AiUsage',
  tableName: 'usage_records',
  indexes: [
    { properties: ['organizationId', 'createdAt'] },
    { properties: ['organizationId', 'objectType', 'objectId'] },
    { properties: ['organizationId', 'campaignId', 'createdAt'] },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    organizationId: p.uuid(),
    userId: p.integer().nullable(),
    operation: p.enum(() => AiOperation),
    /** `local` (the offline provider), `openai` (OPENAI_BASE_URL) or a provider's slug. */
    provider: p.string().length(40),
    providerId: p.uuid().nullable(),
    model: p.string().length(200),
    promptTokens: p.integer(),
    completionTokens: p.integer(),
    /** USD, from the model's price (AI_PRICES). */
    cost: p.decimal('number').precision(14).scale(6),
    latencyMs: p.integer(),
    objectType: p.enum(() => AiObjectType).nullable(),
    objectId: p.string().length(64).nullable(),
    /** The campaign whose budget the call counted against (the lead's campaign, or the campaign itself). */
    campaignId: p.uuid().nullable(),
    /** Why the call failed, when it did (provider down, refused); failed calls cost nothing. */
    error: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class AiUsage extends AiUsageSchema.class {}
AiUsageSchema.setClass(AiUsage);
