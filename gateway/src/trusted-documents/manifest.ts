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

/** A manifest entry whose id is the SHA-256 of its document; `id` as sent. */
export interface ManifestEntry extends TrustedDocument {
  id: string;
}

/** The manifest's good entries and what is wrong with the others, or why it is no manifest at all. */
export type ManifestReading = { entries: ManifestEntry[]; problems: ManifestProblem[] } | { error: string };

/**
 * Reads graphql-codegen client preset's `persisted-documents.json`: `{ "<id>": "<document>" }`, the id being
 * `sha256:<hex>` (the preset's output with `hashAlgorithm: 'sha256'`) or the hex digest alone, and each id the
 * SHA-256 of its document.
 */
export function readManifest(body: unknown): ManifestReading {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { error: 'The manifest must be a JSON object of document ids and documents (persisted-documents.json)' };
  const sent = Object.entries(body as Record<string, unknown>);
  if (!sent.length) return { error: 'The manifest holds no document' };
  if (sent.length > MAX_MANIFEST_DOCUMENTS)
    return { error: `A manifest holds at most ${MAX_MANIFEST_DOCUMENTS} documents, this one ${sent.length}` };

  const problems: ManifestProblem[] = [];
  const entries = new Map<string, ManifestEntry>();
  for (const [id, document] of sent) {
    const hash = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
    if (!SHA256_HEX.test(hash)) {
      problems.push({
        id,
        problem:
          'is not a SHA-256 document id (sha256:<64 lower-case hex digits>): generate it with persistedDocuments.hashAlgorithm "sha256"',
      });
    } else if (typeof document !== 'string' || !document.trim()) {
      problems.push({ id, problem: 'its document must be a non-empty string' });
    } else if (document.length > MAX_DOCUMENT_LENGTH) {
      problems.push({ id, problem: `its document is longer than ${MAX_DOCUMENT_LENGTH.toLocaleString('en-US')} characters` });
    } else {
      const actual = sha256Hex(document);
      if (actual !== hash) problems.push({ id, problem: `is not the SHA-256 of its document (that is sha256:${actual})` });
      else entries.set(hash, { id, hash, body: document });
    }
  }
  return { entries: [...entries.values()], problems };
}

/**
 * The entries that are no operation the API schema accepts under the gateway's request limits (the
 * rules requests are validated with), each named with graphql-js's reasons.
 */
export function refusedOperations(entries: readonly ManifestEntry[], schema: GraphQLSchema): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const { id, body } of entries) {
    const checked = parseAndValidate(schema, body);
    if ('errors' in checked) problems.push({ id, problem: `is not a valid operation: ${checked.errors.map((e) => e.message).join('; ')}` });
  }
  return problems;
}
