import type { EntityManager } from '@mikro-orm/core';
import { RealtimeConnection, User } from '../entities/index.js';
import { PresenceStatus } from '../types/presence.type.js';

/** A connection not refreshed for this long is gone (the gateway refreshes every 30 s). */
export const PRESENCE_TTL_MS = 90_000;

const liveSince = () => new Date(Date.now() - PRESENCE_TTL_MS);

/** Of these users, the ids with a live realtime connection; one query. */
export async function connectedUserIds(em: EntityManager, userIds: readonly number[]): Promise<Set<number>> {
  const rows = await em.find(RealtimeConnection, { user: { $in: [...userIds] }, lastSeenAt: { $gt: liveSince() } }, { fields: ['user'] });
  return new Set(rows.map((r) => r.user.id));
}

/** A status set by hand wins; otherwise online while a realtime connection lives. */
export function statusOf(user: User, connected: boolean): PresenceStatus {
  if (user.presence) return user.presence as PresenceStatus;
  return connected ? PresenceStatus.ONLINE : PresenceStatus.OFFLINE;
}

/** Online, active users of an organization. */
export async function availableUsers(em: EntityManager, organizationId: string, except?: number): Promise<User[]> {
  const live = await em.find(
    RealtimeConnection,
    { user: { organization: organizationId }, lastSeenAt: { $gt: liveSince() } },
    { fields: ['user'] },
  );
  const liveIds = [...new Set(live.map((r) => r.user.id))];
  return em.find(
    User,
    {
      organization: organizationId,
      isActive: true,
      ...(except !== undefined && { id: { $ne: except } }),
      $or: [{ presence: PresenceStatus.ONLINE }, { presence: null, id: { $in: liveIds } }],
    },
    { orderBy: { firstName: 'asc', lastName: 'asc', id: 'asc' } },
  );
}
