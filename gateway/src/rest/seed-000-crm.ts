import {
  CreateCrmConnectionDocument,
  CrmConnectionDocument,
  CrmConnectionStatusDocument,
  CrmConnectionsDocument,
  DeleteCrmConnectionDocument,
  SyncCrmConnectionDocument,
  UpdateCrmConnectionDocument,
  type CreateCrmConnectionInput,
  type CrmConnectionFieldsFragment,
  type CrmStatusFieldsFragment,
} from '../generated/graphql.js';
import { CrmProvider, CrmSyncState } from '../generated/enums.js';
import { BodyMapping } from './body.js';
import { route, type JsonSchema, type RestRoute } from './route.js';
import { dateTime, legacyValues, lower, nullableString, pageOf, pageSchema, upper } from './shapes.js';

/** Seed 000's «CRM Интеграции», `/api/v1/crm/connections`: admins only; credentials are written, and shown only masked. */
const BASE = '/api/v1/crm/connections';

const statusOut = (s: CrmStatusFieldsFragment) => ({
  connection_id: s.connectionId,
  state: lower(s.state),
  last_sync_at: s.lastSyncAt,
  last_sync_started_at: s.lastSyncStartedAt,
  pulled: s.pulled,
  pushed: s.pushed,
  created: s.created,
  updated: s.updated,
  last_error: s.lastError,
  last_webhook_at: s.lastWebhookAt,
});
const statusSchema: JsonSchema = {
  type: 'object',
  properties: {
    connection_id: { type: 'string', format: 'uuid' },
    state: { type: 'string', enum: legacyValues(CrmSyncState) },
    last_sync_at: dateTime,
    last_sync_started_at: dateTime,
    pulled: { type: 'integer' },
    pushed: { type: 'integer' },
    created: { type: 'integer' },
    updated: { type: 'integer' },
    last_error: nullableString,
    last_webhook_at: dateTime,
  },
};

const connectionOut = (c: CrmConnectionFieldsFragment) => ({
  id: c.id,
  provider: lower(c.provider),
  name: c.name,
  base_url: c.baseUrl,
  credentials: c.credentialsHint,
  webhook_secret: c.webhookSecretHint,
  is_active: c.isActive,
  sync_status: lower(c.status.state),
  last_sync_at: c.status.lastSyncAt,
  status: statusOut(c.status),
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});
const connectionSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    provider: { type: 'string', enum: legacyValues(CrmProvider) },
    name: { type: 'string' },
    base_url: { type: 'string', example: 'https://example.amocrm.ru' },
    credentials: { type: 'string', description: 'Masked: the last four characters only', example: '••••a1b2' },
    webhook_secret: { type: 'string', description: 'Masked, except in the answer that created or rotated it', example: '••••x9y8' },
    is_active: { type: 'boolean' },
    sync_status: { type: 'string', enum: legacyValues(CrmSyncState) },
    last_sync_at: dateTime,
    status: statusSchema,
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

const connectionBody = new BodyMapping<CreateCrmConnectionInput>({
  provider: { schema: { type: 'string', enum: legacyValues(CrmProvider) }, convert: upper },
  name: { schema: { type: 'string' } },
  baseUrl: { schema: { type: 'string', description: "The account's API address, e.g. https://example.amocrm.ru" } },
  credentials: {
    schema: { type: 'string', description: 'Access token (amoCRM, generic) or "<user id>/<key>" of a Bitrix24 inbound webhook' },
  },
  isActive: { schema: { type: 'boolean' } },
});

export const crmRoutes: RestRoute[] = [
  route({
    method: 'get',
    path: BASE,
    summary: 'CRM connections (admins only)',
    operation: CrmConnectionsDocument,
    respond: (d) => pageOf(d.crmConnections.map(connectionOut), d.crmConnections.length, 0, Math.max(d.crmConnections.length, 1)),
    response: pageSchema(connectionSchema),
  }),
  route({
    method: 'post',
    path: BASE,
    summary: 'Connect a CRM (admins only); the answer shows the webhook secret and URL once',
    status: 201,
    operation: CreateCrmConnectionDocument,
    body: connectionBody.schema(['provider', 'name', 'baseUrl', 'credentials']),
    variables: ({ body }) => ({ input: connectionBody.input(body) }),
    respond: ({ createCrmConnection: c }) => ({
      ...connectionOut(c.connection),
      webhook_secret: c.webhookSecret,
      webhook_url: c.webhookUrl,
    }),
    response: { ...connectionSchema, properties: { ...connectionSchema.properties, webhook_url: { type: 'string' } } },
  }),
  route({
    method: 'get',
    path: `${BASE}/:connection_id`,
    summary: 'A CRM connection (admins only)',
    resource: 'CRM connection',
    operation: CrmConnectionDocument,
    variables: ({ params }) => ({ id: params.connection_id }),
    respond: (d) => (d.crmConnection ? connectionOut(d.crmConnection) : null),
    response: connectionSchema,
  }),
  route({
    method: 'put',
    path: `${BASE}/:connection_id`,
    summary: 'Update a CRM connection; new credentials replace the stored ones (admins only)',
    resource: 'CRM connection',
    operation: UpdateCrmConnectionDocument,
    body: connectionBody.pick('name', 'baseUrl', 'credentials', 'isActive').schema(),
    variables: ({ params, body }) => ({
      id: params.connection_id,
      input: connectionBody.pick('name', 'baseUrl', 'credentials', 'isActive').input(body),
    }),
    respond: (d) => connectionOut(d.updateCrmConnection),
    response: connectionSchema,
  }),
  route({
    method: 'delete',
    path: `${BASE}/:connection_id`,
    summary: 'Delete a CRM connection; its leads stay (admins only)',
    resource: 'CRM connection',
    operation: DeleteCrmConnectionDocument,
    variables: ({ params }) => ({ id: params.connection_id }),
    respond: () => undefined,
  }),
  route({
    method: 'post',
    path: `${BASE}/:connection_id/sync`,
    summary: 'Synchronise leads with the CRM in the background (admins only); answers the queued status',
    status: 202,
    resource: 'CRM connection',
    operation: SyncCrmConnectionDocument,
    variables: ({ params }) => ({ id: params.connection_id }),
    respond: (d) => statusOut(d.syncCrmConnection.status),
    response: statusSchema,
  }),
  route({
    method: 'get',
    path: `${BASE}/:connection_id/status`,
    summary: "A CRM connection's synchronisation status (admins only)",
    resource: 'CRM connection',
    operation: CrmConnectionStatusDocument,
    variables: ({ params }) => ({ id: params.connection_id }),
    respond: (d) => statusOut(d.crmConnectionStatus),
    response: statusSchema,
  }),
];
