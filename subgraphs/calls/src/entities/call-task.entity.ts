import { defineEntity, p } from '@mikro-orm/core';
import { Call } from './call.entity.js';
import { CallTaskStatus } from '../types/enums.js';

/** A follow-up to do after a call (seed 000 `/calls/tasks`). */
export const CallTaskSchema = defineEntity({
  name: 'CallTask',
  tableName: 'call_tasks',
  indexes: [{ properties: ['organizationId', 'assignedUserId'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    organizationId: p.uuid(),
    call: () => p.manyToOne(Call).nullable().deleteRule('cascade').index(),
    title: p.string().length(200),
    description: p.text().nullable(),
    status: p.enum(() => CallTaskStatus).default(CallTaskStatus.OPEN),
    dueDate: p.datetime().nullable(),
    assignedUserId: p.integer().nullable(),
    createdByUserId: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class CallTask extends CallTaskSchema.class {}
CallTaskSchema.setClass(CallTask);
