import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { WidgetInstance } from './widget.entity.js';

/**
 * Someone chatting through a widget, without an account: known by a random secret their browser keeps (the
 * visitor token), stored only as its SHA-256. Their dialog is the widget's dialog whose chat id is this id.
 */
export const WidgetVisitorSchema = defineEntity({
  name: 'WidgetVisitor',
  tableName: 'widget_visitors',
  indexes: [{ properties: ['widget', 'createdAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    widget: () => p.manyToOne(WidgetInstance).deleteRule('cascade'),
    organizationId: p.uuid(),
    /** SHA-256 of the visitor token, base64url: the token itself is never stored. */
    tokenHash: p.string().length(64).unique(),
    name: p.string().length(200).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime().onCreate(() => new Date()),
  },
});
export class WidgetVisitor extends WidgetVisitorSchema.class {}
WidgetVisitorSchema.setClass(WidgetVisitor);
