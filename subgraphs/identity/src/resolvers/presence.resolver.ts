import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  Role,
  WRITERS,
  forbidden,
  groupByKeys,
  integerId,
  isUuid,
  notFound,
  requireRole,
  type SubgraphContext,
} from '@salesgraph/platform';
import { RealtimeConnection, User, UserPhone } from '../entities/index.js';
import { availableUsers, connectedUserIds, statusOf } from '../services/presence.js';
import { findOwnUser } from '../services/users.js';
import { UserPhoneInput } from '../types/inputs.js';
import { PresenceStatus, UserPhoneType } from '../types/presence.type.js';
import { UserType } from '../types/user.type.js';

@Resolver(() => UserType)
export class PresenceResolver {
  @Authorized()
  @Query(() => [UserType], { description: 'Colleagues online now, who can take a transferred call' })
  availableUsers(@Ctx() { em, identity }: SubgraphContext): Promise<User[]> {
    const caller = requireRole(identity);
    return availableUsers(em, caller.organizationId, caller.userId);
  }

  @Authorized(WRITERS)
  @Mutation(() => UserType, { description: 'Sets your status by hand; null returns to "online while connected"' })
  async setPresence(
    @Arg('status', () => PresenceStatus, { nullable: true }) status: PresenceStatus | null,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<User> {
    const caller = requireRole(identity, WRITERS);
    const user = await findOwnUser(em, caller, caller.userId);
    user.presence = status;
    await em.flush();
    return user;
  }

  @Authorized(WRITERS)
  @Mutation(() => UserPhoneType, { description: 'Adds a phone to yourself, or (admins) to a user of your organization' })
  async addUserPhone(
    @Arg('userId', () => ID) userId: string,
    @Arg('input') input: UserPhoneInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<UserPhone> {
    const caller = requireRole(identity, WRITERS);
    const user = await findOwnUser(em, caller, integerId(userId, 'user'));
    if (user.id !== caller.userId && caller.role !== Role.ADMIN) throw forbidden('Only admins change other users’ phones');
    // One transaction: a phone that fails to save must not leave the old primary phone demoted.
    return em.transactional(async (tx) => {
      if (input.isPrimary) await tx.nativeUpdate(UserPhone, { user }, { isPrimary: false });
      return tx.create(UserPhone, { user, phoneNumber: input.phoneNumber, phoneType: input.phoneType, isPrimary: input.isPrimary });
    });
  }

  @Authorized(WRITERS)
  @Mutation(() => Boolean)
  async removeUserPhone(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<boolean> {
    const caller = requireRole(identity, WRITERS);
    const phone = await em.findOne(UserPhone, { id: integerId(id, 'phone'), user: { organization: caller.organizationId } });
    if (!phone || (phone.user.id !== caller.userId && caller.role !== Role.ADMIN)) throw notFound('Phone');
    await em.remove(phone).flush();
    return true;
  }

  @FieldResolver(() => PresenceStatus)
  async status(@Root() user: User, @Ctx() { em, loaders }: SubgraphContext): Promise<PresenceStatus> {
    if (user.presence) return statusOf(user, false);
    const connected = await loaders
      .get<number, boolean>('connected', async (ids) => {
        const live = await connectedUserIds(em, ids);
        return ids.map((id) => live.has(id));
      })
      .load(user.id);
    return statusOf(user, connected);
  }

  @FieldResolver(() => [UserPhoneType])
  phones(@Root() user: User, @Ctx() { em, loaders }: SubgraphContext): Promise<UserPhone[]> {
    return loaders
      .get<number, UserPhone[]>('phonesByUser', async (ids) => {
        const rows = await em.find(UserPhone, { user: { $in: [...ids] } }, { orderBy: { isPrimary: 'desc', id: 'asc' } });
        return groupByKeys(ids, rows, (r) => r.user.id);
      })
      .load(user.id);
  }

  @Directive('@inaccessible')
  @Authorized()
  @Mutation(() => Boolean, { description: 'Internal: the gateway reports a realtime connection of the caller' })
  async realtimeConnected(@Arg('connectionId', () => ID) connectionId: string, @Ctx() { em, identity }: SubgraphContext): Promise<boolean> {
    const caller = requireRole(identity);
    if (!isUuid(connectionId)) return false;
    await em.upsert(RealtimeConnection, { id: connectionId, user: em.getReference(User, caller.userId), lastSeenAt: new Date() });
    return true;
  }

  @Directive('@inaccessible')
  @Mutation(() => Int, { description: 'Internal: the gateway keeps its open connections alive' })
  realtimeHeartbeat(@Arg('connectionIds', () => [ID]) connectionIds: string[], @Ctx() { em }: SubgraphContext): Promise<number> {
    const ids = connectionIds.filter(isUuid);
    return ids.length ? em.nativeUpdate(RealtimeConnection, { id: { $in: ids } }, { lastSeenAt: new Date() }) : Promise.resolve(0);
  }

  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Internal: the gateway reports a closed realtime connection' })
  async realtimeDisconnected(@Arg('connectionId', () => ID) connectionId: string, @Ctx() { em }: SubgraphContext): Promise<boolean> {
    if (!isUuid(connectionId)) return false;
    return (await em.nativeDelete(RealtimeConnection, { id: connectionId })) > 0;
  }
}
