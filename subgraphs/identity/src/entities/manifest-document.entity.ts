import { defineEntity, p } from '@mikro-orm/core';
import { DocumentManifest } from './document-manifest.entity.js';
import { PersistedDocument } from './persisted-document.entity.js';

/** A document of a manifest. */
export const ManifestDocumentSchema = defineEntity({
  name: 'ManifestDocument',
  tableName: 'manifest_documents',
  properties: {
    manifest: () => p.manyToOne(DocumentManifest).primary().deleteRule('cascade'),
    document: () => p.manyToOne(PersistedDocument).primary().index(),
  },
});
export class ManifestDocument extends ManifestDocumentSchema.class {}
ManifestDocumentSchema.setClass(ManifestDocument);
