import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Department, TicketMessageRole, TicketPriority, TicketStatus } from '../types/enums.js';

/**
 * A support request of a user of an organization (seed 003 section 4), with its SLA deadlines: when support
 * must first answer and when it must be resolved (set from the priority at creation), and when either passed.
 */
export const TicketSchema = defineEntity({
  name: 'Ticket',
  tableName: 'tickets',
  indexes: [
    { properties: ['organizationId', 'createdAt'] },
    { properties: ['organizationId', 'status'] },
    { properties: ['requesterUserId'] },
  ],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    subject: p.string().length(200),
    description: p.text(),
    department: p.enum(() => Department),
    status: p.enum(() => TicketStatus),
    priority: p.enum(() => TicketPriority),
    /** A funnel of the funnels subgraph the ticket is about (its name comes from there). */
    funnelId: p.uuid().nullable(),
    requesterUserId: p.integer(),
    assigneeUserId: p.integer().nullable(),
    messagesCount: p.integer().default(0),
    firstResponseDueAt: p.datetime(),
    resolutionDueAt: p.datetime(),
    firstRespondedAt: p.datetime().nullable(),
    resolvedAt: p.datetime().nullable(),
    /** When the first-response deadline passed unmet (set by its job). */
    firstResponseBreachedAt: p.datetime().nullable(),
    /** When the resolution deadline passed unmet (set by its job). */
    resolutionBreachedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Ticket extends TicketSchema.class {}
TicketSchema.setClass(Ticket);

/** One message of a ticket's conversation. */
export const TicketMessageSchema = defineEntity({
  name: 'TicketMessage',
  tableName: 'ticket_messages',
  indexes: [{ properties: ['ticket', 'createdAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    ticket: () => p.manyToOne(Ticket).deleteRule('cascade'),
    role: p.enum(() => TicketMessageRole),
    text: p.text(),
    authorUserId: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class TicketMessage extends TicketMessageSchema.class {}
TicketMessageSchema.setClass(TicketMessage);

/**
 * A file attached to a ticket (its description) or to one of its messages. The bytes are in the file store
 * under `storageKey`; the type is the one sniffed from the bytes, never the client's claim.
 */
export const AttachmentSchema = defineEntity({
  name: 'Attachment',
  tableName: 'attachments',
  indexes: [{ properties: ['ticket'] }, { properties: ['message'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    ticket: () => p.manyToOne(Ticket).deleteRule('cascade'),
    message: () => p.manyToOne(TicketMessage).nullable().deleteRule('cascade'),
    name: p.string().length(255),
    contentType: p.string().length(255),
    size: p.integer(),
    /** SHA-256 (hex) of the bytes. */
    sha256: p.string().length(64),
    storageKey: p.string().length(300),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Attachment extends AttachmentSchema.class {}
AttachmentSchema.setClass(Attachment);
