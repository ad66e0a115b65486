import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { LeadImportStatus, type LeadImportRow } from '../types/lead-import.type.js';

/**
 * One CSV import of leads, kept as a job: its totals move as batches of rows commit, and the report keeps
 * every row that did not simply create a lead (updated or skipped, with why).
 */
export const LeadImportSchema = defineEntity({
  name: 'LeadImport',
  tableName: 'lead_imports',
  indexes: [{ properties: ['organizationId', 'createdAt'] }, { properties: ['status', 'updatedAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    /** Identity subgraph user id (no foreign key: another subgraph owns users). */
    startedByUserId: p.integer(),
    fileName: p.string().length(255),
    merge: p.boolean(),
    status: p.enum(() => LeadImportStatus),
    /** Rows of the file (the header excluded). */
    total: p.integer(),
    processed: p.integer().default(0),
    created: p.integer().default(0),
    updated: p.integer().default(0),
    skipped: p.integer().default(0),
    rows: p.json<LeadImportRow[]>(),
    /** Why the import failed, when it did. */
    error: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** Moves with every committed batch: an import running without it moving for long was interrupted. */
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    finishedAt: p.datetime().nullable(),
  },
});
export class LeadImport extends LeadImportSchema.class {}
LeadImportSchema.setClass(LeadImport);
