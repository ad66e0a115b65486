import type { EntityManager } from '@mikro-orm/core';
import { MAX_INTEGER_ID, byKeys, isUuid, sqlOf, type Identity, type SignedIn, type SubgraphContext } from '@salesgraph/platform';
import { CallAnalysis } from '../entities/index.js';
import { AiObjectType } from '../types/enums.js';
import type { Crm } from './crm.js';

export type OwnedKind = 'Call' | 'Lead' | 'Dialog' | 'Campaign';

const signedIn = (identity: Identity): SignedIn | undefined =>
  identity.kind === 'anonymous' || identity.userId === undefined || identity.organizationId === undefined || identity.role === undefined
    ? undefined
    : (identity as SignedIn);

/** A key as its owner writes it: calls have integer ids, the others UUIDs (lower-case); undefined when it is neither. */
function keyOf(kind: OwnedKind, id: string): string | undefined {
  if (kind === 'Call') {
    const n = Number(id);
    return /^\d{1,10}$/.test(id) && n > 0 && n <= MAX_INTEGER_ID ? String(n) : undefined;
  }
  const lower = id.toLowerCase();
  return isUuid(lower) ? lower : undefined;
}

/**
 * What ai adds to other subgraphs' entities (`Call.analysis`, `Lead.aiCost`, `Campaign.aiCost`, `Dialog.aiCost`),
 * batched per request: an entity resolves here only for ids its owner says the caller may see (one question
 * per kind and batch), and each field
 * costs one statement for a whole page.
 */
export class Extensions {
  constructor(private readonly crm: Crm) {}

  /** The representation, or null when the caller may not see the entity. */
  reference<R extends { id: string }>(kind: OwnedKind, representation: R, { identity, loaders }: SubgraphContext): Promise<R | null> {
    const caller = signedIn(identity);
    const key = keyOf(kind, String(representation.id));
    if (!caller || !key) return Promise.resolve(null);
    return loaders
      .get<string, boolean>(`aiVisible${kind}`, async (ids) => {
        const visible = await this.crm.visible(kind, caller, [...new Set(ids)]);
        return ids.map((id) => visible.has(id));
      })
      .load(key)
      .then((visible) => (visible ? { ...representation, id: key } : null));
  }

  /** The latest analysis of a call, all the calls of a request in one statement. */
  analysis({ identity, em, loaders }: SubgraphContext, callId: string): Promise<CallAnalysis | null> {
    const caller = signedIn(identity);
    if (!caller) return Promise.resolve(null);
    return loaders
      .get<number, CallAnalysis | null>('aiCallAnalysis', async (ids) => {
        const rows = await em.find(CallAnalysis, { organizationId: caller.organizationId, callId: { $in: [...ids] } });
        return byKeys(ids, rows, (row) => row.callId);
      })
      .load(Number(callId));
  }

  /** USD the AI work on an object cost (for a campaign: the work on its leads and itself), one statement per kind and request. */
  cost({ identity, em, loaders }: SubgraphContext, kind: AiObjectType, id: string): Promise<number> {
    const caller = signedIn(identity);
    if (!caller) return Promise.resolve(0);
    return loaders
      .get<string, number>(`aiCost${kind}`, async (ids) => {
        const totals = await costs(em, caller.organizationId, kind, [...ids]);
        return ids.map((key) => totals.get(key) ?? 0);
      })
      .load(id);
  }
}

async function costs(em: EntityManager, organizationId: string, kind: AiObjectType, ids: string[]): Promise<Map<string, number>> {
  const marks = ids.map(() => '?').join(', ');
  const byCampaign = kind === AiObjectType.CAMPAIGN;
  const rows = await sqlOf(em).execute<{ key: string; cost: string | number }[]>(
    byCampaign
      ? `select campaign_id::text as key, sum(cost) as cost from ai.usage_records where organization_id = ? and campaign_id in (${marks}) group by campaign_id`
      : `select object_id as key, sum(cost) as cost from ai.usage_records where organization_id = ? and object_type = ? and object_id in (${marks}) group by object_id`,
    byCampaign ? [organizationId, ...ids] : [organizationId, kind, ...ids],
  );
  return new Map(rows.map((row) => [row.key, Math.round(Number(row.cost) * 1e6) / 1e6]));
}
