import type { EntityManager } from '@mikro-orm/core';
import { Role, isUuid, notFound, seesWholeOrganization, type SignedIn } from '@salesgraph/platform';
import { Ticket } from '../entities/index.js';

/** Who works the support queue: answers as support and changes status, priority and assignee. */
export const SUPPORT_AGENTS = [Role.ADMIN, Role.MANAGER];

export const isAgent = (caller: SignedIn) => SUPPORT_AGENTS.includes(caller.role);

export interface TicketScope {
  organizationId: string;
  requesterUserId?: number;
}

/** Tickets a caller may see: managers, analysts and admins their organization's; others those they asked. */
export function visibleTickets(caller: SignedIn): TicketScope {
  const organization = { organizationId: caller.organizationId };
  return seesWholeOrganization(caller) ? organization : { ...organization, requesterUserId: caller.userId };
}

/** Whether an event about a ticket reaches a subscriber (the same rule as `visibleTickets`). */
export function mayWatchTicket(caller: SignedIn, ticket: { organizationId: string; requesterUserId: number }): boolean {
  if (ticket.organizationId !== caller.organizationId) return false;
  return seesWholeOrganization(caller) || ticket.requesterUserId === caller.userId;
}

/** A ticket the caller may see, or NOT_FOUND (also for other organizations' and malformed ids). */
export async function findVisibleTicket(em: EntityManager, caller: SignedIn, id: string): Promise<Ticket> {
  const ticket = isUuid(id) ? await em.findOne(Ticket, { id: id.toLowerCase(), ...visibleTickets(caller) }) : null;
  if (!ticket) throw notFound('Ticket');
  return ticket;
}
