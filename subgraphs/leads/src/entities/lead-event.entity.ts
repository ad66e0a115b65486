import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { LeadEventKind } from '../types/enums.js';
import { Lead } from './lead.entity.js';

/** The history of a lead (created, status changes, assignments, scores, merges), kept as a log. */
export const LeadEventSchema = defineEntity({
  name: 'LeadEvent',
  tableName: 'lead_events',
  indexes: [{ properties: ['lead', 'occurredAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    lead: () => p.manyToOne(Lead).deleteRule('cascade'),
    kind: p.enum(() => LeadEventKind),
    actorUserId: p.integer().nullable(),
    /** The value before and after, e.g. "new" → "qualified"; for a merge, `to` is the merged lead's id. */
    from: p.string().length(200).nullable(),
    to: p.string().length(200).nullable(),
    occurredAt: p.datetime().onCreate(() => new Date()),
  },
});
export class LeadEvent extends LeadEventSchema.class {}
LeadEventSchema.setClass(LeadEvent);
