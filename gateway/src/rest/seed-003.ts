/* eslint-disable @typescript-eslint/no-unsafe-assignment --
   Request bodies are checked against each route's JSON Schema at run time (validate.ts), not typed
   (RestRequest['body']), so the route tables map `any` fields onto variables. */
import {
  CreateFunnelMessengerConnectionDocument,
  DeleteFunnelByIdDocument,
  DeleteFunnelClientDocument,
  DeleteFunnelMessengerConnectionDocument,
  FunnelAssistantsDocument,
  FunnelClientDialogsDocument,
  FunnelClientDocument,
  FunnelClientsDocument,
  FunnelDialogMessagesDocument,
  FunnelDialogsDocument,
  FunnelListDocument,
  FunnelMessengerConnectionsDocument,
  FunnelWithStagesDocument,
  SendFunnelDialogMessageDocument,
  UpdateFunnelAssistantDocument,
  UpdateFunnelClientDocument,
  type AssistantFieldsFragment,
  type ClientInput,
  type CreateMessengerConnectionInput,
  type DialogMessageFieldsFragment,
  type FunnelClientFieldsFragment,
  type FunnelDialogFieldsFragment,
  type FunnelSummaryFieldsFragment,
  type MessengerConnectionFieldsFragment,
} from '../generated/graphql.js';
import { Channel, ClientStatus, ClientType, DialogStatus, MessageRole, MessengerType } from '../generated/enums.js';
import { BodyMapping } from './body.js';
import { supportRoutes } from './seed-003-support.js';
import { route, type JsonSchema, type RestApi, type RestRoute } from './route.js';
import { fullName, isoTime, legacyValues, lower, nullableString, upper, uuid } from './shapes.js';

/**
 * Seed 003 (Aiguro, a Next.js API), `/api/organization/{orgId}/…`: plain objects and arrays, snake_case
 * (and the few camelCase fields the screens read), numeric client ids, UUID dialog, funnel and connection ids.
 * The seed lists status codes only; its errors are a Next.js route's `NextResponse.json({ error }, { status })`,
 * so `{error: message}` for every status (429 included: the rate limiter renders through `error`), and 400 for
 * invalid input as a JS stack answers (seed 002's table does the same; 422 is FastAPI's, seeds 000/001/004).
 * `{orgId}` must be the caller's organization: any other answers 404 before anything runs (`organization`).
 */
const ORG = '/api/organization/:orgId';

const CLIENT_STATUSES = legacyValues(ClientStatus);
const CLIENT_TYPES = legacyValues(ClientType);
const CHANNELS = legacyValues(Channel);
const DIALOG_STATUSES = legacyValues(DialogStatus);
const MESSENGER_TYPES = legacyValues(MessengerType);
const ROLES = legacyValues(MessageRole);

const clientId: JsonSchema = { type: 'integer', example: 42 };
const enumOf = (values: string[], example?: string): JsonSchema => ({ type: 'string', enum: values, ...(example ? { example } : {}) });
const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const deleted = (id: JsonSchema): JsonSchema => ({ type: 'object', properties: { success: { type: 'boolean' }, id } });

/** A route under `/api/organization/{orgId}`, answered only for the caller's own organization. */
const inOrganization = <TData, TVariables>(r: RestRoute<TData, TVariables>): RestRoute<TData, TVariables> =>
  route({ ...r, path: `${ORG}${r.path}`, organization: 'orgId' });

// Clients -----------------------------------------------------------------------------------------

const clientOut = (c: FunnelClientFieldsFragment) => ({
  id: Number(c.id),
  name: c.name,
  email: c.email,
  phone: c.phone,
  manager: c.manager,
  status: lower(c.status),
  assignedTo: c.assignedUserId ?? c.manager,
  type: lower(c.type),
  created: c.createdAt,
  lastActivity: c.lastActivityAt,
  created_at: c.createdAt,
  last_activity: c.lastActivityAt,
});
const clientSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: clientId,
    name: { type: 'string', example: 'Иван Петров' },
    email: nullableString,
    phone: { ...nullableString, example: '+7 999 123-45-67' },
    manager: { ...nullableString, description: "The responsible manager's name, as written" },
    status: enumOf(CLIENT_STATUSES, 'active'),
    assignedTo: { ...nullableString, description: "The assigned user's id, or else the manager's name" },
    type: enumOf(CLIENT_TYPES, 'new'),
    created: isoTime,
    lastActivity: isoTime,
    created_at: isoTime,
    last_activity: isoTime,
  },
};
const clientBody = new BodyMapping<ClientInput>({
  name: { schema: { type: 'string', example: 'Иван Петров' } },
  email: { schema: { ...nullableString, format: 'email' } },
  phone: { schema: nullableString },
  manager: { schema: { ...nullableString, description: "The responsible manager's name" } },
  status: { schema: enumOf(CLIENT_STATUSES), convert: upper },
});

// Dialogs -----------------------------------------------------------------------------------------

/** A dialog as the overview, deals (kanban) and messengers screens read it: the kanban's fields hold the others'. */
const dialogOut = (d: FunnelDialogFieldsFragment) => ({
  id: d.id,
  uuid: d.id,
  thread_id: d.threadId,
  client_id: Number(d.client.id),
  funnel_id: d.funnel?.id ?? null,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
  status: lower(d.status),
  messages_count: d.messagesCount,
  last_message: d.lastMessageText,
  close_ratio: d.closeRatio,
  manager: d.manager ? fullName(d.manager) : null,
  ai: d.ai,
  unsubscribed: d.unsubscribed,
  stage: d.stage?.name ?? null,
  lastActivity: d.lastActivityAt,
  description: d.description,
  tags: d.tags,
  price: d.price,
  channel: lower(d.channel),
  client: {
    id: Number(d.client.id),
    name: d.client.name,
    phone: d.client.phone,
    email: d.client.email,
    manager: d.client.manager,
    status: lower(d.client.status),
    close_ratio: d.client.closeRatio,
    messages_count: d.client.messagesCount,
  },
});
const dialogSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    uuid,
    thread_id: { type: 'string', description: "The messenger's chat (or the widget visitor)", example: '5550001' },
    client_id: clientId,
    funnel_id: { ...uuid, nullable: true },
    created_at: isoTime,
    updated_at: isoTime,
    status: enumOf(DIALOG_STATUSES, 'open'),
    messages_count: { type: 'integer' },
    last_message: nullableString,
    close_ratio: { type: 'integer', minimum: 0, maximum: 100 },
    manager: { ...nullableString, description: "The managing user's name" },
    ai: { type: 'boolean', description: 'The AI assistant answers' },
    unsubscribed: { type: 'boolean' },
    stage: { ...nullableString, description: "The current stage's name" },
    lastActivity: isoTime,
    description: nullableString,
    tags: arrayOf({ type: 'string' }),
    price: { type: 'number', nullable: true },
    channel: enumOf(CHANNELS, 'telegram'),
    client: {
      type: 'object',
      properties: {
        id: clientId,
        name: { type: 'string' },
        phone: nullableString,
        email: nullableString,
        manager: nullableString,
        status: enumOf(CLIENT_STATUSES, 'active'),
        close_ratio: { type: 'integer', minimum: 0, maximum: 100 },
        messages_count: { type: 'integer' },
      },
    },
  },
};

const messageOut = (m: DialogMessageFieldsFragment) => ({
  id: m.id,
  text: m.text,
  role: lower(m.role),
  timestamp: m.createdAt,
  time: m.createdAt.slice(11, 16),
});
const messageSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    text: { type: 'string' },
    role: enumOf(ROLES, 'user'),
    timestamp: isoTime,
    time: { type: 'string', description: 'HH:MM (UTC)', example: '14:05' },
  },
};

// Funnels, assistants, messenger connections ------------------------------------------------------

const funnelOut = (f: FunnelSummaryFieldsFragment) => ({ id: f.id, name: f.name, display_name: f.displayName, is_active: f.isActive });
const funnelProperties: Record<string, JsonSchema> = {
  id: uuid,
  name: { type: 'string', example: 'sales' },
  display_name: { type: 'string', example: 'Продажи' },
  is_active: { type: 'boolean' },
};
const funnelSchema: JsonSchema = { type: 'object', properties: funnelProperties };

const assistantOut = (a: AssistantFieldsFragment) => ({
  assistant_code_name: a.assistantCodeName,
  name: a.name,
  prompt: a.prompt,
  followups_count: a.followUpsCount,
});
const assistantSchema: JsonSchema = {
  type: 'object',
  properties: {
    assistant_code_name: { type: 'string', example: 'greeter' },
    name: { type: 'string' },
    prompt: { type: 'string' },
    followups_count: { type: 'integer' },
  },
};

const connectionOut = (c: MessengerConnectionFieldsFragment) => ({
  id: c.id,
  name: c.name,
  messenger_type: lower(c.messengerType),
  is_active: c.isActive,
  funnel_id: c.funnel?.id ?? null,
  connection_data: {
    token_hint: c.connectionData.tokenHint,
    account_name: c.connectionData.accountName,
    phone_number_id: c.connectionData.phoneNumberId,
    webhook_path: c.connectionData.webhookPath,
    verify_token: c.connectionData.verifyToken,
  },
});
const connectionSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    name: nullableString,
    messenger_type: enumOf(MESSENGER_TYPES, 'telegram'),
    is_active: { type: 'boolean' },
    funnel_id: { ...uuid, nullable: true },
    connection_data: {
      type: 'object',
      description: 'What the connection holds, secrets masked (the token is never returned)',
      properties: {
        token_hint: { type: 'string', example: '…a1b2' },
        account_name: { ...nullableString, description: 'The bot @username or the phone' },
        phone_number_id: { ...nullableString, description: 'WhatsApp Cloud API phone number id' },
        webhook_path: { type: 'string', example: '/webhooks/telegram/…' },
        verify_token: { ...nullableString, description: "WhatsApp: the verify token for Meta's webhook settings" },
      },
    },
  },
};
const connectionBody = new BodyMapping<CreateMessengerConnectionInput>({
  messengerType: { schema: enumOf(MESSENGER_TYPES, 'telegram'), convert: upper },
  token: { schema: { type: 'string', description: 'Checked with the messenger, stored encrypted, never returned' } },
  name: { schema: nullableString },
  phoneNumberId: { schema: { ...nullableString, description: 'WhatsApp: required' } },
  appSecret: { schema: { ...nullableString, description: 'WhatsApp: required (signs its webhooks)' } },
});

export const seed003: RestApi = {
  seed: '003-funnels-dialogs-support',
  title: 'Aiguro funnels and dialogs',
  validationStatus: 400,
  error: ({ message }) => ({ error: message }),
  errorSchema: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] },
  routes: [
    inOrganization({
      method: 'get',
      path: '/funnel/:funnelId/dialogs',
      summary: "A funnel's dialogs you may see, most recently active first (overview, deals kanban, messengers; at most 200)",
      resource: 'Funnel',
      operation: FunnelDialogsDocument,
      variables: ({ params }) => ({ funnelId: params.funnelId, first: 200 }),
      respond: (d) => d.dialogs.nodes.map(dialogOut),
      response: arrayOf(dialogSchema),
    }),
    inOrganization({
      method: 'get',
      path: '/clients',
      summary: 'Clients of the organization, most recently active first (at most 200)',
      operation: FunnelClientsDocument,
      variables: () => ({ first: 200 }),
      respond: (d) => d.clients.nodes.map(clientOut),
      response: arrayOf(clientSchema),
    }),
    inOrganization({
      method: 'get',
      path: '/funnel/:funnelId',
      summary: 'A funnel with its stages, their assistants and follow-ups',
      resource: 'Funnel',
      operation: FunnelWithStagesDocument,
      variables: ({ params }) => ({ id: params.funnelId }),
      respond: ({ funnel: f }) => ({
        ...funnelOut(f),
        stages: f.stages.map((s) => ({
          name: s.name,
          assistant_code_name: s.assistantCodeName,
          prompt: s.prompt,
          followups: s.followUps.map((u) => ({ delay_minutes: u.delayMinutes, text: u.text })),
        })),
      }),
      response: {
        type: 'object',
        properties: {
          ...funnelProperties,
          stages: arrayOf({
            type: 'object',
            properties: {
              name: { type: 'string' },
              assistant_code_name: { type: 'string' },
              prompt: { type: 'string' },
              followups: arrayOf({
                type: 'object',
                properties: { delay_minutes: { type: 'number', example: 60 }, text: { type: 'string' } },
              }),
            },
          }),
        },
      },
    }),
    inOrganization({
      method: 'get',
      path: '/funnel/:funnelId/assistants',
      summary: "A funnel's assistants, in stage order",
      resource: 'Funnel',
      operation: FunnelAssistantsDocument,
      variables: ({ params }) => ({ id: params.funnelId }),
      respond: (d) => d.funnel.assistants.map(assistantOut),
      response: arrayOf(assistantSchema),
    }),
    inOrganization({
      method: 'put',
      path: '/funnel/:funnelId/assistant/:assistantCode',
      summary: "Set an assistant's prompt (managers and admins)",
      resource: 'Assistant',
      operation: UpdateFunnelAssistantDocument,
      body: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] },
      variables: ({ params, body }) => ({ funnelId: params.funnelId, assistantCodeName: params.assistantCode, prompt: body.prompt }),
      respond: (d) => assistantOut(d.updateAssistantPrompt),
      response: assistantSchema,
    }),
    inOrganization({
      method: 'get',
      path: '/funnel/:funnelId/messenger_connections',
      summary: "A funnel's messenger connections you may see, newest first",
      resource: 'Funnel',
      operation: FunnelMessengerConnectionsDocument,
      variables: ({ params }) => ({ funnelId: params.funnelId }),
      respond: (d) => d.messengerConnections.map(connectionOut),
      response: arrayOf(connectionSchema),
    }),
    inOrganization({
      method: 'post',
      path: '/funnel/:funnelId/messenger_connection',
      summary: 'Connect a Telegram bot or WhatsApp number to a funnel (the token is checked with the messenger; its webhook registered)',
      status: 201,
      resource: 'Funnel',
      operation: CreateFunnelMessengerConnectionDocument,
      body: connectionBody.schema(['messengerType', 'token']),
      variables: ({ params, body }) => ({ input: { ...connectionBody.input(body), funnelId: params.funnelId } }),
      respond: (d) => connectionOut(d.createMessengerConnection),
      response: connectionSchema,
    }),
    inOrganization({
      method: 'delete',
      path: '/funnel/:funnelId/messenger_connection/:connectionId',
      summary: 'Remove a messenger connection (its webhook first); its dialogs stay',
      resource: 'Messenger connection',
      operation: DeleteFunnelMessengerConnectionDocument,
      variables: ({ params }) => ({ id: params.connectionId, funnelId: params.funnelId }),
      respond: (d) => ({ success: true, id: d.deleteMessengerConnection }),
      response: deleted(uuid),
    }),
    inOrganization({
      method: 'get',
      path: '/funnels',
      summary: 'Funnels of the organization, by name',
      operation: FunnelListDocument,
      respond: (d) => d.funnels.map(funnelOut),
      response: arrayOf(funnelSchema),
    }),
    inOrganization({
      method: 'delete',
      path: '/funnel/:funnelId',
      summary: 'Delete a funnel and its stages; its dialogs and connections stay, without a funnel (managers and admins)',
      resource: 'Funnel',
      operation: DeleteFunnelByIdDocument,
      variables: ({ params }) => ({ id: params.funnelId }),
      respond: (d) => ({ success: true, id: d.deleteFunnel }),
      response: deleted(uuid),
    }),
    inOrganization({
      method: 'get',
      path: '/funnel/:funnelId/dialog/:dialogUuid/messages',
      summary: "A dialog's messages, oldest first",
      resource: 'Dialog',
      operation: FunnelDialogMessagesDocument,
      query: {
        page: { type: 'integer', minimum: 1, description: 'From 1 (default 1)' },
        limit: { type: 'integer', minimum: 1, maximum: 200, description: 'Default 50' },
      },
      variables: ({ params, query }) => {
        const limit = (query.limit as number | undefined) ?? 50;
        return {
          dialogId: params.dialogUuid,
          funnelId: params.funnelId,
          first: limit,
          offset: (((query.page as number | undefined) ?? 1) - 1) * limit,
        };
      },
      respond: (d) => d.dialogMessages.nodes.map(messageOut),
      response: arrayOf(messageSchema),
    }),
    inOrganization({
      method: 'post',
      path: '/funnel/:funnelId/dialog/:dialogUuid/message',
      summary: "Send a message to the dialog's client (recorded, then delivered to their messenger)",
      status: 201,
      resource: 'Dialog',
      operation: SendFunnelDialogMessageDocument,
      body: {
        type: 'object',
        properties: {
          text: { type: 'string', example: 'Здравствуйте! Чем помочь?' },
          role: { ...enumOf(['assistant', 'manager']), description: 'Default manager' },
        },
        required: ['text'],
      },
      variables: ({ params, body }) => ({
        dialogId: params.dialogUuid,
        funnelId: params.funnelId,
        input: { text: body.text, role: upper(body.role as string | undefined) as MessageRole | undefined },
      }),
      respond: (d) => messageOut(d.sendDialogMessage),
      response: messageSchema,
    }),
    inOrganization({
      method: 'get',
      path: '/client/:clientId',
      summary: 'A client',
      resource: 'Client',
      operation: FunnelClientDocument,
      variables: ({ params }) => ({ id: params.clientId }),
      respond: (d) => clientOut(d.client),
      response: clientSchema,
    }),
    inOrganization({
      method: 'get',
      path: '/client/:clientId/dialogs',
      summary: "A client's dialogs you may see, most recently active first",
      resource: 'Client',
      operation: FunnelClientDialogsDocument,
      variables: ({ params }) => ({ id: params.clientId }),
      respond: (d) => d.client.dialogs.map(dialogOut),
      response: arrayOf(dialogSchema),
    }),
    inOrganization({
      method: 'put',
      path: '/client/:clientId',
      summary: 'Update a client (the fields given)',
      resource: 'Client',
      operation: UpdateFunnelClientDocument,
      body: clientBody.schema(),
      variables: ({ params, body }) => ({ id: params.clientId, input: clientBody.input(body) }),
      respond: (d) => clientOut(d.updateClient),
      response: clientSchema,
    }),
    inOrganization({
      method: 'delete',
      path: '/client/:clientId',
      summary: 'Delete a client with their dialogs',
      resource: 'Client',
      operation: DeleteFunnelClientDocument,
      variables: ({ params }) => ({ id: params.clientId }),
      respond: (d) => ({ success: true, id: Number(d.deleteClient) }),
      response: deleted(clientId),
    }),
    ...supportRoutes,
  ],
};
