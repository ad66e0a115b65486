import type { IncomingHttpHeaders } from 'node:http';
import { ErrorCode } from '@salesgraph/platform';
import type { RestError } from '../rest/route.js';
import { SHA256_HEX, sha256Hex, type TrustedDocumentStore } from './store.js';

/** Codes of the refusals below (Apollo's where it has one: its APQ clients act on PERSISTED_QUERY_NOT_FOUND). */
export const TrustedDocumentCode = {
  NotFound: 'PERSISTED_QUERY_NOT_FOUND',
  NotAllowed: 'PERSISTED_QUERY_NOT_ALLOWED',
  HashMismatch: 'PERSISTED_QUERY_HASH_MISMATCH',
  BadRequest: 'BAD_REQUEST',
} as const;

/** Who a request says it comes from: `graphql-client-name`/`-version`, or Apollo's `apollographql-client-…`. */
export interface ClientInfo {
  name?: string;
  version?: string;
}

export function clientOf(headers: IncomingHttpHeaders | Record<string, unknown>): ClientInfo {
  const header = (name: string) => {
    const value = headers[name] ?? headers[`apollo${name}`];
    return typeof value === 'string' && value ? value : undefined;
  };
  return { name: header('graphql-client-name'), version: header('graphql-client-version') };
}

/** The parameters of a GraphQL request this gate reads (a POST body, a GET's query string, a subscribe payload). */
export interface OperationParams {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

/**
 * What to do with a request: leave it as it is, run `query` in its place (the text a document id names), or
 * refuse it (`RestError`: status, code, message).
 */
export type GateDecision = { pass: true } | { query: string } | { refused: RestError };

/**
 * Trusted documents at the door: a request carrying a `documentId` (graphql-codegen client preset,
 * GraphQL-over-HTTP's persisted documents) runs the registered document it names; and the clients named in
 * `onlyClients` run nothing else: their full documents, and their APQ hashes, must be among those some
 * version of theirs registered. Other clients may still send any document.
 */
export class TrustedDocumentGate {
  private readonly onlyClients: ReadonlySet<string>;

  constructor(
    private readonly store: TrustedDocumentStore | undefined,
    onlyClients: readonly string[] = [],
  ) {
    this.onlyClients = new Set(onlyClients);
  }

  /** Whether `client` may only run documents registered for it. */
  restricted(client: ClientInfo): client is ClientInfo & { name: string } {
    return client.name !== undefined && this.onlyClients.has(client.name);
  }

  async decide(client: ClientInfo, params: OperationParams, apq: boolean): Promise<GateDecision> {
    const query = typeof params.query === 'string' && params.query !== '' ? params.query : undefined;
    if (params.documentId !== undefined && params.documentId !== null) {
      if (params.query !== undefined && params.query !== null && params.query !== '')
        return refused(400, TrustedDocumentCode.BadRequest, 'Send either documentId or query, not both');
      const hash = hashOfDocumentId(params.documentId);
      if (!hash)
        return refused(
          400,
          TrustedDocumentCode.BadRequest,
          'documentId must be "sha256:" followed by 64 lower-case hex digits (or the digits alone)',
        );
      return this.registered(
        client,
        hash,
        (text) => ({ query: text }),
        () => refused(404, TrustedDocumentCode.NotFound, `${this.whose(client)} no trusted document with the id sha256:${hash}`),
      );
    }

    const persisted = apq ? persistedQueryOf(params.extensions) : undefined;
    if (persisted && 'refused' in persisted) return persisted;
    if (persisted) {
      if (query !== undefined) {
        if (sha256Hex(query) !== persisted.hash)
          return refused(400, TrustedDocumentCode.HashMismatch, 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query');
        return this.restricted(client) ? this.mustBeRegistered(client, persisted.hash) : { pass: true };
      }
      // A hash alone: Apollo's APQ cache holds what any client sent, so a restricted client is answered from
      // its own registered documents instead (on any replica), or told to send the query, which is then checked.
      if (!this.restricted(client)) return { pass: true };
      return this.registered(
        client,
        persisted.hash,
        (text) => ({ query: text }),
        () => ({ refused: apqNotFound() }),
      );
    }

    if (query !== undefined && this.restricted(client)) return this.mustBeRegistered(client, sha256Hex(query));
    return { pass: true };
  }

  private async mustBeRegistered(client: ClientInfo & { name: string }, hash: string): Promise<GateDecision> {
    let allowed = false;
    try {
      allowed = this.store !== undefined && (await this.store.registeredFor(client.name, hash));
    } catch (error) {
      return unavailable(error);
    }
    if (allowed) return { pass: true };
    return refused(
      403,
      TrustedDocumentCode.NotAllowed,
      `Client "${client.name}" may only run its registered documents, and registered none with the id sha256:${hash}`,
    );
  }

  /** `found` with the text when `hash` is registered (for a restricted client: by that client), else `missing`. */
  private async registered(
    client: ClientInfo,
    hash: string,
    found: (text: string) => GateDecision,
    missing: () => GateDecision,
  ): Promise<GateDecision> {
    if (!this.store) return missing();
    let text: string | undefined;
    try {
      const allowed = !this.restricted(client) || (await this.store.registeredFor(client.name, hash));
      text = allowed ? await this.store.text(hash) : undefined;
    } catch (error) {
      return unavailable(error);
    }
    return text === undefined ? missing() : found(text);
  }

  private whose(client: ClientInfo): string {
    return this.restricted(client) ? `Client "${client.name}" registered` : 'There is';
  }
}

/** The digest a `documentId` names: `sha256:<hex>` or the bare hex digest; undefined when it is neither. */
export function hashOfDocumentId(documentId: unknown): string | undefined {
  if (typeof documentId !== 'string') return undefined;
  const hash = documentId.startsWith('sha256:') ? documentId.slice('sha256:'.length) : documentId;
  return SHA256_HEX.test(hash) ? hash : undefined;
}

/** Apollo's APQ extension (`{persistedQuery: {version: 1, sha256Hash}}`), checked; undefined when absent. */
function persistedQueryOf(extensions: unknown): { hash: string } | { refused: RestError } | undefined {
  const persisted = (extensions as { persistedQuery?: unknown } | null | undefined)?.persistedQuery;
  if (persisted === undefined || persisted === null || typeof extensions !== 'object') return undefined;
  const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) return refused(400, 'PERSISTED_QUERY_NOT_SUPPORTED', 'Only version 1 of persisted queries (APQ) is supported');
  if (typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash))
    return refused(400, TrustedDocumentCode.BadRequest, 'extensions.persistedQuery.sha256Hash must be 64 lower-case hex digits');
  return { hash: sha256Hash };
}

/** The registry's subgraph could not be asked: the client may retry, nothing is decided on a guess. */
function unavailable(error: unknown): GateDecision {
  console.error('trusted documents could not be read', (error as Error).message);
  return refused(503, ErrorCode.ServiceUnavailable, 'Trusted documents are unavailable, try again');
}

/** Apollo's own answer to an unknown APQ hash (status 200), so APQ clients retry with the query. */
const apqNotFound = (): RestError => ({ status: 200, code: TrustedDocumentCode.NotFound, message: 'PersistedQueryNotFound' });

const refused = (status: number, code: string, message: string): { refused: RestError } => ({ refused: { status, code, message } });
