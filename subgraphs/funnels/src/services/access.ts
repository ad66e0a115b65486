import { LockMode, type EntityManager } from '@mikro-orm/core';
import { integerId, notFound, seesWholeOrganization, uuidOrNothing, type SignedIn } from '@salesgraph/platform';
import { Dialog, Funnel, MessengerConnection, WidgetInstance } from '../entities/index.js';

export interface DialogScope {
  organizationId: string;
  $or?: ({ managerUserId: number } | { managerUserId: null })[];
}

/**
 * Dialogs a caller may see: managers, analysts and admins their organization's; other roles those they
 * manage and those nobody manages yet (the shared inbox they pick from).
 */
export function visibleDialogs(caller: SignedIn): DialogScope {
  const organization = { organizationId: caller.organizationId };
  if (seesWholeOrganization(caller)) return organization;
  return { ...organization, $or: [{ managerUserId: caller.userId }, { managerUserId: null }] };
}

/** `visibleDialogs` as an SQL condition on the dialogs table aliased `alias`, for raw statements. */
export function visibleDialogsSql(caller: SignedIn, alias: string): { sql: string; params: unknown[] } {
  const organization = { sql: `${alias}.organization_id = ?`, params: [caller.organizationId] };
  if (seesWholeOrganization(caller)) return organization;
  return {
    sql: `${organization.sql} and (${alias}.manager_user_id = ? or ${alias}.manager_user_id is null)`,
    params: [...organization.params, caller.userId],
  };
}

/** Whether an event about a dialog reaches a subscriber (the same rule as `visibleDialogs`). */
export function mayWatchDialog(caller: SignedIn, dialog: { organizationId: string; managerUserId?: number | null }): boolean {
  if (dialog.organizationId !== caller.organizationId) return false;
  return seesWholeOrganization(caller) || dialog.managerUserId == null || dialog.managerUserId === caller.userId;
}

/** A dialog the caller may see, or NOT_FOUND (also for other organizations' ids and malformed ids). */
export async function findVisibleDialog(
  em: EntityManager,
  caller: SignedIn,
  id: string,
  { lock = false, funnelId }: { lock?: boolean; funnelId?: string | null } = {},
): Promise<Dialog> {
  const uuid = uuidOrNothing(id);
  const options = lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
  const dialog = uuid ? await em.findOne(Dialog, { id: uuid, ...visibleDialogs(caller) }, options) : null;
  // Asked within a funnel (the legacy URLs name one), a dialog of another funnel is not found either.
  if (!dialog || (funnelId && dialog.funnel?.id !== funnelId.toLowerCase())) throw notFound('Dialog');
  return dialog;
}

/** A funnel of the caller's organization, or NOT_FOUND. */
export async function findFunnel(em: EntityManager, caller: SignedIn, id: string): Promise<Funnel> {
  const uuid = uuidOrNothing(id);
  const funnel = uuid ? await em.findOne(Funnel, { id: uuid, organizationId: caller.organizationId }) : null;
  if (!funnel) throw notFound('Funnel');
  return funnel;
}

/** Owned resources (seed 004: bots, widgets): managers, analysts and admins see the organization's, others their own. */
export function ownedBy(caller: SignedIn): { organizationId: string; ownerUserId?: number } {
  const organization = { organizationId: caller.organizationId };
  return seesWholeOrganization(caller) ? organization : { ...organization, ownerUserId: caller.userId };
}

export async function findOwnedConnection(em: EntityManager, caller: SignedIn, id: string): Promise<MessengerConnection> {
  const uuid = uuidOrNothing(id);
  const connection = uuid ? await em.findOne(MessengerConnection, { id: uuid, ...ownedBy(caller) }) : null;
  if (!connection) throw notFound('Messenger connection');
  return connection;
}

export async function findOwnedWidget(em: EntityManager, caller: SignedIn, id: string): Promise<WidgetInstance> {
  const uuid = uuidOrNothing(id);
  const widget = uuid ? await em.findOne(WidgetInstance, { id: uuid, ...ownedBy(caller) }) : null;
  if (!widget) throw notFound('Widget');
  return widget;
}

/** A user id given as a GraphQL ID, or null. */
export function userIdOf(id: string | null | undefined, field: string): number | null {
  return id === null || id === undefined ? null : integerId(id, 'user', field);
}
