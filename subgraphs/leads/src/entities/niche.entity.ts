import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { NicheStatus } from '../types/enums.js';

/** A market niche the organization tests with campaigns, with the cost per lead and ROI it aims for. */
export const NicheSchema = defineEntity({
  name: 'Niche',
  tableName: 'niches',
  indexes: [{ properties: ['organizationId', 'createdAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    name: p.string().length(200),
    category: p.string().length(100).nullable(),
    description: p.text().nullable(),
    status: p.enum(() => NicheStatus).default(NicheStatus.RESEARCH),
    cplTarget: p.decimal('number').precision(14).scale(2).nullable(),
    /** Per cent. */
    roiTarget: p.decimal('number').precision(10).scale(2).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Niche extends NicheSchema.class {}
NicheSchema.setClass(Niche);
