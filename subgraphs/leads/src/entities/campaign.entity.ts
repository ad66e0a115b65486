import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { AdPlatform, CampaignStatus } from '../types/enums.js';
import { Niche } from './niche.entity.js';

/**
 * An advertising campaign of a niche on one platform. Its ads and leads counts and its statistics are
 * computed from the rows when read, never stored, so they cannot drift.
 */
export const CampaignSchema = defineEntity({
  name: 'Campaign',
  tableName: 'campaigns',
  indexes: [{ properties: ['organizationId', 'createdAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    niche: () => p.manyToOne(Niche).deleteRule('cascade').index(),
    name: p.string().length(200),
    platform: p.enum(() => AdPlatform),
    status: p.enum(() => CampaignStatus).default(CampaignStatus.DRAFT),
    budget: p.decimal('number').precision(14).scale(2).default(0),
    spent: p.decimal('number').precision(14).scale(2).default(0),
    startDate: p.date().nullable(),
    endDate: p.date().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Campaign extends CampaignSchema.class {}
CampaignSchema.setClass(Campaign);
