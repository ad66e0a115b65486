import {
  ANONYMOUS,
  executeOperation,
  type DocumentManifestSummary,
  type DocumentRegistry,
  type SubgraphClient,
} from '@salesgraph/platform';
import {
  DocumentManifestDocument,
  DocumentManifestsDocument,
  RegisterDocumentManifestDocument,
  TrustedDocumentDocument,
  TrustedDocumentHashesDocument,
  type DocumentManifestFieldsFragment,
} from '../generated/identity.js';

/** The gateway's trusted documents, kept in this subgraph's tables (asked anonymously: internal fields). */
export function documentRegistry(identity: SubgraphClient): DocumentRegistry {
  return {
    async register(clientName, clientVersion, documents) {
      const { registerDocumentManifest: registered } = await executeOperation(
        identity,
        RegisterDocumentManifestDocument,
        { clientName, clientVersion, documents: documents.map(({ hash, body }) => ({ hash, body })) },
        ANONYMOUS,
      );
      const outcome = registered.created ? 'created' : registered.matches ? 'unchanged' : 'conflict';
      return { outcome, manifest: summaryOf(registered.manifest) };
    },

    async document(hash) {
      return (await executeOperation(identity, TrustedDocumentDocument, { hash }, ANONYMOUS)).trustedDocument ?? null;
    },

    async hashesOf(clientName) {
      return (await executeOperation(identity, TrustedDocumentHashesDocument, { clientName }, ANONYMOUS)).trustedDocumentHashes;
    },

    async manifests(clientName) {
      const { documentManifests } = await executeOperation(identity, DocumentManifestsDocument, { clientName }, ANONYMOUS);
      return documentManifests.map(summaryOf);
    },

    async manifest(clientName, clientVersion) {
      return (
        (await executeOperation(identity, DocumentManifestDocument, { clientName, clientVersion }, ANONYMOUS)).documentManifest ?? null
      );
    },
  };
}

function summaryOf(manifest: DocumentManifestFieldsFragment): DocumentManifestSummary {
  return { ...manifest, registeredAt: new Date(manifest.registeredAt).toISOString() };
}
