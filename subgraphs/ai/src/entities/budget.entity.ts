import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { BudgetPeriod } from '../types/enums.js';

/**
 * How much the AI features may spend (USD): for the whole organization (no campaign), or for the work done on
 * one campaign's leads. Checked before each provider call.
 */
export const AiBudgetSchema = defineEntity({
  name: 'AiBudget',
  tableName: 'budgets',
  uniques: [{ properties: ['organizationId', 'campaignId'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    campaignId: p.uuid().nullable(),
    limitUsd: p.decimal('number').precision(14).scale(2),
    period: p.enum(() => BudgetPeriod),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class AiBudget extends AiBudgetSchema.class {}
AiBudgetSchema.setClass(AiBudget);
