import { raw, type EntityManager, type FilterQuery } from '@mikro-orm/core';
import { connectionOf, findPage, integerId, uuidOrNothing, type ConnectionShape, type SignedIn, type Window } from '@salesgraph/platform';
import { Lead, leadSearchDocument } from '../entities/index.js';
import { LeadOrderField, type LeadFilter } from '../types/inputs.js';
import { visibleLeads } from './access.js';

/**
 * A tsquery matching every word of `search` as a prefix ("ив петр" → `ив:* & петр:*`), or undefined when
 * it has no words. Only letters and digits reach it, so the query cannot be malformed.
 */
export function prefixQuery(search: string | null | undefined): string | undefined {
  const words = search
    ?.toLowerCase()
    .match(/[\p{L}\p{N}]+/gu)
    ?.slice(0, 10);
  return words?.length ? words.map((w) => `${w}:*`).join(' & ') : undefined;
}

/** The leads a caller may see that match `filter`, or undefined when the filter can match nothing. */
export function leadWhere(caller: SignedIn, given?: LeadFilter | null): FilterQuery<Lead> | undefined {
  // GraphQL passes an explicit `filter: null` as null, which a default parameter would not replace.
  const filter = given ?? {};
  const where: Record<string, unknown> = { ...visibleLeads(caller) };
  const and: unknown[] = [];
  if (filter.status) where.status = filter.status;
  if (filter.source) where.source = filter.source;
  if (filter.scoreCategory) where.scoreCategory = filter.scoreCategory;
  if (filter.assignedUserId != null) where.assignedUserId = integerId(filter.assignedUserId, 'user');
  if (filter.createdFrom || filter.createdTo)
    where.createdAt = {
      ...(filter.createdFrom ? { $gte: filter.createdFrom } : {}),
      ...(filter.createdTo ? { $lt: filter.createdTo } : {}),
    };
  const campaign: Record<string, unknown> = {};
  if (filter.campaignId != null) {
    const id = uuidOrNothing(filter.campaignId);
    if (!id) return undefined;
    campaign.id = id;
  }
  if (filter.nicheId != null) {
    const id = uuidOrNothing(filter.nicheId);
    if (!id) return undefined;
    campaign.niche = id;
  }
  if (filter.platform) campaign.platform = filter.platform;
  if (Object.keys(campaign).length) where.campaign = campaign;
  const query = prefixQuery(filter.search);
  if (filter.search?.trim() && !query) return undefined;
  if (query) and.push({ [raw((alias) => `${leadSearchDocument(alias)} @@ to_tsquery('simple', ?)`, [query])]: [] });
  if (and.length) where.$and = and;
  return where;
}

const ORDER_COLUMNS: Record<LeadOrderField, keyof Lead> = {
  [LeadOrderField.CREATED_AT]: 'createdAt',
  [LeadOrderField.UPDATED_AT]: 'updatedAt',
  [LeadOrderField.NAME]: 'name',
  [LeadOrderField.STATUS]: 'status',
  [LeadOrderField.QUALITY_SCORE]: 'qualityScore',
  [LeadOrderField.BUDGET]: 'budget',
};

/** One page of leads and the total, in two statements whatever the page size. */
export async function listLeads(
  em: EntityManager,
  caller: SignedIn,
  filter: LeadFilter | null | undefined,
  order: { field?: LeadOrderField; direction?: 'asc' | 'desc' },
  window: Window,
): Promise<ConnectionShape<Lead>> {
  const where = leadWhere(caller, filter);
  if (!where) return connectionOf([], 0, window);
  const direction = order.direction ?? 'desc';
  const column = ORDER_COLUMNS[order.field ?? LeadOrderField.CREATED_AT];
  // Nulls last either way, and the id breaks ties so pages never overlap.
  const nulls = direction === 'asc' ? 'asc nulls last' : 'desc nulls last';
  return findPage(em, Lead, where, { orderBy: [{ [column]: nulls }, { id: direction }] as never }, window);
}
