import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { badInput, manifestDigest, sqlOf } from '@salesgraph/platform';
import { DocumentManifest, PersistedDocument } from '../entities/index.js';

export interface ManifestOutcome {
  created: boolean;
  matches: boolean;
  manifest: DocumentManifest;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Rows per statement, well under PostgreSQL's bound on parameters and a comfortable JSON parameter size. */
const CHUNK = 500;

/**
 * Stores `clientVersion` of `clientName` with `documents`, all or none, in one transaction. A version is
 * immutable: registering it again answers what is stored, `matches` telling whether the documents are the
 * same. Documents are content-addressed, so one shared by many versions is stored once.
 */
export async function registerManifest(
  em: EntityManager,
  clientName: string,
  clientVersion: string,
  documents: readonly { hash: string; body: string }[],
): Promise<ManifestOutcome> {
  const byHash = new Map<string, string>();
  for (const { hash, body } of documents) {
    // The gateway checked this already; a row whose hash lies would poison every replica's cache.
    if (sha256(body) !== hash) throw badInput(`Document ${hash} is not the SHA-256 of its body`);
    byHash.set(hash, body);
  }
  if (!byHash.size) throw badInput('A manifest holds at least one document');
  const digest = manifestDigest(byHash.keys());
  const stored = () => em.fork().findOne(DocumentManifest, { clientName, clientVersion });

  const existing = await stored();
  if (existing) return { created: false, matches: existing.digest === digest, manifest: existing };
  try {
    const manifest = await em.transactional(async (tx) => {
      const rows = [...byHash].map(([hash, body]) => ({ hash, body }));
      for (let i = 0; i < rows.length; i += CHUNK) {
        await sqlOf(tx).execute(
          `insert into identity.persisted_documents (hash, body, registered_at)
           select hash, body, now() from json_to_recordset(?::json) as d(hash text, body text)
           on conflict (hash) do nothing`,
          [JSON.stringify(rows.slice(i, i + CHUNK))],
        );
      }
      const created = tx.create(DocumentManifest, { clientName, clientVersion, digest, documentCount: rows.length });
      await tx.flush();
      const hashes = rows.map((r) => r.hash);
      for (let i = 0; i < hashes.length; i += CHUNK) {
        await sqlOf(tx).execute(
          `insert into identity.manifest_documents (manifest_id, document_hash)
           select ?, value from json_array_elements_text(?::json)`,
          [created.id, JSON.stringify(hashes.slice(i, i + CHUNK))],
        );
      }
      return created;
    });
    return { created: true, matches: true, manifest };
  } catch (error) {
    // Registered at the same moment by another request (two CI jobs, two replicas): answer as a repeat.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const winner = await stored();
    if (!winner) throw error;
    return { created: false, matches: winner.digest === digest, manifest: winner };
  }
}

/** The body of a document registered by some client version, or null. */
export async function documentBody(em: EntityManager, hash: string): Promise<string | null> {
  const document = await em.findOne(PersistedDocument, { hash });
  return document?.body ?? null;
}

/** The hashes every version of `clientName` registered. */
export async function hashesOf(em: EntityManager, clientName: string): Promise<string[]> {
  const rows = await sqlOf(em).execute<{ hash: string }[]>(
    `select distinct md.document_hash as hash
     from identity.manifest_documents md join identity.document_manifests m on m.id = md.manifest_id
     where m.client_name = ?`,
    [clientName],
  );
  return rows.map((r) => r.hash);
}

/** Registered versions (of one client, or all), by client name, newest first. */
export function listManifests(em: EntityManager, clientName?: string): Promise<DocumentManifest[]> {
  return em.find(DocumentManifest, clientName ? { clientName } : {}, { orderBy: { clientName: 'asc', registeredAt: 'desc', id: 'desc' } });
}

/** A version's documents, by hash; null when the version is not registered. */
export async function manifestDocuments(
  em: EntityManager,
  clientName: string,
  clientVersion: string,
): Promise<{ hash: string; body: string }[] | null> {
  const manifest = await em.findOne(DocumentManifest, { clientName, clientVersion });
  if (!manifest) return null;
  return sqlOf(em).execute<{ hash: string; body: string }[]>(
    `select d.hash, d.body from identity.manifest_documents md join identity.persisted_documents d on d.hash = md.document_hash
     where md.manifest_id = ? order by d.hash`,
    [manifest.id],
  );
}
