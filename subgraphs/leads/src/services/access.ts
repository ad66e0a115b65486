import type { EntityManager } from '@mikro-orm/core';
import { notFound, seesWholeOrganization, uuidOrNothing, type SignedIn } from '@salesgraph/platform';
import { Lead } from '../entities/index.js';

export interface LeadScope {
  organizationId: string;
  $or?: ({ assignedUserId: number } | { createdByUserId: number })[];
}

/** Leads a caller may see: managers, analysts and admins their organization's; others those assigned to or created by them. */
export function visibleLeads(caller: SignedIn): LeadScope {
  const organization = { organizationId: caller.organizationId };
  if (seesWholeOrganization(caller)) return organization;
  return { ...organization, $or: [{ assignedUserId: caller.userId }, { createdByUserId: caller.userId }] };
}

/** Whether an event about a lead reaches a subscriber (the same rule as `visibleLeads`). */
export function mayWatchLead(
  caller: SignedIn,
  lead: { organizationId: string; assignedUserId?: number | null; createdByUserId?: number | null },
): boolean {
  if (lead.organizationId !== caller.organizationId) return false;
  return seesWholeOrganization(caller) || lead.assignedUserId === caller.userId || lead.createdByUserId === caller.userId;
}

/** A lead the caller may see, or NOT_FOUND (also for other organizations' ids and malformed ids). */
export async function findVisibleLead(em: EntityManager, caller: SignedIn, id: string): Promise<Lead> {
  const uuid = uuidOrNothing(id);
  const lead = uuid ? await em.findOne(Lead, { id: uuid, ...visibleLeads(caller) }) : null;
  if (!lead) throw notFound('Lead');
  return lead;
}
