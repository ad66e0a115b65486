import type { GraphQLSchema } from 'graphql';
import type { TrustedDocument } from '@salesgraph/platform';
import { parseAndValidate } from '../subscriptions/validation.js';
import { SHA256_HEX, sha256Hex } from './store.js';

/** At most this many documents per manifest (a front end with more is better split into clients). */
export const MAX_MANIFEST_DOCUMENTS = 5_000;
/** The identity subgraph stores at most this many characters per document. */
const MAX_DOCUMENT_LENGTH = 100_000;

/** What is wrong with one entry of a manifest, named by its key as sent. */
export interface ManifestProblem {
  id: string;
  problem: string;
}

export type ManifestReading = { documents: TrustedDocument[] } | { error: string } | { problems: ManifestProblem[] };

/**
 * Reads graphql-codegen client preset's `persisted-documents.json`: `{ "<id>": "<document>" }`, the id being
 * `sha256:<hex>` (the preset's output with `hashAlgorithm: 'sha256'`) or the hex digest alone. Every entry
 * must be the SHA-256 of its document and an operation the API schema accepts under the gateway's limits;
 * one that is not refuses the whole manifest, each problem named.
 */
export function readManifest(body: unknown, schema: GraphQLSchema): ManifestReading {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { error: 'The manifest must be a JSON object of document ids and documents (persisted-documents.json)' };
  const entries = Object.entries(body as Record<string, unknown>);
  if (!entries.length) return { error: 'The manifest holds no document' };
  if (entries.length > MAX_MANIFEST_DOCUMENTS)
    return { error: `A manifest holds at most ${MAX_MANIFEST_DOCUMENTS} documents, this one ${entries.length}` };

  const problems: ManifestProblem[] = [];
  const documents = new Map<string, string>();
  for (const [id, document] of entries) {
    const hash = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
    if (!SHA256_HEX.test(hash)) {
      problems.push({
        id,
        problem:
          'is not a SHA-256 document id (sha256:<64 lower-case hex digits>): generate it with persistedDocuments.hashAlgorithm "sha256"',
      });
      continue;
    }
    if (typeof document !== 'string' || !document.trim()) {
      problems.push({ id, problem: 'its document must be a non-empty string' });
      continue;
    }
    if (document.length > MAX_DOCUMENT_LENGTH) {
      problems.push({ id, problem: `its document is longer than ${MAX_DOCUMENT_LENGTH.toLocaleString('en-US')} characters` });
      continue;
    }
    const actual = sha256Hex(document);
    if (actual !== hash) {
      problems.push({ id, problem: `is not the SHA-256 of its document (that is sha256:${actual})` });
      continue;
    }
    const checked = parseAndValidate(schema, document);
    if ('errors' in checked) {
      problems.push({ id, problem: `is not a valid operation: ${checked.errors.map((e) => e.message).join('; ')}` });
      continue;
    }
    documents.set(hash, document);
  }
  if (problems.length) return { problems };
  return { documents: [...documents].map(([hash, body]) => ({ hash, body })) };
}
