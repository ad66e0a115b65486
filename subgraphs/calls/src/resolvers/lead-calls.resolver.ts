import { raw } from '@mikro-orm/core';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { badInput, groupByKeys, isUuid, requireRole, seesWholeOrganization, type SubgraphContext } from '@salesgraph/platform';
import { Call } from '../entities/index.js';
import { visibleCalls } from '../services/access.js';
import type { LeadDirectory } from '../services/leads.js';
import { CallType } from '../types/call.type.js';
import { LeadRef } from '../types/lead.type.js';

export const LEAD_CALLS_DEFAULT = 20;
export const LEAD_CALLS_MAX = 100;

/**
 * What calls adds to the leads subgraph's Lead: its calls. A lead resolves here only when the leads
 * subgraph says the caller may see it (one question per batch), and lists only the calls the caller may
 * see (`visibleCalls`); the calls of all leads of a request are read in one statement.
 */
@Resolver(() => LeadRef)
export class LeadCallsResolver {
  constructor(private readonly leads: LeadDirectory) {}

  /** The entity reference: `{ id }` when the caller may see that lead, else null. */
  reference({ id }: { id: string }, { identity, loaders }: SubgraphContext): Promise<LeadRef | null> {
    return loaders
      .get<string, LeadRef | null>('leadReference', async (ids) => {
        if (identity.kind === 'anonymous' || identity.userId === undefined || identity.organizationId === undefined)
          return ids.map(() => null);
        const visible = await this.leads.visible(identity, [...new Set(ids.filter(isUuid))]);
        return ids.map((leadId) => (visible.has(leadId) ? { id: leadId } : null));
      })
      .load(String(id).toLowerCase());
  }

  @FieldResolver(() => [CallType], { description: 'Calls from this lead’s number that you may see, newest first' })
  calls(
    @Root() lead: LeadRef,
    @Arg('first', () => Int, { defaultValue: LEAD_CALLS_DEFAULT, description: `How many, 1–${LEAD_CALLS_MAX} (default 20)` })
    first: number,
    @Ctx() { em, identity, loaders }: SubgraphContext,
  ): Promise<Call[]> {
    if (!Number.isInteger(first) || first < 1 || first > LEAD_CALLS_MAX)
      throw badInput(`"first" must be 1–${LEAD_CALLS_MAX}`, [{ field: 'first', message: `must be 1–${LEAD_CALLS_MAX}` }]);
    const caller = requireRole(identity);
    return loaders
      .get<string, Call[]>(`callsByLead:${first}`, async (ids) => {
        const leadIds = [...new Set(ids.filter(isUuid))];
        if (!leadIds.length) return ids.map(() => []);
        // The newest `first` visible calls of each lead, ranked in the database: one statement for every lead.
        const scope = seesWholeOrganization(caller) ? '' : ' and (assigned_user_id = ? or answered_by_user_id = ?)';
        const ranked =
          `select id from (select id, row_number() over (partition by lead_id order by created_at desc, id desc) as position ` +
          `from ${tableOf(em)} where organization_id = ? and lead_id in (${leadIds.map(() => '?').join(', ')})${scope}) ranked ` +
          `where position <= ?`;
        const params = [caller.organizationId, ...leadIds, ...(seesWholeOrganization(caller) ? [] : [caller.userId, caller.userId]), first];
        const rows = await em.find(
          Call,
          { $and: [visibleCalls(caller), { [raw((alias) => `${alias}.id in (${ranked})`, params)]: [] }] },
          { orderBy: { createdAt: 'desc', id: 'desc' } },
        );
        return groupByKeys(ids, rows, (call) => call.leadId!);
      })
      .load(lead.id.toLowerCase());
  }
}

/** The calls table, schema-qualified as the ORM names it. */
function tableOf(em: SubgraphContext['em']): string {
  const meta = em.getMetadata().get(Call);
  const schema = meta.schema && meta.schema !== '*' ? meta.schema : em.config.get('schema');
  return schema ? `"${schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
}
