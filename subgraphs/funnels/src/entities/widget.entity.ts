import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Funnel } from './funnel.entity.js';

/** A web chat widget a site embeds (seed 004 `WidgetInstance`, owner-scoped); visitors' chats become dialogs. */
export const WidgetInstanceSchema = defineEntity({
  name: 'WidgetInstance',
  tableName: 'widget_instances',
  indexes: [{ properties: ['organizationId', 'createdAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    ownerUserId: p.integer(),
    funnel: () => p.manyToOne(Funnel).nullable().deleteRule('set null'),
    name: p.string().length(200),
    title: p.string().length(200).default('Chat with us'),
    greeting: p.text().nullable(),
    /** Origins allowed to embed it (empty: any). */
    allowedOrigins: p
      .json<string[]>()
      .default('[]')
      .onCreate(() => []),
    isActive: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class WidgetInstance extends WidgetInstanceSchema.class {}
WidgetInstanceSchema.setClass(WidgetInstance);
