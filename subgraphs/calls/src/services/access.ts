import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { integerId, notFound, seesWholeOrganization, type SignedIn } from '@salesgraph/platform';
import { Call, type CallTask } from '../entities/index.js';

export interface CallScope {
  organizationId: string;
  $or?: ({ assignedUserId: number } | { answeredByUserId: number })[];
}

/** Calls a caller may see: managers, analysts and admins their organization's; others those assigned to or answered by them. */
export function visibleCalls(caller: SignedIn): CallScope {
  const organization = { organizationId: caller.organizationId };
  if (seesWholeOrganization(caller)) return organization;
  return { ...organization, $or: [{ assignedUserId: caller.userId }, { answeredByUserId: caller.userId }] };
}

/** Tasks a caller sees and may change: the organization's for organization-wide roles, else those assigned to or created by them. */
export function visibleTasks(caller: SignedIn): { organizationId: string; $or?: FilterQuery<CallTask>[] } {
  const organization = { organizationId: caller.organizationId };
  if (seesWholeOrganization(caller)) return organization;
  return { ...organization, $or: [{ assignedUserId: caller.userId }, { createdByUserId: caller.userId }] };
}

/** Whether an event about a call reaches a subscriber (the same rule as `visibleCalls`). */
export function mayWatch(
  caller: SignedIn,
  call: { organizationId: string; assignedUserId?: number | null; answeredByUserId?: number | null },
): boolean {
  if (call.organizationId !== caller.organizationId) return false;
  return seesWholeOrganization(caller) || call.assignedUserId === caller.userId || call.answeredByUserId === caller.userId;
}

export async function findVisibleCall(em: EntityManager, caller: SignedIn, id: string | number): Promise<Call> {
  const call = await em.findOne(Call, { id: integerId(id, 'call'), ...visibleCalls(caller) });
  if (!call) throw notFound('Call');
  return call;
}
