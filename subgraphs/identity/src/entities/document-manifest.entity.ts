import { defineEntity, p } from '@mikro-orm/core';

/**
 * One version of one client (a front end's build) and the documents it registered: immutable once stored.
 * Deployment-wide, not an organization's: a deployment's CI registers it, and tenants' data stays behind the
 * documents' own access rules.
 */
export const DocumentManifestSchema = defineEntity({
  name: 'DocumentManifest',
  tableName: 'document_manifests',
  uniques: [{ properties: ['clientName', 'clientVersion'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    clientName: p.string().length(100),
    clientVersion: p.string().length(100),
    /** SHA-256 of the sorted hashes, one a line: a version registered again must bring the same. */
    digest: p.string().length(64),
    documentCount: p.integer(),
    registeredAt: p.datetime().onCreate(() => new Date()),
  },
});
export class DocumentManifest extends DocumentManifestSchema.class {}
DocumentManifestSchema.setClass(DocumentManifest);
