import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.js';

/**
 * An open realtime (graphql-ws) connection of a user, as the gateway reports it. A user with a live one
 * is online; the gateway refreshes `lastSeenAt`, so connections of a crashed gateway expire by themselves.
 */
export const RealtimeConnectionSchema = defineEntity({
  name: 'RealtimeConnection',
  tableName: 'realtime_connections',
  properties: {
    id: p.uuid().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    connectedAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime().index(),
  },
});
export class RealtimeConnection extends RealtimeConnectionSchema.class {}
RealtimeConnectionSchema.setClass(RealtimeConnection);
