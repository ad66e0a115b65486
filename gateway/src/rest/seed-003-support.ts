/* eslint-disable @typescript-eslint/no-unsafe-assignment --
   Request bodies are checked against each route's JSON Schema at run time (validate.ts), not typed
   (RestRequest['body']), so the route tables map `any` fields onto variables. */
import {
  AddSupportTicketMessageDocument,
  CreateSupportTicketDocument,
  SupportTicketDocument,
  SupportTicketMessagesDocument,
  SupportTicketsDocument,
  type SupportAttachmentFieldsFragment,
  type SupportTicketFieldsFragment,
  type SupportTicketMessageFieldsFragment,
} from '../generated/graphql.js';
import { Department, TicketMessageRole, TicketPriority, TicketStatus } from '../generated/enums.js';
import { route, type JsonSchema, type RestRoute } from './route.js';
import { isoTime, legacyValues, lower, nullableString, upper, uuid } from './shapes.js';

// Seed 003's support screen (section 4), `/api/support/tickets…`, spread into seed 003's table (seed-003.ts):
// its `{error}` bodies and 400s. The seed passes the organization as `?orgId=`: another one answers 404.

const TICKETS = '/api/support/tickets';
const STATUSES = legacyValues(TicketStatus);
const DEPARTMENTS = legacyValues(Department);
const PRIORITIES = legacyValues(TicketPriority);
const ROLES = legacyValues(TicketMessageRole);

const enumOf = (values: string[], example?: string) => ({ type: 'string' as const, enum: values, ...(example ? { example } : {}) });
const orgId = { ...uuid, description: 'Your organization (optional); any other answers 404' };
const page = { type: 'integer', minimum: 1, description: 'From 1 (default 1)' } satisfies JsonSchema;
const limit = { type: 'integer', minimum: 1, maximum: 200, description: 'Default 20' } satisfies JsonSchema;
const FILES = { maxFiles: 5, description: 'Up to 5 files (UPLOAD_MAX_BYTES each; the type is read from the bytes)' };

const pageOf = (query: Record<string, unknown>, defaultLimit: number) => {
  const size = (query.limit as number | undefined) ?? defaultLimit;
  return { first: size, offset: (((query.page as number | undefined) ?? 1) - 1) * size };
};

const attachmentOut = (a: SupportAttachmentFieldsFragment) => ({
  id: a.id,
  name: a.name,
  url: a.url,
  size: a.size,
  content_type: a.contentType,
});
const attachmentSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string', example: 'screenshot.png' },
    url: { type: 'string', description: 'A download link through the gateway, good for 5 minutes' },
    size: { type: 'integer', description: 'Bytes' },
    content_type: { type: 'string', description: 'Read from the bytes', example: 'image/png' },
  },
};

const ticketOut = (t: SupportTicketFieldsFragment) => ({
  id: t.id,
  subject: t.subject,
  description: t.description,
  department: lower(t.department),
  status: lower(t.status),
  priority: lower(t.priority),
  created_at: t.createdAt,
  updated_at: t.updatedAt,
  messages_count: t.messagesCount,
  funnel_id: t.funnel?.id ?? null,
  funnel_name: t.funnel?.displayName ?? null,
  overdue: t.overdue,
  first_response_due_at: t.firstResponseDueAt,
  resolution_due_at: t.resolutionDueAt,
  attachments: t.attachments.map(attachmentOut),
});
const ticketSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    subject: { type: 'string', example: 'Не приходят уведомления' },
    description: { type: 'string' },
    department: enumOf(DEPARTMENTS, 'technical'),
    status: enumOf(STATUSES, 'open'),
    priority: enumOf(PRIORITIES, 'medium'),
    created_at: isoTime,
    updated_at: isoTime,
    messages_count: { type: 'integer' },
    funnel_id: { ...nullableString, format: 'uuid' },
    funnel_name: nullableString,
    overdue: { type: 'boolean', description: 'An SLA deadline passed unmet' },
    first_response_due_at: isoTime,
    resolution_due_at: isoTime,
    attachments: { type: 'array', items: attachmentSchema },
  },
};

const messageOut = (m: SupportTicketMessageFieldsFragment) => ({
  id: m.id,
  text: m.text,
  role: lower(m.role),
  timestamp: m.createdAt,
  attachments: m.attachments.map(attachmentOut),
});
const messageSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    text: { type: 'string' },
    role: enumOf(ROLES, 'user'),
    timestamp: isoTime,
    attachments: { type: 'array', items: attachmentSchema },
  },
};

export const supportRoutes: RestRoute[] = [
  route({
    method: 'get',
    path: TICKETS,
    summary: 'Support tickets you may see, newest first (agents and analysts: the organization’s)',
    organizationQuery: 'orgId',
    operation: SupportTicketsDocument,
    query: { orgId, funnelId: uuid, status: enumOf(STATUSES), department: enumOf(DEPARTMENTS), page, limit },
    variables: ({ query }) => ({
      status: upper(query.status as string | undefined) as TicketStatus | undefined,
      department: upper(query.department as string | undefined) as Department | undefined,
      funnelId: query.funnelId as string | undefined,
      ...pageOf(query, 20),
    }),
    respond: (d) => d.tickets.nodes.map(ticketOut),
    response: { type: 'array', items: ticketSchema },
  }),
  route({
    method: 'post',
    path: TICKETS,
    summary: 'Open a ticket (JSON, or multipart with `files`)',
    status: 201,
    operation: CreateSupportTicketDocument,
    uploads: { field: 'files', ...FILES },
    body: {
      type: 'object',
      properties: {
        subject: { type: 'string', example: 'Не приходят уведомления' },
        description: { type: 'string' },
        department: enumOf(DEPARTMENTS, 'technical'),
        funnel_id: { ...uuid, nullable: true },
        priority: { ...enumOf(PRIORITIES), description: 'Default medium' },
      },
      required: ['subject', 'description', 'department'],
    },
    variables: ({ body, files }) => ({
      input: {
        subject: body.subject,
        description: body.description,
        department: upper(body.department as string) as Department,
        funnelId: body.funnel_id ?? null,
        priority: upper(body.priority as string | undefined) as TicketPriority | undefined,
      },
      files,
    }),
    respond: (d) => ticketOut(d.createTicket),
    response: ticketSchema,
  }),
  route({
    method: 'get',
    path: `${TICKETS}/:ticketId`,
    summary: 'A ticket',
    resource: 'Ticket',
    operation: SupportTicketDocument,
    variables: ({ params }) => ({ id: params.ticketId }),
    respond: (d) => ticketOut(d.ticket),
    response: ticketSchema,
  }),
  route({
    method: 'get',
    path: `${TICKETS}/:ticketId/messages`,
    summary: "A ticket's messages, oldest first",
    resource: 'Ticket',
    operation: SupportTicketMessagesDocument,
    query: { page, limit: { ...limit, description: 'Default 50' } },
    variables: ({ params, query }) => ({ id: params.ticketId, ...pageOf(query, 50) }),
    respond: (d) => d.ticketMessages.nodes.map(messageOut),
    response: { type: 'array', items: messageSchema },
  }),
  route({
    method: 'post',
    path: `${TICKETS}/:ticketId/messages`,
    summary: 'Write in a ticket (JSON, or multipart with `attachments`): as its requester, or as support (managers and admins)',
    status: 201,
    resource: 'Ticket',
    operation: AddSupportTicketMessageDocument,
    uploads: { field: 'attachments', ...FILES },
    body: { type: 'object', properties: { text: { type: 'string', example: 'Спасибо, проверю' } }, required: ['text'] },
    variables: ({ params, body, files }) => ({ id: params.ticketId, text: body.text, files }),
    respond: (d) => messageOut(d.addTicketMessage),
    response: messageSchema,
  }),
];
