import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Campaign } from './campaign.entity.js';

/** One advertisement of a campaign; a lead may name the ad it answered. */
export const AdSchema = defineEntity({
  name: 'Ad',
  tableName: 'ads',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    campaign: () => p.manyToOne(Campaign).deleteRule('cascade').index(),
    title: p.string().length(200),
    content: p.text().nullable(),
    url: p.string().length(1000).nullable(),
    /** The ad's id on its platform (OLX, Kaspi…), when published. */
    externalId: p.string().length(200).nullable(),
    isActive: p.boolean().default(true),
    spent: p.decimal('number').precision(14).scale(2).default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Ad extends AdSchema.class {}
AdSchema.setClass(Ad);
