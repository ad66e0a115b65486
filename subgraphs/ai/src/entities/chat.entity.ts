import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { ChatRole } from '../types/enums.js';

/** A conversation of one user with a persona (seed 004's chat sessions, owner-scoped). */
export const ChatSessionSchema = defineEntity({
  name: 'ChatSession',
  tableName: 'chat_sessions',
  indexes: [{ properties: ['organizationId', 'ownerUserId', 'updatedAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    ownerUserId: p.integer(),
    title: p.string().length(200),
    personaCode: p.string().length(40),
    /** The model asked for; none: the persona's, else the default provider's. */
    model: p.string().length(200).nullable(),
    messagesCount: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class ChatSession extends ChatSessionSchema.class {}
ChatSessionSchema.setClass(ChatSession);

export const ChatMessageSchema = defineEntity({
  name: 'ChatMessage',
  tableName: 'chat_messages',
  indexes: [{ properties: ['session', 'id'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    session: () => p.manyToOne(ChatSession).deleteRule('cascade'),
    role: p.enum(() => ChatRole),
    content: p.text(),
    /** Who produced an assistant message: `local`, `openai` or a provider's slug, and its model. */
    provider: p.string().length(40).nullable(),
    model: p.string().length(200).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class ChatMessage extends ChatMessageSchema.class {}
ChatMessageSchema.setClass(ChatMessage);
