import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { CrmProvider, CrmSyncState } from '../types/crm-enums.js';

/**
 * An organization's account at a CRM: where its API is (`baseUrl`), the credentials to call it (sealed with
 * SECRETS_KEY, never returned), the secret its webhooks carry (only a hash is kept), and how the last
 * synchronisation went.
 */
export const CrmConnectionSchema = defineEntity({
  name: 'CrmConnection',
  tableName: 'crm_connections',
  indexes: [{ properties: ['organizationId', 'createdAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    provider: p.enum(() => CrmProvider),
    name: p.string().length(100),
    /** The provider account's API address, e.g. https://example.amocrm.ru or a Bitrix24 portal. */
    baseUrl: p.string().length(1000),
    /** Access token (amoCRM, generic) or inbound-webhook key (Bitrix24), sealed; never returned. */
    credentialsSealed: p.text().hidden(),
    credentialsHint: p.string().length(16),
    /** SHA-256 (hex) of the secret inbound webhooks carry: the secret itself is shown once and not kept. */
    webhookSecretHash: p.string().length(64).hidden(),
    webhookSecretHint: p.string().length(16),
    isActive: p.boolean().default(true),
    createdByUserId: p.integer().nullable(),
    syncState: p.enum(() => CrmSyncState).default(CrmSyncState.IDLE),
    /** When the last run ended (successfully or not). */
    lastSyncAt: p.datetime().nullable(),
    lastSyncStartedAt: p.datetime().nullable(),
    lastSyncPulled: p.integer().default(0),
    lastSyncPushed: p.integer().default(0),
    lastSyncCreated: p.integer().default(0),
    lastSyncUpdated: p.integer().default(0),
    lastError: p.text().nullable(),
    lastWebhookAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class CrmConnection extends CrmConnectionSchema.class {}
CrmConnectionSchema.setClass(CrmConnection);
