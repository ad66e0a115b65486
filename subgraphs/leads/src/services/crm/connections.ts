import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { badInput, notFound, sqlOf, uuidOrNothing, type SecretBox, type SignedIn } from '@salesgraph/platform';
import { CrmConnection } from '../../entities/index.js';
import { CrmSyncState } from '../../types/crm-enums.js';
import type { CreateCrmConnectionInput, UpdateCrmConnectionInput } from '../../types/crm.type.js';
import { hashSecret } from './amocrm-webhook.js';

/** How a queued synchronisation reaches a worker: a durable job, stored by the transaction that queued it. */
export interface CrmSyncDispatcher {
  dispatch(tx: EntityManager, connectionId: string): Promise<void>;
}

/** A secret's last four characters behind dots: enough to recognise it, never enough to use it. */
export const maskedHint = (secret: string) => `••••${secret.slice(-4)}`;

function checkedBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badInput('baseUrl must be an http(s) URL', [{ field: 'baseUrl', message: 'must be an http(s) URL' }]);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw badInput('baseUrl must be an http(s) URL', [{ field: 'baseUrl', message: 'must be an http(s) URL' }]);
  if (url.username || url.password || url.search || url.hash)
    throw badInput('baseUrl takes no user, password, query or fragment: credentials go in credentials', [
      { field: 'baseUrl', message: 'no user, password, query or fragment' },
    ]);
  return url.toString().replace(/\/+$/, '');
}

/** CRM connections of an organization: admins only (the resolvers check the role), secrets sealed. */
export class CrmConnections {
  constructor(
    private readonly box: SecretBox,
    private readonly dispatcher: CrmSyncDispatcher,
  ) {}

  list(em: EntityManager, caller: SignedIn): Promise<CrmConnection[]> {
    return em.find(CrmConnection, { organizationId: caller.organizationId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** One of the caller's organization, or NOT_FOUND (also for other organizations' and malformed ids). */
  async find(em: EntityManager, caller: SignedIn, id: string): Promise<CrmConnection> {
    const uuid = uuidOrNothing(id);
    const connection = uuid ? await em.findOne(CrmConnection, { id: uuid, organizationId: caller.organizationId }) : null;
    if (!connection) throw notFound('CRM connection');
    return connection;
  }

  async create(
    em: EntityManager,
    caller: SignedIn,
    input: CreateCrmConnectionInput,
  ): Promise<{ connection: CrmConnection; webhookSecret: string }> {
    const webhookSecret = newWebhookSecret();
    const connection = em.create(CrmConnection, {
      organizationId: caller.organizationId,
      provider: input.provider,
      name: input.name.trim(),
      baseUrl: checkedBaseUrl(input.baseUrl),
      credentialsSealed: this.box.seal(input.credentials),
      credentialsHint: maskedHint(input.credentials),
      webhookSecretHash: hashSecret(webhookSecret),
      webhookSecretHint: maskedHint(webhookSecret),
      isActive: input.isActive ?? true,
      createdByUserId: caller.userId,
    });
    await em.flush();
    return { connection, webhookSecret };
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: UpdateCrmConnectionInput): Promise<CrmConnection> {
    const connection = await this.find(em, caller, id);
    if (input.name != null) connection.name = input.name.trim();
    if (input.baseUrl != null) connection.baseUrl = checkedBaseUrl(input.baseUrl);
    if (input.credentials != null) {
      connection.credentialsSealed = this.box.seal(input.credentials);
      connection.credentialsHint = maskedHint(input.credentials);
    }
    if (input.isActive != null) connection.isActive = input.isActive;
    await em.flush();
    return connection;
  }

  /** A new webhook secret, shown once; the old one stops working at once. */
  async rotateWebhookSecret(
    em: EntityManager,
    caller: SignedIn,
    id: string,
  ): Promise<{ connection: CrmConnection; webhookSecret: string }> {
    const connection = await this.find(em, caller, id);
    const webhookSecret = newWebhookSecret();
    connection.webhookSecretHash = hashSecret(webhookSecret);
    connection.webhookSecretHint = maskedHint(webhookSecret);
    await em.flush();
    return { connection, webhookSecret };
  }

  /** Deletes the connection; its leads stay, unlinked from it. */
  async delete(em: EntityManager, caller: SignedIn, id: string): Promise<string> {
    const connection = await this.find(em, caller, id);
    await em.transactional(async (tx) => {
      await sqlOf(tx).execute(
        'update leads.leads set crm_connection_id = null, crm_external_id = null, crm_synced_at = null where organization_id = ? and crm_connection_id = ?',
        [caller.organizationId, connection.id],
      );
      await tx.nativeDelete(CrmConnection, { id: connection.id });
    });
    return connection.id;
  }

  /**
   * Queues a synchronisation: the connection becomes `queued` and a job is stored in the same transaction.
   * While one is queued or running, asking again changes nothing (one run at a time per connection).
   */
  async requestSync(em: EntityManager, caller: SignedIn, id: string): Promise<CrmConnection> {
    const connection = await this.find(em, caller, id);
    if (!connection.isActive) throw badInput('The connection is inactive: activate it to synchronise');
    const queuedNow = await em.transactional(async (tx) => {
      const queued = await sqlOf(tx).execute<{ id: string }[]>(
        `update leads.crm_connections set sync_state = 'queued', last_error = null
          where id = ? and sync_state not in ('queued', 'running') returning id`,
        [connection.id],
      );
      if (queued.length) await this.dispatcher.dispatch(tx, connection.id);
      return queued.length > 0;
    });
    // Queued now: that is the answer, whatever a worker does meanwhile; otherwise the run in progress as it stands.
    if (!queuedNow) return (await em.refresh(connection)) ?? connection;
    connection.syncState = CrmSyncState.QUEUED;
    connection.lastError = null;
    return connection;
  }
}

const newWebhookSecret = () => `crmhook_${randomBytes(24).toString('base64url')}`;
