import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Channel, DeliveryStatus, DialogStatus, MessageRole } from '../types/enums.js';
import { Client } from './client.entity.js';
import { FollowUp, Funnel, FunnelStage } from './funnel.entity.js';
import { MessengerConnection } from './messenger-connection.entity.js';
import { WidgetInstance } from './widget.entity.js';

/**
 * A conversation with a client in one channel, and the deal it is (seed 003's dialogs: overview, kanban,
 * messengers). Counters and the last message are kept on the row, so lists read no messages.
 */
export const DialogSchema = defineEntity({
  name: 'Dialog',
  tableName: 'dialogs',
  indexes: [{ properties: ['organizationId', 'lastActivityAt'] }, { properties: ['funnel', 'lastActivityAt'] }, { properties: ['client'] }],
  uniques: [{ properties: ['connection', 'externalChatId'] }, { properties: ['widget', 'externalChatId'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    /** The messenger's thread: the chat id at the messenger, or the widget visitor's id. */
    threadId: p.string().length(200),
    client: () => p.manyToOne(Client).deleteRule('cascade'),
    funnel: () => p.manyToOne(Funnel).nullable().deleteRule('set null'),
    stage: () => p.manyToOne(FunnelStage).nullable().deleteRule('set null'),
    channel: p.enum(() => Channel),
    connection: () => p.manyToOne(MessengerConnection).nullable().deleteRule('set null'),
    widget: () => p.manyToOne(WidgetInstance).nullable().deleteRule('set null'),
    /** The chat at the messenger that replies go to (a Telegram chat id, a WhatsApp number, a visitor id). */
    externalChatId: p.string().length(200).nullable(),
    status: p.enum(() => DialogStatus),
    managerUserId: p.integer().nullable(),
    /** Replies are the AI assistant's (the AI subgraph answers dialogs with this set). */
    ai: p.boolean().default(false),
    /**
     * The client message the assistant last claimed to answer (`claimAssistantTurn`): a message is answered
     * once, however many AI processes heard of it.
     */
    assistantAnsweredMessageId: p.uuid().nullable(),
    /** When the assistant last handed the dialog over to a person (`ai` turned off by a manager's reply or the assistant). */
    handedOverAt: p.datetime().nullable(),
    /** Why: the client asked for a person, a manager replied, or the assistant could not answer. */
    handoverReason: p.string().length(500).nullable(),
    /** The client asked for no more messages: nothing is sent, follow-ups included. */
    unsubscribed: p.boolean().default(false),
    /** 0–100: how likely the deal closes. */
    closeRatio: p.integer().default(0),
    description: p.text().nullable(),
    tags: p
      .json<string[]>()
      .default('[]')
      .onCreate(() => []),
    price: p.decimal('number').precision(14).scale(2).nullable(),
    messagesCount: p.integer().default(0),
    lastMessageText: p.text().nullable(),
    lastMessageAt: p.datetime().nullable(),
    /** When the client last wrote. */
    lastClientMessageAt: p.datetime().nullable(),
    /**
     * Since when the dialog waits for the client: set by a manager's or assistant's message or a stage move,
     * cleared when the client writes. Follow-ups are scheduled from it and sent only while it is unchanged.
     */
    awaitingReplySince: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    lastActivityAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Dialog extends DialogSchema.class {}
DialogSchema.setClass(Dialog);

/**
 * One message of a dialog. Outgoing ones carry how delivery went; a follow-up's message names the follow-up
 * and the silence it answered (`followUpAnchor`), unique together, so no follow-up is sent twice for one silence.
 */
export const DialogMessageSchema = defineEntity({
  name: 'DialogMessage',
  tableName: 'dialog_messages',
  indexes: [{ properties: ['dialog', 'createdAt'] }],
  uniques: [{ properties: ['dialog', 'followUp', 'followUpAnchor'] }, { properties: ['dialog', 'externalMessageId'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    dialog: () => p.manyToOne(Dialog).deleteRule('cascade'),
    role: p.enum(() => MessageRole),
    text: p.text(),
    authorUserId: p.integer().nullable(),
    delivery: p.enum(() => DeliveryStatus),
    deliveryError: p.text().nullable(),
    /** The messenger's id of the message (inbound: makes a redelivered update harmless). */
    externalMessageId: p.string().length(200).nullable(),
    followUp: () => p.manyToOne(FollowUp).nullable().deleteRule('set null'),
    followUpAnchor: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    deliveredAt: p.datetime().nullable(),
  },
});
export class DialogMessage extends DialogMessageSchema.class {}
DialogMessageSchema.setClass(DialogMessage);
