import { createHash } from 'node:crypto';
import type { DocumentManifestSummary, DocumentRegistry, ManifestRegistration, TrustedDocument } from '@salesgraph/platform';

/** A lower-case hex SHA-256 digest: what trusted documents are keyed by. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface ClientHashes {
  hashes: Promise<ReadonlySet<string>>;
  fetchedAt: number;
  /** The last list fetched, served while a refresh fails (the registry's subgraph is unreachable). */
  last?: ReadonlySet<string>;
}

/**
 * The registry's trusted documents as this gateway reads them. A document's text is cached for good once
 * read: it is addressed by its SHA-256, so it cannot change. Which hashes a client registered is cached for
 * `clientTtlMs`, so a version registered through another replica is seen here within that time (at once
 * when registered through this one).
 */
export class TrustedDocumentStore {
  private readonly texts = new Map<string, string>();
  private readonly clients = new Map<string, ClientHashes>();

  constructor(
    private readonly registry: DocumentRegistry,
    private readonly clientTtlMs = 10_000,
  ) {}

  /** The text of a registered document, or undefined when no client registered `hash`. */
  async text(hash: string): Promise<string | undefined> {
    const known = this.texts.get(hash);
    if (known !== undefined) return known;
    // Misses are not cached: a document registered a moment later must be found at once.
    const text = await this.registry.document(hash);
    if (text === null) return undefined;
    this.texts.set(hash, text);
    return text;
  }

  /** Whether some version of `clientName` registered `hash`. */
  async registeredFor(clientName: string, hash: string): Promise<boolean> {
    return (await this.hashesOf(clientName)).has(hash);
  }

  async register(clientName: string, clientVersion: string, documents: readonly TrustedDocument[]): Promise<ManifestRegistration> {
    const registration = await this.registry.register(clientName, clientVersion, documents);
    if (registration.outcome === 'created') {
      this.clients.delete(clientName);
      for (const { hash, body } of documents) this.texts.set(hash, body);
    }
    return registration;
  }

  manifests(clientName?: string): Promise<DocumentManifestSummary[]> {
    return this.registry.manifests(clientName);
  }

  manifest(clientName: string, clientVersion: string): Promise<TrustedDocument[] | null> {
    return this.registry.manifest(clientName, clientVersion);
  }

  private async hashesOf(clientName: string, now = Date.now()): Promise<ReadonlySet<string>> {
    const cached = this.clients.get(clientName);
    if (cached && now - cached.fetchedAt < this.clientTtlMs) return cached.hashes;
    // One fetch at a time per client, however many requests wait for it.
    const entry: ClientHashes = { fetchedAt: now, last: cached?.last, hashes: Promise.resolve(new Set()) };
    entry.hashes = this.registry.hashesOf(clientName).then(
      (hashes) => (entry.last = new Set(hashes)),
      (error: unknown) => {
        // Retried by the next request; meanwhile the last list known stands, if there is one.
        if (this.clients.get(clientName) === entry) this.clients.set(clientName, { ...entry, fetchedAt: 0 });
        if (entry.last) return entry.last;
        throw error;
      },
    );
    this.clients.set(clientName, entry);
    return entry.hashes;
  }
}
