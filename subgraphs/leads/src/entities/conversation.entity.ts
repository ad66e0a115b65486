import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { AdPlatform, MessageSender } from '../types/enums.js';
import { Lead } from './lead.entity.js';

/** One message of the conversation with a lead (seed 001's `conversations`): from the lead, a bot or a person. */
export const ConversationMessageSchema = defineEntity({
  name: 'ConversationMessage',
  tableName: 'conversation_messages',
  indexes: [{ properties: ['lead', 'createdAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    lead: () => p.manyToOne(Lead).deleteRule('cascade'),
    message: p.text(),
    sender: p.enum(() => MessageSender),
    platform: p.enum(() => AdPlatform).nullable(),
    /** Who wrote it, when a person of the organization did. */
    authorUserId: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class ConversationMessage extends ConversationMessageSchema.class {}
ConversationMessageSchema.setClass(ConversationMessage);
