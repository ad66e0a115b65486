/* eslint-disable @typescript-eslint/no-unsafe-assignment --
   Request bodies are checked against each route's JSON Schema at run time (validate.ts), not typed
   (RestRequest['body']), so the route tables map `any` fields onto variables. */
import {
  CreateFunnelMessengerConnectionDocument,
  DeleteFunnelMessengerConnectionDocument,
  FunnelMessengerConnectionDocument,
  FunnelMessengerConnectionsDocument,
  StartFunnelMessengerConnectionDocument,
  StopFunnelMessengerConnectionDocument,
  TestFunnelMessengerConnectionDocument,
  UpdateFunnelMessengerConnectionDocument,
  type CreateMessengerConnectionInput,
  type MessengerConnectionFieldsFragment,
  type UpdateMessengerConnectionInput,
} from '../generated/graphql.js';
import { ConnectionState, MessengerType } from '../generated/enums.js';
import { BodyMapping } from './body.js';
import { route, type JsonSchema, type RestRoute } from './route.js';
import { isoTime, legacyValues, lower, nullableString, uuid } from './shapes.js';

/**
 * Seed 004's Telegram bots, `/admin/telegram/bots`: the funnels subgraph's Telegram connections. Who sees which
 * is the GraphQL API's rule (admins, managers and analysts the organization's, users and web their own, guests
 * read only); the token is never returned, only its last characters (`token_hint`).
 */
const BOTS = '/admin/telegram/bots';

/** A bot as the seed's admin panel shows one; `null` (404) for a connection that is not a Telegram bot. */
const botOut = (c: MessengerConnectionFieldsFragment) =>
  c.messengerType !== MessengerType.Telegram
    ? null
    : {
        id: c.id,
        name: c.name,
        username: c.accountName,
        is_active: c.isActive,
        status: lower(c.state),
        token_hint: c.tokenHint,
        funnel_id: c.funnel?.id ?? null,
        owner_id: Number(c.ownerUserId),
        last_error: c.lastError,
        created_at: c.createdAt,
        updated_at: c.updatedAt,
      };
const botSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    name: { ...nullableString, example: 'Shop bot' },
    username: { ...nullableString, description: "The bot's @username, as Telegram names it", example: 'shop_bot' },
    is_active: { type: 'boolean' },
    status: { type: 'string', enum: legacyValues(ConnectionState), description: 'running: the webhook is registered', example: 'running' },
    token_hint: { type: 'string', description: 'The end of the token; the token itself is never returned', example: '…a1b2' },
    funnel_id: { ...uuid, nullable: true },
    owner_id: { type: 'integer' },
    last_error: { ...nullableString, description: 'Why the last start or test failed' },
    created_at: isoTime,
    updated_at: isoTime,
  },
};

const funnelId = { schema: { ...uuid, nullable: true, description: 'The funnel its dialogs go to' } };
const createBody = new BodyMapping<CreateMessengerConnectionInput>({
  name: { schema: { type: 'string', example: 'Shop bot' } },
  token: { schema: { type: 'string', description: 'From @BotFather; checked with Telegram, stored encrypted, never returned' } },
  funnelId,
  start: { name: 'auto_start', schema: { type: 'boolean', description: 'Register its webhook now (default true)' } },
});
const updateBody = new BodyMapping<UpdateMessengerConnectionInput>({
  name: { schema: { type: 'string' } },
  token: { schema: { type: 'string', description: 'A new token, checked with Telegram' } },
  funnelId,
  isActive: { schema: { type: 'boolean', description: 'false stops receiving and sending' } },
});

const byId = ({ params }: { params: Record<string, string> }) => ({ id: params.id });

export const botRoutes: RestRoute[] = [
  route({
    method: 'get',
    path: BOTS,
    summary: 'Telegram bots you may see (admins: all of the organization; users: their own), newest first',
    operation: FunnelMessengerConnectionsDocument,
    variables: () => ({ messengerType: MessengerType.Telegram }),
    respond: (d) => d.messengerConnections.map(botOut),
    response: { type: 'array', items: botSchema },
  }),
  route({
    method: 'post',
    path: BOTS,
    summary: 'Add a Telegram bot: the token is checked with Telegram and, unless auto_start is false, its webhook registered',
    status: 201,
    operation: CreateFunnelMessengerConnectionDocument,
    body: createBody.schema(['name', 'token']),
    variables: ({ body }) => ({ input: { ...createBody.input(body), messengerType: MessengerType.Telegram } }),
    respond: (d) => botOut(d.createMessengerConnection),
    response: botSchema,
  }),
  route({
    method: 'get',
    path: `${BOTS}/:id`,
    summary: 'A Telegram bot',
    resource: 'Bot',
    operation: FunnelMessengerConnectionDocument,
    variables: byId,
    respond: (d) => botOut(d.messengerConnection),
    response: botSchema,
  }),
  route({
    method: 'put',
    path: `${BOTS}/:id`,
    summary: 'Update a Telegram bot (the fields given)',
    resource: 'Bot',
    operation: UpdateFunnelMessengerConnectionDocument,
    body: updateBody.schema(),
    variables: ({ params, body }) => ({ id: params.id, input: updateBody.input(body) }),
    respond: (d) => botOut(d.updateMessengerConnection),
    response: botSchema,
  }),
  route({
    method: 'delete',
    path: `${BOTS}/:id`,
    summary: 'Remove a Telegram bot (its webhook first); its dialogs stay',
    resource: 'Bot',
    operation: DeleteFunnelMessengerConnectionDocument,
    variables: byId,
    respond: (d) => ({ status: 'ok', id: d.deleteMessengerConnection }),
    response: { type: 'object', properties: { status: { type: 'string', example: 'ok' }, id: uuid } },
  }),
  route({
    method: 'post',
    path: `${BOTS}/:id/start`,
    summary: 'Start a bot: register its webhook (status running, or failed with last_error)',
    resource: 'Bot',
    operation: StartFunnelMessengerConnectionDocument,
    variables: byId,
    respond: (d) => botOut(d.startMessengerConnection),
    response: botSchema,
  }),
  route({
    method: 'post',
    path: `${BOTS}/:id/stop`,
    summary: 'Stop a bot: remove its webhook (status stopped)',
    resource: 'Bot',
    operation: StopFunnelMessengerConnectionDocument,
    variables: byId,
    respond: (d) => botOut(d.stopMessengerConnection),
    response: botSchema,
  }),
  route({
    method: 'post',
    path: `${BOTS}/:id/test`,
    summary: 'Check the token with Telegram and, given a chat_id, send that chat a test message',
    resource: 'Bot',
    operation: TestFunnelMessengerConnectionDocument,
    body: {
      type: 'object',
      properties: {
        chat_id: { type: 'integer', description: 'A Telegram chat id to send the test message to', example: 123456789 },
        text: { type: 'string', description: 'The test message (a default one if absent)' },
      },
    },
    variables: ({ params, body }) => ({
      id: params.id,
      chatId: body.chat_id === undefined || body.chat_id === null ? undefined : String(body.chat_id),
      text: body.text,
    }),
    respond: (d) => ({ ok: d.testMessengerConnection.ok, error: d.testMessengerConnection.error }),
    response: { type: 'object', properties: { ok: { type: 'boolean' }, error: nullableString } },
  }),
];
