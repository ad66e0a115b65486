import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { LeadSource, LeadStatus, ScoreCategory } from '../types/enums.js';
import { Ad } from './ad.entity.js';
import { Campaign } from './campaign.entity.js';

/**
 * What full-text search reads: name, company and e-mail (its parts too, so "example" finds ivan@example.com),
 * with the columns of the table aliased `alias` (none for the index, which the planner matches all the same).
 */
export function leadSearchDocument(alias?: string): string {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  const email = column('email');
  return (
    `to_tsvector('simple', coalesce(${column('name')}, '') || ' ' || coalesce(${column('company')}, '') || ' ' || ` +
    `coalesce(${email}, '') || ' ' || coalesce(translate(${email}, '@.', '  '), ''))`
  );
}

/**
 * A prospective customer: one model for the lead shapes of seeds 000 and 001. The phone is kept as given
 * and in E.164, which is what duplicates and incoming calls are matched on.
 */
export const LeadSchema = defineEntity({
  name: 'Lead',
  tableName: 'leads',
  indexes: [
    { properties: ['organizationId', 'createdAt'] },
    { properties: ['organizationId', 'status'] },
    { properties: ['organizationId', 'assignedUserId'] },
    { properties: ['organizationId', 'phoneE164'] },
    { properties: ['organizationId', 'emailNormalized'] },
    { name: 'leads_search_index', expression: `create index "leads_search_index" on "leads"."leads" using gin (${leadSearchDocument()})` },
  ],
  // A lead synced from or received from a CRM is matched by its id there, once per connection.
  uniques: [{ properties: ['organizationId', 'crmConnectionId', 'crmExternalId'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    name: p.string().length(200),
    company: p.string().length(200).nullable(),
    email: p.string().length(254).nullable(),
    /** Lower-case e-mail, for duplicate checks. */
    emailNormalized: p.string().length(254).nullable(),
    phone: p.string().length(40).nullable(),
    phoneE164: p.string().length(20).nullable(),
    source: p.enum(() => LeadSource).default(LeadSource.OTHER),
    status: p.enum(() => LeadStatus).default(LeadStatus.NEW),
    /** Identity subgraph user ids (no foreign key: another subgraph owns users). */
    assignedUserId: p.integer().nullable(),
    createdByUserId: p.integer().nullable(),
    ad: () => p.manyToOne(Ad).nullable().deleteRule('set null').index(),
    campaign: () => p.manyToOne(Campaign).nullable().deleteRule('set null').index(),
    /** The lead's account id on the platform it wrote from (a Telegram or WhatsApp user id). */
    platformUserId: p.string().length(200).nullable(),
    budget: p.decimal('number').precision(14).scale(2).nullable(),
    notes: p.text().nullable(),
    qualityScore: p.integer().nullable(),
    scoreCategory: p.enum(() => ScoreCategory).nullable(),
    /** The CRM connection this lead is linked with, and its id there (a lead synced or received by webhook). */
    crmConnectionId: p.uuid().nullable(),
    crmExternalId: p.string().length(100).nullable(),
    /** `updatedAt` as of its last exchange with the CRM: a later change is pushed on the next sync. */
    crmSyncedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Lead extends LeadSchema.class {}
LeadSchema.setClass(Lead);
