import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { Role, defineQueue, sqlOf, type JobSender, type PhoneNumbers, type SecretBox, type SignedIn } from '@salesgraph/platform';
import { CrmConnection, Lead } from '../../entities/index.js';
import { CrmSyncState } from '../../types/crm-enums.js';
import { LeadSource } from '../../types/enums.js';
import type { CreateLeadInput } from '../../types/inputs.js';
import { findDuplicate, type LeadService } from '../leads.js';
import type { CrmAccount, ExternalLead, OutgoingLead } from './adapter.js';
import { CrmAuthError, CrmRequestError, type CrmHttpOptions } from './http.js';
import type { CrmSyncDispatcher } from './connections.js';
import { adapters } from './index.js';

/** Local leads one run pushes at most; the rest go on the next run. */
const PUSH_LIMIT = 500;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[+()\d\s.-]{3,40}$/;

export interface SyncCounts {
  pulled: number;
  pushed: number;
  created: number;
  updated: number;
}

export type Upserted = 'created' | 'updated' | 'unchanged';

/** The rights a CRM acts with in its organization: those of an admin, recorded as the connection's creator. */
export function crmActor(connection: CrmConnection): SignedIn {
  return { kind: 'apiKey', userId: connection.createdByUserId ?? 0, organizationId: connection.organizationId, role: Role.ADMIN };
}

/** Strips what PostgreSQL text cannot hold and cuts to a column's width. */
const clean = (value: string | null | undefined, max: number) => {
  const cleaned = value?.replaceAll('\u0000', '').trim();
  return cleaned ? cleaned.slice(0, max) : null;
};

/** A CRM's lead as the fields of a lead here; what does not fit our rules (a malformed phone or e-mail) is left out. */
export function leadFieldsOf(external: ExternalLead): CreateLeadInput {
  const phone = clean(external.phone, 40);
  const email = clean(external.email, 254);
  return {
    name: clean(external.name, 200) ?? `CRM lead ${external.externalId}`,
    phone: phone && PHONE.test(phone) ? phone : undefined,
    email: email && EMAIL.test(email) ? email : undefined,
    company: clean(external.company, 200) ?? undefined,
    budget: external.budget != null && external.budget <= 999_999_999_999 ? external.budget : undefined,
  };
}

/**
 * Synchronises leads with a CRM through its adapter: pulls its leads into leads here (created or updated
 * through LeadService, whose duplicate rules apply), then pushes the organization's leads that have no id
 * there yet or changed since their last exchange. A run records its state, counts and error on the connection.
 */
export class CrmSync {
  constructor(
    private readonly leads: LeadService,
    private readonly phones: PhoneNumbers,
    private readonly box: SecretBox,
    private readonly http: CrmHttpOptions = {},
  ) {}

  /**
   * Creates or updates the lead linked with this external id (a webhook and a sync alike): the same CRM lead
   * twice is one lead here. A new one that duplicates a lead by phone or e-mail updates and links that one.
   */
  async upsert(em: EntityManager, connection: CrmConnection, external: ExternalLead): Promise<Upserted> {
    const externalId = external.externalId.slice(0, 100);
    const actor = crmActor(connection);
    const fields = leadFieldsOf(external);
    for (let attempt = 0; ; attempt++) {
      try {
        return await em.transactional(async (tx) => {
          const linked = await tx.findOne(Lead, {
            organizationId: connection.organizationId,
            crmConnectionId: connection.id,
            crmExternalId: externalId,
          });
          if (linked) {
            // Changed here since its last exchange: ours wins, and the push that follows sends it.
            if (linked.crmSyncedAt && linked.updatedAt.getTime() > linked.crmSyncedAt.getTime()) return 'unchanged';
            const changed =
              linked.name !== fields.name ||
              (fields.phone !== undefined && linked.phone !== fields.phone) ||
              (fields.email !== undefined && linked.email !== fields.email) ||
              (fields.company !== undefined && linked.company !== fields.company) ||
              (fields.budget !== undefined && linked.budget !== fields.budget);
            if (!changed) return 'unchanged';
            const lead = await this.leads.update(tx, actor, linked.id, fields);
            await markSynced(tx, lead.id, connection.id, externalId);
            return 'updated';
          }
          const duplicate = await findDuplicate(
            tx,
            connection.organizationId,
            this.phones.toE164(fields.phone),
            fields.email?.toLowerCase() ?? null,
          );
          const lead = (await this.leads.create(tx, actor, { ...fields, source: duplicate ? undefined : LeadSource.CRM }, true)) as Lead;
          // A lead already linked with another id of this CRM keeps its link; it still takes the fields.
          if (!(lead.crmConnectionId === connection.id && lead.crmExternalId)) await markSynced(tx, lead.id, connection.id, externalId);
          return duplicate ? 'updated' : 'created';
        });
      } catch (error) {
        // The same CRM lead arrived twice at once (a webhook during a sync): the other one linked it; update it.
        if (error instanceof UniqueConstraintViolationException && attempt === 0) continue;
        throw error;
      }
    }
  }

  /**
   * One run for a queued connection. Answers false when it is not queued (another run has it, or it went).
   * Provider failures end the run as failed with the reason; `retrying` keeps it queued for the next attempt
   * instead, and throws, so the job is retried.
   */
  async run(
    em: EntityManager,
    connectionId: string,
    { retrying = false, signal }: { retrying?: boolean; signal?: AbortSignal } = {},
  ): Promise<boolean> {
    // `running` too: the attempt of a process that died mid-run is retried once its job expires (the queue
    // runs one job per connection at a time, so nobody else is running it).
    const claimed = await sqlOf(em).execute<{ id: string }[]>(
      `update leads.crm_connections set sync_state = 'running', last_sync_started_at = now(), last_error = null
        where id = ? and sync_state in ('queued', 'running') and is_active returning id`,
      [connectionId],
    );
    if (claimed.length === 0) return false;
    const connection = await em.findOneOrFail(CrmConnection, { id: connectionId }, { populate: ['credentialsSealed'] });
    const counts: SyncCounts = { pulled: 0, pushed: 0, created: 0, updated: 0 };
    try {
      await this.exchange(em, connection, counts, signal);
      await finish(em, connection, CrmSyncState.SUCCEEDED, counts, null);
      return true;
    } catch (error) {
      const permanent = error instanceof CrmAuthError || error instanceof CrmRequestError;
      const reason = error instanceof Error ? error.message : String(error);
      await finish(em, connection, retrying && !permanent ? CrmSyncState.QUEUED : CrmSyncState.FAILED, counts, reason);
      if (retrying && !permanent) throw error;
      return true;
    }
  }

  private async exchange(em: EntityManager, connection: CrmConnection, counts: SyncCounts, signal?: AbortSignal): Promise<void> {
    const adapter = adapters[connection.provider];
    const account: CrmAccount = {
      baseUrl: connection.baseUrl,
      credentials: this.box.open(connection.credentialsSealed),
      http: { ...this.http, signal },
    };
    for await (const page of adapter.pull(account)) {
      for (const external of page) {
        counts.pulled++;
        const result = await this.upsert(em, connection, external);
        if (result !== 'unchanged') counts[result]++;
      }
    }
    // New leads of the organization (linked with no CRM) and this connection's leads changed since their last exchange.
    const outgoing = await sqlOf(em).execute<{ id: string; crm_external_id: string | null }[]>(
      `select id, crm_external_id from leads.leads
        where organization_id = ? and (crm_connection_id is null or (crm_connection_id = ? and crm_synced_at < updated_at))
        order by created_at limit ?`,
      [connection.organizationId, connection.id, PUSH_LIMIT],
    );
    for (const row of outgoing) {
      const lead = await em.findOne(Lead, { id: row.id });
      if (!lead) continue;
      const data: OutgoingLead = {
        name: lead.name,
        phone: lead.phoneE164 ?? lead.phone ?? null,
        email: lead.email ?? null,
        company: lead.company ?? null,
        budget: lead.budget ?? null,
      };
      if (row.crm_external_id) {
        await adapter.update(account, row.crm_external_id, data);
        await markSynced(em, lead.id, connection.id, row.crm_external_id);
      } else {
        const externalId = await adapter.create(account, data);
        await markSynced(em, lead.id, connection.id, externalId.slice(0, 100));
      }
      counts.pushed++;
    }
  }
}

/** Attempts after the first when the CRM is unavailable (429, 5xx, timeouts beyond the HTTP retries). */
const SYNC_RETRIES = 3;

/**
 * The durable `crm-sync` queue (one job per connection at a time: `stately`, keyed by the connection) and the
 * dispatcher that stores a job in the transaction that marks the connection queued.
 */
export function crmSyncJobs(sync: CrmSync, jobs: JobSender) {
  const queue = defineQueue<{ connectionId: string }>({
    name: 'crm-sync',
    retryLimit: SYNC_RETRIES,
    retryDelaySeconds: 5,
    retryBackoff: true,
    policy: 'stately',
    work: ({ connectionId }, { em, attempt, signal }) => sync.run(em, connectionId, { retrying: attempt <= SYNC_RETRIES, signal }),
  });
  const dispatcher: CrmSyncDispatcher = {
    async dispatch(tx, connectionId) {
      await jobs.send(queue, { connectionId }, { em: tx, singletonKey: connectionId });
    },
  };
  return { queue, dispatcher };
}

/** Links a lead with its CRM id and notes that, as of its current version, it is in step with the CRM. */
async function markSynced(em: EntityManager, leadId: string, connectionId: string, externalId: string) {
  await em.flush();
  await sqlOf(em).execute(`update leads.leads set crm_connection_id = ?, crm_external_id = ?, crm_synced_at = updated_at where id = ?`, [
    connectionId,
    externalId,
    leadId,
  ]);
}

async function finish(em: EntityManager, connection: CrmConnection, state: CrmSyncState, counts: SyncCounts, error: string | null) {
  await em.nativeUpdate(
    CrmConnection,
    { id: connection.id },
    {
      syncState: state,
      lastSyncAt: new Date(),
      lastSyncPulled: counts.pulled,
      lastSyncPushed: counts.pushed,
      lastSyncCreated: counts.created,
      lastSyncUpdated: counts.updated,
      lastError: error?.slice(0, 2000) ?? null,
    },
  );
}
