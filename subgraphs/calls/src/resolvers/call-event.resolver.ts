import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { byKeys, isUuid, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { Call, CallEvent } from '../entities/index.js';
import { visibleCalls } from '../services/access.js';
import { CallType } from '../types/call.type.js';
import { CallEventObject } from '../types/call-event.type.js';
import { UserRef, userRef } from '../types/user.type.js';

@Resolver(() => CallEventObject)
export class CallEventResolver {
  @Authorized()
  @Query(() => CallEventObject, { nullable: true, description: 'One event of a call you may see (what subscriptions deliver)' })
  async callEvent(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<CallEvent | null> {
    if (!isUuid(id)) return null;
    const caller = requireRole(identity);
    return em.findOne(CallEvent, { id, organizationId: caller.organizationId, call: visibleCalls(caller) });
  }

  @FieldResolver(() => CallType)
  call(@Root() event: CallEvent, @Ctx() { em, loaders }: SubgraphContext): Promise<Call | null> {
    return loaders
      .get<number, Call>('callById', async (ids) => byKeys(ids, await em.find(Call, { id: { $in: [...ids] } }), (c) => c.id) as Call[])
      .load(event.call.id);
  }

  @FieldResolver(() => UserRef, { nullable: true })
  actor(@Root() event: CallEvent): UserRef | null {
    return userRef(event.actorUserId);
  }

  @FieldResolver(() => UserRef, { nullable: true })
  fromUser(@Root() event: CallEvent): UserRef | null {
    return userRef(event.fromUserId);
  }

  @FieldResolver(() => UserRef, { nullable: true })
  toUser(@Root() event: CallEvent): UserRef | null {
    return userRef(event.targetUserId);
  }
}
