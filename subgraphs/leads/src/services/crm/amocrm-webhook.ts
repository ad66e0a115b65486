import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { badInput, isUuid, unauthenticated } from '@salesgraph/platform';
import { CrmConnection } from '../../entities/index.js';
import { CrmProvider } from '../../types/crm-enums.js';
import { amount, text, type ExternalLead } from './adapter.js';
import type { CrmSync } from './sync.js';

/** Lead events of an amoCRM webhook that carry the lead's fields; `delete` is acknowledged and ignored. */
const UPSERT_ACTIONS = new Set(['add', 'update', 'status', 'restore', 'responsible']);
const MAX_LEADS = 500;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * The leads of an amoCRM webhook body. amoCRM posts `application/x-www-form-urlencoded` fields named like
 * `leads[add][0][id]`, `leads[update][0][name]`, `leads[status][0][price]`, `account[subdomain]`;
 * contacts, companies, tasks and the account are not leads and are skipped.
 */
export function parseAmocrmWebhook(body: string): { leads: ExternalLead[]; ignored: number } {
  if (!body.trim()) throw badInput('The body is empty: amoCRM sends form fields such as leads[add][0][id]');
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(body);
  } catch {
    throw badInput('The body is not application/x-www-form-urlencoded');
  }
  const byKey = new Map<string, { action: string; fields: Record<string, string> }>();
  let known = 0;
  for (const [key, value] of params) {
    const match = /^(leads|contacts|companies|customers|task|account|unsorted|catalogs|talk|message)\[/.exec(key);
    if (match) known++;
    const lead = /^leads\[([a-z_]+)\]\[(\d+)\]\[([a-z_]+)\]$/.exec(key);
    if (!lead) continue;
    const [, action, index, field] = lead;
    const entry = byKey.get(`${action}:${index}`) ?? { action, fields: {} };
    entry.fields[field] = value;
    byKey.set(`${action}:${index}`, entry);
  }
  if (known === 0) throw badInput('Not an amoCRM webhook: expected form fields such as leads[add][0][id]');
  const leads: ExternalLead[] = [];
  let ignored = 0;
  for (const { action, fields } of byKey.values()) {
    if (!UPSERT_ACTIONS.has(action)) {
      ignored++;
      continue;
    }
    if (!fields.id || !/^\d{1,20}$/.test(fields.id)) throw badInput(`leads[${action}][…][id] must be an amoCRM lead id (digits)`);
    leads.push({ externalId: fields.id, name: text(fields.name) ?? `amoCRM lead ${fields.id}`, budget: amount(fields.price) });
  }
  if (leads.length > MAX_LEADS) throw badInput(`At most ${MAX_LEADS} leads per webhook`);
  return { leads, ignored };
}

/**
 * `POST /webhooks/amocrm?connection=<id>&secret=<webhook secret>`: amoCRM signs nothing it posts, so the URL
 * configured in amoCRM carries the connection's secret, compared here (as a SHA-256, in constant time).
 */
export class AmocrmWebhook {
  constructor(private readonly sync: CrmSync) {}

  async receive(
    em: EntityManager,
    connectionId: string,
    secret: string,
    body: string,
  ): Promise<{ created: number; updated: number; unchanged: number; ignored: number }> {
    const connection = isUuid(connectionId) ? await em.findOne(CrmConnection, { id: connectionId.toLowerCase() }) : null;
    // The same answer for an unknown connection and a wrong secret: neither tells which ids exist.
    const expected = Buffer.from(connection?.webhookSecretHash ?? hashSecret('no connection'), 'hex');
    const given = Buffer.from(hashSecret(secret), 'hex');
    if (!connection || !timingSafeEqual(given, expected) || connection.provider !== CrmProvider.AMOCRM || !connection.isActive)
      throw unauthenticated('Unknown CRM connection or wrong webhook secret');
    const { leads, ignored } = parseAmocrmWebhook(body);
    const counts = { created: 0, updated: 0, unchanged: 0, ignored };
    for (const lead of leads) counts[await this.sync.upsert(em, connection, lead)]++;
    await em.nativeUpdate(CrmConnection, { id: connection.id }, { lastWebhookAt: new Date() });
    return counts;
  }
}
