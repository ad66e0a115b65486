import {
  CreateOutboundMessageDocument,
  DeleteOutboundMessageDocument,
  OutboundMessageDocument,
  OutboundMessagesDocument,
  SendOutboundMessageDocument,
  UpdateOutboundMessageDocument,
  type CreateOutboundMessageInput,
  type OutboundMessageFieldsFragment,
} from '../generated/graphql.js';
import { OutboundMessageStatus } from '../generated/enums.js';
import { BodyMapping } from './body.js';
import { route, type JsonSchema, type RestRoute } from './route.js';
import { legacyValues, lower, nullableString, pageOf, pageSchema, upper } from './shapes.js';

// Seed 000's messages (`/messages`): e-mails to leads, sent by a background job; spread into its route table (seed-000.ts).

const STATUSES = legacyValues(OutboundMessageStatus);
const dateTime = (nullable = false): JsonSchema => ({ type: 'string', format: 'date-time', nullable });

const messageOut = (m: OutboundMessageFieldsFragment) => ({
  id: m.id,
  lead_id: m.leadId,
  created_by_id: Number(m.createdByUserId),
  to_address: m.toAddress,
  subject: m.subject,
  body: m.body,
  status: lower(m.status),
  attempts: m.attempts,
  last_error: m.lastError,
  server_response: m.serverResponse,
  queued_at: m.queuedAt,
  sent_at: m.sentAt,
  created_at: m.createdAt,
  updated_at: m.updatedAt,
});
const messageSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    lead_id: { type: 'string', format: 'uuid' },
    created_by_id: { type: 'integer' },
    to_address: { type: 'string', format: 'email' },
    subject: { type: 'string', example: 'Ваш MacBook готов' },
    body: { type: 'string' },
    status: { type: 'string', enum: STATUSES, description: 'draft → queued → sent | failed' },
    attempts: { type: 'integer', description: 'Delivery attempts of the current send' },
    last_error: { ...nullableString, description: 'Why the last attempt failed, as the mail server said' },
    server_response: { ...nullableString, description: "The mail server's answer on acceptance" },
    queued_at: dateTime(true),
    sent_at: dateTime(true),
    created_at: dateTime(),
    updated_at: dateTime(),
  },
};

const messageBody = new BodyMapping<CreateOutboundMessageInput>({
  leadId: { schema: { type: 'string', format: 'uuid' } },
  toAddress: { schema: { type: 'string', description: "Default: the lead's e-mail" } },
  subject: { schema: { type: 'string' } },
  body: { schema: { type: 'string' } },
});
/** What changes in a draft: everything but its lead. */
const messageUpdate = messageBody.pick('toAddress', 'subject', 'body');

const DEFAULT_LIMIT = 100;
const windowOf = (q: Record<string, unknown>) => ({ skip: (q.skip as number) ?? 0, limit: (q.limit as number) ?? DEFAULT_LIMIT });

/** The message routes under seed 000's prefix. */
export const messageRoutes = (prefix: string): RestRoute[] => [
  route({
    method: 'get',
    path: `${prefix}/messages`,
    summary: 'E-mails to the leads you may see, newest first; filter by lead and status',
    operation: OutboundMessagesDocument,
    query: {
      skip: { type: 'integer', minimum: 0 },
      limit: { type: 'integer', minimum: 1, maximum: 200 },
      lead_id: { type: 'string', format: 'uuid' },
      status: { type: 'string', enum: STATUSES },
    },
    variables: ({ query: q }) => ({
      offset: windowOf(q).skip,
      first: windowOf(q).limit,
      leadId: q.lead_id as string | undefined,
      status: upper(q.status as string | undefined) as OutboundMessageStatus | undefined,
    }),
    respond: (d, { query: q }) =>
      pageOf(d.outboundMessages.nodes.map(messageOut), d.outboundMessages.totalCount, windowOf(q).skip, windowOf(q).limit),
    response: pageSchema(messageSchema),
  }),
  route({
    method: 'post',
    path: `${prefix}/messages`,
    summary: 'Write an e-mail to a lead (a draft: POST …/send sends it)',
    status: 201,
    operation: CreateOutboundMessageDocument,
    body: messageBody.schema(['leadId', 'subject', 'body']),
    variables: ({ body }) => ({ input: messageBody.input(body) }),
    respond: (d) => messageOut(d.createOutboundMessage),
    response: messageSchema,
  }),
  route({
    method: 'get',
    path: `${prefix}/messages/:message_id`,
    summary: 'An e-mail to a lead you may see, with its delivery status',
    operation: OutboundMessageDocument,
    resource: 'Message',
    variables: ({ params }) => ({ id: params.message_id }),
    respond: (d) => (d.outboundMessage ? messageOut(d.outboundMessage) : null),
    response: messageSchema,
  }),
  route({
    method: 'put',
    path: `${prefix}/messages/:message_id`,
    summary: 'Change a draft or a failed e-mail',
    operation: UpdateOutboundMessageDocument,
    resource: 'Message',
    body: messageUpdate.schema(),
    variables: ({ params, body }) => ({ id: params.message_id, input: messageUpdate.input(body) }),
    respond: (d) => messageOut(d.updateOutboundMessage),
    response: messageSchema,
  }),
  route({
    method: 'delete',
    path: `${prefix}/messages/:message_id`,
    summary: 'Delete an e-mail (not while it is being sent)',
    operation: DeleteOutboundMessageDocument,
    resource: 'Message',
    variables: ({ params }) => ({ id: params.message_id }),
    respond: () => undefined,
  }),
  route({
    method: 'post',
    path: `${prefix}/messages/:message_id/send`,
    summary: 'Send the e-mail: queued for delivery over SMTP, retried when the server puts it off; its status tells how it went',
    operation: SendOutboundMessageDocument,
    resource: 'Message',
    variables: ({ params }) => ({ id: params.message_id }),
    respond: (d) => messageOut(d.sendOutboundMessage),
    response: messageSchema,
  }),
];
