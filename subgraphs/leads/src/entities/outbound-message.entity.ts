import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { OutboundMessageStatus } from '../types/enums.js';
import { Lead } from './lead.entity.js';

/**
 * An e-mail to a lead (seed 000's messages): written as a draft, then sent by a background job that
 * records what the mail server answered. Delivery is at least once per send; a sent message is never
 * sent again.
 */
export const OutboundMessageSchema = defineEntity({
  name: 'OutboundMessage',
  tableName: 'outbound_messages',
  indexes: [{ properties: ['organizationId', 'createdAt'] }, { properties: ['lead', 'createdAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    lead: () => p.manyToOne(Lead).deleteRule('cascade'),
    createdByUserId: p.integer(),
    /** The address it goes to: the lead's e-mail unless another was given. */
    toAddress: p.string().length(254),
    subject: p.string().length(300),
    body: p.text(),
    status: p.enum(() => OutboundMessageStatus).default(OutboundMessageStatus.DRAFT),
    /** Delivery attempts of the current send. */
    attempts: p.integer().default(0),
    /** What the mail server (or the sender) said about the last failed attempt. */
    lastError: p.text().nullable(),
    /** The mail server's answer when it accepted the message, e.g. "250 OK queued as …". */
    serverResponse: p.text().nullable(),
    providerMessageId: p.string().length(300).nullable(),
    queuedAt: p.datetime().nullable(),
    sentAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class OutboundMessage extends OutboundMessageSchema.class {}
OutboundMessageSchema.setClass(OutboundMessage);
