import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Call } from './call.entity.js';
import { CallEventType } from '../types/enums.js';

/**
 * What happened to a call, kept as a log: realtime subscribers receive these by id, and the history of
 * a call (who answered, held, transferred and why) stays readable afterwards.
 */
export const CallEventSchema = defineEntity({
  name: 'CallEvent',
  tableName: 'call_events',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    call: () => p.manyToOne(Call).deleteRule('cascade').index(),
    type: p.enum(() => CallEventType),
    /** Who caused it (identity user id), when a user did. */
    actorUserId: p.integer().nullable(),
    /** Transfers: the user the call moved from. */
    fromUserId: p.integer().nullable(),
    /** Transfers: the user the call moved to. */
    targetUserId: p.integer().nullable(),
    reason: p.text().nullable(),
    isOnHold: p.boolean().nullable(),
    occurredAt: p.datetime().onCreate(() => new Date()),
  },
});
export class CallEvent extends CallEventSchema.class {}
CallEventSchema.setClass(CallEvent);
