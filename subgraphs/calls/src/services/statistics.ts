import type { EntityManager } from '@mikro-orm/core';
import { badInput, integerId, seesWholeOrganization, sqlOf, type SignedIn } from '@salesgraph/platform';
import type { StatisticsArgs } from '../types/inputs.js';
import { StatisticsPeriod } from '../types/statistics.type.js';
import { CallStatus } from '../types/enums.js';

export interface StatisticsScope {
  from: Date;
  to: Date;
  userId?: number;
}

/** The period's window in UTC: calendar today / ISO week / month / year up to now, or explicit from/to. */
export function scopeOf(caller: SignedIn, args: StatisticsArgs, now = new Date()): StatisticsScope {
  let from = args.from;
  const to = args.to ?? now;
  if (!from) {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    switch (args.period ?? StatisticsPeriod.TODAY) {
      case StatisticsPeriod.WEEK:
        start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
        break;
      case StatisticsPeriod.MONTH:
        start.setUTCDate(1);
        break;
      case StatisticsPeriod.YEAR:
        start.setUTCMonth(0, 1);
        break;
    }
    from = start;
  }
  // A period that starts this very millisecond is empty, not the caller's mistake: only bounds they gave are checked.
  const bounded = args.from != null || args.to != null;
  if (bounded && from >= to) throw badInput('"from" must be before "to"', [{ field: 'from', message: 'is not before to' }]);
  // Plain users see only their own figures, as they see only their own calls.
  const userId = seesWholeOrganization(caller) ? (args.userId ? integerId(args.userId, 'user') : undefined) : caller.userId;
  return { from, to, userId };
}

/** A SQL list of call statuses, from the enum rather than typed again. */
const statuses = (...values: CallStatus[]) => values.map((v) => `'${v}'`).join(', ');

const TOTALS = `
  count(*)::int as total_calls,
  count(*) filter (where status in (${statuses(CallStatus.ACCEPTED, CallStatus.COMPLETED)}))::int as accepted_calls,
  count(*) filter (where status = ${statuses(CallStatus.REJECTED)})::int as rejected_calls,
  count(*) filter (where status = ${statuses(CallStatus.MISSED)})::int as missed_calls,
  count(*) filter (where status = ${statuses(CallStatus.COMPLETED)})::int as completed_calls,
  coalesce(round(avg(duration)), 0)::int as avg_duration,
  coalesce(sum(duration), 0)::int as total_duration`;

function where(caller: SignedIn, scope: StatisticsScope): { sql: string; params: unknown[] } {
  const params: unknown[] = [caller.organizationId, scope.from, scope.to];
  let sql = 'organization_id = ? and created_at >= ? and created_at < ?';
  if (scope.userId !== undefined) {
    sql += ' and (assigned_user_id = ? or answered_by_user_id = ?)';
    params.push(scope.userId, scope.userId);
  }
  return { sql, params };
}

/** One SQL statement for the whole overview. */
export async function overview(em: EntityManager, caller: SignedIn, scope: StatisticsScope) {
  const w = where(caller, scope);
  const [row] = await sqlOf(em).execute<Record<string, number>[]>(
    `select ${TOTALS},
       count(*) filter (where status in (${statuses(CallStatus.INCOMING, CallStatus.ACCEPTED)}))::int as active_calls,
       coalesce(sum(hold_seconds), 0)::int as total_hold_time,
       coalesce(sum(transfer_count), 0)::int as transfer_count
     from calls.calls where ${w.sql}`,
    w.params,
  );
  const r = row;
  return {
    totalCalls: r.total_calls,
    acceptedCalls: r.accepted_calls,
    rejectedCalls: r.rejected_calls,
    missedCalls: r.missed_calls,
    completedCalls: r.completed_calls,
    activeCalls: r.active_calls,
    avgDuration: r.avg_duration,
    totalDuration: r.total_duration,
    conversionRate: r.total_calls ? Math.round((r.accepted_calls / r.total_calls) * 1000) / 1000 : 0,
    totalHoldTime: r.total_hold_time,
    transferCount: r.transfer_count,
  };
}

/** Per user (who answered, else who it was assigned to), busiest first; one SQL statement. */
export async function perUser(em: EntityManager, caller: SignedIn, scope: StatisticsScope) {
  const w = where(caller, scope);
  const rows = await sqlOf(em).execute<Record<string, number>[]>(
    `select coalesce(answered_by_user_id, assigned_user_id) as user_id, ${TOTALS}
     from calls.calls where ${w.sql} and coalesce(answered_by_user_id, assigned_user_id) is not null
     group by 1 order by total_calls desc, user_id asc`,
    w.params,
  );
  return rows.map((r) => ({
    user: { id: r.user_id },
    totalCalls: r.total_calls,
    acceptedCalls: r.accepted_calls,
    rejectedCalls: r.rejected_calls,
    missedCalls: r.missed_calls,
    avgDuration: r.avg_duration,
    totalDuration: r.total_duration,
  }));
}
