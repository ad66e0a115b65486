/* eslint-disable @typescript-eslint/no-unsafe-assignment --
   Request bodies are checked against each route's JSON Schema at run time (validate.ts), not typed
   (RestRequest['body']), so the route tables map `any` fields onto variables. */
import {
  SeedChatDocument,
  SeedChatSessionDocument,
  SeedChatSessionsDocument,
  SeedCreateChatSessionDocument,
  SeedDeleteChatSessionDocument,
  SeedResetConversationDocument,
  SeedUpdateChatSessionDocument,
  type ChatMessageFieldsFragment,
  type ChatSessionFieldsFragment,
} from '../generated/graphql.js';
import { route, type JsonSchema, type RestRoute } from './route.js';
import { isoTime, lower, nullableString, uuid } from './shapes.js';

/**
 * Seed 004's chat: `/chat` (a message to your latest conversation with a persona), `/reset_conversation`, and
 * the chat sessions of the admin panel, `/admin/chat/sessions` (admins see the organization's, users and web
 * their own, guests read only). `/admin/chat/stream` streams and is the ai subgraph's route.
 */
const SESSIONS = '/admin/chat/sessions';
const persona: JsonSchema = { type: 'string', description: 'A persona code (anna, marina, or your organization’s)', example: 'anna' };

const sessionOut = (s: ChatSessionFieldsFragment) => ({
  id: s.id,
  title: s.title,
  persona: s.persona,
  model: s.model,
  owner_id: Number(s.ownerUserId),
  messages_count: s.messagesCount,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});
const sessionSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    title: { type: 'string' },
    persona,
    model: { ...nullableString, description: 'A model or persona model id; null: the persona’s, else the preferred provider’s' },
    owner_id: { type: 'integer' },
    messages_count: { type: 'integer' },
    created_at: isoTime,
    updated_at: isoTime,
  },
};
const messageOut = (m: ChatMessageFieldsFragment) => ({
  id: Number(m.id),
  role: lower(m.role),
  content: m.content,
  provider: m.provider,
  model: m.model,
  created_at: m.createdAt,
});
const messageSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    role: { type: 'string', enum: ['system', 'user', 'assistant'] },
    content: { type: 'string' },
    provider: { ...nullableString, description: 'What produced an answer: local (no language model), openai, or a provider’s slug' },
    model: nullableString,
    created_at: isoTime,
  },
};
const sessionFields: Record<string, JsonSchema> = {
  title: { type: 'string', example: 'Questions about delivery' },
  persona,
  model: { ...nullableString, example: 'anna-secretary-local' },
};
const byId = ({ params }: { params: Record<string, string> }) => ({ id: params.id });

export const chatRoutes: RestRoute[] = [
  route({
    method: 'post',
    path: '/chat',
    summary: 'Send a message to your latest conversation with a persona (or to session_id) and get the answer',
    operation: SeedChatDocument,
    body: {
      type: 'object',
      properties: {
        message: { type: 'string', example: 'Привет' },
        persona,
        session_id: { ...uuid, description: 'Default: your latest session with the persona' },
      },
      required: ['message'],
    },
    variables: ({ body }) => ({ content: body.message, persona: body.persona ?? null, sessionId: body.session_id ?? null }),
    respond: ({ sendChatMessage: { reply } }) => ({ response: reply.content, provider: reply.provider, model: reply.model }),
    response: {
      type: 'object',
      properties: {
        response: { type: 'string', example: 'Здравствуйте! Чем могу помочь?' },
        provider: { type: 'string', description: 'local: the offline provider answered (no language model is configured)' },
        model: { type: 'string' },
      },
    },
  }),
  route({
    method: 'post',
    path: '/reset_conversation',
    summary: 'Forget your latest conversation with a persona (default anna)',
    operation: SeedResetConversationDocument,
    body: { type: 'object', properties: { persona } },
    variables: ({ body }) => ({ persona: body.persona ?? 'anna' }),
    respond: () => ({ status: 'ok', message: 'Контекст сброшен' }),
    response: {
      type: 'object',
      properties: { status: { type: 'string', example: 'ok' }, message: { type: 'string', example: 'Контекст сброшен' } },
    },
  }),
  route({
    method: 'get',
    path: SESSIONS,
    summary: 'Chat sessions you may see (admins: the organization’s), latest first',
    operation: SeedChatSessionsDocument,
    query: { skip: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 200 } },
    variables: ({ query }) => ({ offset: (query.skip as number | undefined) ?? 0, first: (query.limit as number | undefined) ?? 50 }),
    respond: (d) => ({ sessions: d.chatSessions.nodes.map(sessionOut), total: d.chatSessions.totalCount }),
    response: { type: 'object', properties: { sessions: { type: 'array', items: sessionSchema }, total: { type: 'integer' } } },
  }),
  route({
    method: 'post',
    path: SESSIONS,
    summary: 'Start a chat session with a persona',
    status: 201,
    operation: SeedCreateChatSessionDocument,
    body: { type: 'object', properties: sessionFields },
    variables: ({ body }) => ({ input: { title: body.title, persona: body.persona, model: body.model } }),
    respond: (d) => sessionOut(d.createChatSession),
    response: sessionSchema,
  }),
  route({
    method: 'get',
    path: `${SESSIONS}/:id`,
    summary: 'A chat session with its messages, oldest first (the latest 200)',
    resource: 'Chat session',
    operation: SeedChatSessionDocument,
    variables: ({ params }) => ({ id: params.id, first: 200 }),
    respond: ({ chatSession: s }) => ({ ...sessionOut(s), messages: s.messages.nodes.map(messageOut) }),
    response: { ...sessionSchema, properties: { ...sessionSchema.properties, messages: { type: 'array', items: messageSchema } } },
  }),
  route({
    method: 'put',
    path: `${SESSIONS}/:id`,
    summary: 'Rename a session or change its persona or model',
    resource: 'Chat session',
    operation: SeedUpdateChatSessionDocument,
    body: { type: 'object', properties: sessionFields },
    variables: ({ params, body }) => ({ id: params.id, input: { title: body.title, persona: body.persona, model: body.model } }),
    respond: (d) => sessionOut(d.updateChatSession),
    response: sessionSchema,
  }),
  route({
    method: 'delete',
    path: `${SESSIONS}/:id`,
    summary: 'Delete a session with its messages',
    resource: 'Chat session',
    operation: SeedDeleteChatSessionDocument,
    variables: byId,
    respond: (d) => ({ status: 'ok', id: d.deleteChatSession }),
    response: { type: 'object', properties: { status: { type: 'string', example: 'ok' }, id: uuid } },
  }),
];
