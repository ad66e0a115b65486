import type { EntityManager } from '@mikro-orm/core';
import { MAX_INTEGER_ID, Role, badInput, conflict, forbidden, notFound, sqlOf, uuidOrNothing, type SignedIn } from '@salesgraph/platform';
import { AiBudget } from '../entities/index.js';
import { BudgetPeriod, UsageGrouping } from '../types/enums.js';
import type { AiUsageArgs, SetAiBudgetInput } from '../types/inputs.js';
import type { Crm } from './crm.js';
import type { Meter } from './meter.js';

export interface UsageFigures {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cost: number;
  failures: number;
  averageLatencyMs: number | null;
}

/** The SQL key of each grouping (over `ai.usage_records`), and whether its groups read in key order (dates) or by cost. */
const GROUP_KEYS: Record<UsageGrouping, { sql: string; ordered: boolean }> = {
  [UsageGrouping.DAY]: { sql: `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`, ordered: true },
  [UsageGrouping.MONTH]: { sql: `to_char(created_at at time zone 'UTC', 'YYYY-MM')`, ordered: true },
  [UsageGrouping.USER]: { sql: `coalesce(user_id::text, 'none')`, ordered: false },
  [UsageGrouping.MODEL]: { sql: `provider || '/' || model`, ordered: false },
  [UsageGrouping.OPERATION]: { sql: `operation`, ordered: false },
  [UsageGrouping.OBJECT]: { sql: `coalesce(object_type || ':' || object_id, 'none')`, ordered: false },
};

const FIGURES = `count(*) as requests, coalesce(sum(prompt_tokens), 0) as prompt_tokens,
  coalesce(sum(completion_tokens), 0) as completion_tokens, coalesce(sum(cost), 0) as cost,
  count(*) filter (where error is not null) as failures, avg(latency_ms) as average_latency_ms`;

type FigureRow = Record<'requests' | 'prompt_tokens' | 'completion_tokens' | 'cost' | 'failures' | 'average_latency_ms', unknown>;

const figuresOf = (row: FigureRow | undefined): UsageFigures => ({
  requests: Number(row?.requests ?? 0),
  promptTokens: Number(row?.prompt_tokens ?? 0),
  completionTokens: Number(row?.completion_tokens ?? 0),
  cost: Math.round(Number(row?.cost ?? 0) * 1e6) / 1e6,
  failures: Number(row?.failures ?? 0),
  averageLatencyMs:
    row?.average_latency_ms === null || row?.average_latency_ms === undefined ? null : Math.round(Number(row.average_latency_ms) * 10) / 10,
});

/** Who sees the organization's usage; everyone else sees their own. */
const SEE_ORGANIZATION = [Role.ADMIN, Role.ANALYST];

/**
 * Usage statistics (seed 000's `/ai/usage`) and budgets: totals and groups in one statement each, within the
 * caller's organization; admins and analysts see everyone's, others their own.
 */
export class UsageService {
  constructor(
    private readonly meter: Meter,
    private readonly crm: Crm,
  ) {}

  async report(em: EntityManager, caller: SignedIn, args: AiUsageArgs) {
    const now = new Date();
    const from = args.from ?? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const to = args.to ?? now;
    if (from > to) throw badInput('from must not be after to', [{ field: 'from', message: 'after to' }]);
    const where = ['organization_id = ?', 'created_at >= ?', 'created_at < ?'];
    const params: unknown[] = [caller.organizationId, from, to];
    let userId: number | undefined;
    if (args.userId !== undefined && args.userId !== null) {
      userId = Number(args.userId);
      if (!Number.isSafeInteger(userId) || userId < 1 || userId > MAX_INTEGER_ID)
        throw badInput('userId must be a user id', [{ field: 'userId', message: 'not a user id' }]);
    }
    if (!SEE_ORGANIZATION.includes(caller.role)) {
      if (userId !== undefined && userId !== caller.userId) throw forbidden('You may see only your own AI usage');
      userId = caller.userId;
    }
    if (userId !== undefined) {
      where.push('user_id = ?');
      params.push(userId);
    }
    if (args.objectType) {
      where.push('object_type = ?');
      params.push(args.objectType);
    }
    if (args.objectId) {
      if (!args.objectType) throw badInput('objectId needs objectType', [{ field: 'objectId', message: 'without objectType' }]);
      where.push('object_id = ?');
      params.push(args.objectId.toLowerCase());
    }
    const condition = where.join(' and ');
    const key = GROUP_KEYS[args.groupBy];
    const sql = sqlOf(em);
    const [totals] = await sql.execute<FigureRow[]>(`select ${FIGURES} from ai.usage_records where ${condition}`, params);
    const groups = await sql.execute<(FigureRow & { key: string })[]>(
      `select ${key.sql} as key, ${FIGURES} from ai.usage_records where ${condition} group by 1 order by ${key.ordered ? '1' : 'sum(cost) desc, count(*) desc, 1'}`,
      params,
    );
    return { from, to, totals: figuresOf(totals), groups: groups.map((row) => ({ key: String(row.key), ...figuresOf(row) })) };
  }

  async budgets(em: EntityManager, caller: SignedIn) {
    const rows = await em.find(AiBudget, { organizationId: caller.organizationId }, { orderBy: { createdAt: 'asc' } });
    return Promise.all(rows.map(async (budget) => budgetView(budget, await this.meter.spent(em, budget))));
  }

  /** Sets the organization's budget (no campaign) or a campaign's, which must be one the caller sees. */
  async setBudget(em: EntityManager, caller: SignedIn, input: SetAiBudgetInput) {
    let campaignId: string | null = null;
    if (input.campaignId) {
      campaignId = uuidOrNothing(input.campaignId) ?? null;
      if (!campaignId || !(await this.crm.campaignVisible(caller, campaignId))) throw notFound('Campaign');
    }
    const period = input.period ?? BudgetPeriod.MONTH;
    const limitUsd = Math.round(input.limitUsd * 100) / 100;
    let budget = await em.findOne(AiBudget, { organizationId: caller.organizationId, campaignId });
    if (budget) {
      budget.limitUsd = limitUsd;
      budget.period = period;
      budget.updatedAt = new Date();
    } else {
      budget = em.create(AiBudget, { organizationId: caller.organizationId, campaignId, limitUsd, period });
    }
    try {
      await em.flush();
    } catch (error) {
      if ((error as { name?: string }).name === 'UniqueConstraintViolationException')
        throw conflict('The budget was set at the same time; try again');
      throw error;
    }
    return budgetView(budget, await this.meter.spent(em, budget));
  }

  async deleteBudget(em: EntityManager, caller: SignedIn, id: string): Promise<string> {
    const uuid = uuidOrNothing(id);
    const budget = uuid ? await em.findOne(AiBudget, { id: uuid, organizationId: caller.organizationId }) : null;
    if (!budget) throw notFound('Budget');
    await em.remove(budget).flush();
    return budget.id;
  }
}

function budgetView(budget: AiBudget, spent: number) {
  return {
    id: budget.id,
    campaignId: budget.campaignId ?? null,
    limitUsd: budget.limitUsd,
    period: budget.period,
    spent: Math.round(spent * 1e6) / 1e6,
    createdAt: budget.createdAt,
    updatedAt: budget.updatedAt,
  };
}
