import type { EntityManager } from '@mikro-orm/core';
import { budgetExceeded, sqlOf, type LlmSettings, type SignedIn } from '@salesgraph/platform';
import { AiBudget, AiUsage } from '../entities/index.js';
import { type AiObjectType, type AiOperation, BudgetPeriod } from '../types/enums.js';
import type { ChatBackend, TokenUsage } from './providers/index.js';

/** What a provider call served: the CRM object whose cost it adds to, and the campaign whose budget it counts against. */
export interface Served {
  operation: AiOperation;
  objectType?: AiObjectType;
  objectId?: string;
  campaignId?: string | null;
}

/** The start of the budget's current period (UTC). */
export function periodStart(period: BudgetPeriod, now = new Date()): Date | undefined {
  return period === BudgetPeriod.MONTH ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) : undefined;
}

/**
 * Usage accounting and budgets. `check` runs before a metered provider call and refuses it once the
 * organization's budget, or the campaign's, is spent; `record` writes what the call took and cost (by the
 * model's price in AI_PRICES), failed calls included at no cost.
 */
export class Meter {
  constructor(
    private readonly llm: LlmSettings,
    /** The prepaid balance of organizations that paid for AI (services/payments.ts); none in unit tests. */
    private readonly balance?: { check(em: EntityManager, organizationId: string): Promise<void> },
  ) {}

  /** USD for `usage` of `model`; models without a price cost nothing. */
  costOf(model: string, usage: TokenUsage): number {
    const price = Object.hasOwn(this.llm.prices, model) ? this.llm.prices[model] : undefined;
    if (!price) return 0;
    return Math.round(((usage.promptTokens * price.prompt + usage.completionTokens * price.completion) / 1_000_000) * 1e6) / 1e6;
  }

  /** Refuses (BUDGET_EXCEEDED) a call on `backend` when a budget it counts against is spent; free backends pass. */
  async check(em: EntityManager, caller: SignedIn, backend: ChatBackend, served: Served): Promise<void> {
    if (!backend.metered) return;
    await this.balance?.check(em, caller.organizationId);
    const scopes = await em.find(AiBudget, {
      organizationId: caller.organizationId,
      $or: [{ campaignId: null }, ...(served.campaignId ? [{ campaignId: served.campaignId }] : [])],
    });
    for (const budget of scopes) {
      const spent = await this.spent(em, budget);
      if (spent >= budget.limitUsd) {
        const what = budget.campaignId ? 'The campaign’s AI budget' : 'Your organization’s AI budget';
        const when = budget.period === BudgetPeriod.MONTH ? ' this month' : '';
        throw budgetExceeded(
          `${what} of ${budget.limitUsd.toFixed(2)} USD is spent${when} (${spent.toFixed(2)} USD); an admin can raise it`,
        );
      }
    }
  }

  /** What has been spent within a budget's current period. */
  async spent(em: EntityManager, budget: Pick<AiBudget, 'organizationId' | 'campaignId' | 'period'>): Promise<number> {
    const since = periodStart(budget.period);
    const rows = await sqlOf(em).execute<{ total: string | number | null }[]>(
      `select coalesce(sum(cost), 0) as total from ai.usage_records where organization_id = ?${budget.campaignId ? ' and campaign_id = ?' : ''}${since ? ' and created_at >= ?' : ''}`,
      [budget.organizationId, ...(budget.campaignId ? [budget.campaignId] : []), ...(since ? [since] : [])],
    );
    return Number(rows[0]?.total ?? 0);
  }

  /** Writes one provider call; `error` for a failed one (which costs nothing). */
  async record(
    em: EntityManager,
    caller: SignedIn,
    call: Served & { backend: ChatBackend; model: string; usage: TokenUsage; latencyMs: number; error?: string },
  ): Promise<AiUsage> {
    const usage = em.create(AiUsage, {
      organizationId: caller.organizationId,
      // User id 0: a service identity with no person behind it (the dialog assistant).
      userId: caller.userId > 0 ? caller.userId : null,
      operation: call.operation,
      provider: call.backend.name,
      providerId: call.backend.providerId,
      model: call.model,
      promptTokens: call.error ? 0 : call.usage.promptTokens,
      completionTokens: call.error ? 0 : call.usage.completionTokens,
      cost: call.error ? 0 : this.costOf(call.model, call.usage),
      latencyMs: Math.round(call.latencyMs),
      objectType: call.objectType ?? null,
      objectId: call.objectId ?? null,
      campaignId: call.campaignId ?? null,
      error: call.error ? call.error.slice(0, 500) : null,
    });
    await em.persist(usage).flush();
    return usage;
  }
}
