import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EntityChangeNotice } from './entity-changes.js';
import type { Identity } from './identity.js';
import type { Role } from './roles.js';
import type { Settings } from './settings.js';
import type { SubgraphClient } from './subgraph-client.js';

/**
 * What a subgraph adds to the gateway beyond its schema. Each part runs in the gateway's process and
 * reaches its subgraph only through `client` (in-process or over HTTP alike), so the gateway mounts the
 * parts without knowing which subgraph declared them.
 */
export interface GatewayContributions {
  /** HTTP routes outside GraphQL, on the gateway's port: webhooks of telephony, messengers, CRMs. */
  routes?: HttpRoute[];
  /** Answers who a credential stands for; exactly one subgraph (the one that owns users) declares it. */
  credentials?: (client: SubgraphClient) => CredentialAuthority;
  /** Told of every realtime (graphql-ws) connection the gateway holds, e.g. to count users online. */
  realtime?(client: SubgraphClient): RealtimeHooks;
  /**
   * Services of its own that `/health` reports beside the subgraphs (`{tts: "running", stt: "unavailable"}`),
   * from real checks; a check that throws adds nothing (the subgraph's own entry says it is unavailable).
   */
  health?(client: SubgraphClient): Promise<Record<string, string>>;
  /**
   * Example operations the playground opens with, one tab each, in the registry's order (identity's sign-in
   * comes first). Each must run as the first admin against a fresh database; a test runs them all.
   */
  playground?(settings: Settings): PlaygroundExample[];
  /**
   * Keeps the trusted documents (persisted operations) client deployments register, in the database, so
   * every gateway replica sees them; at most one subgraph declares it.
   */
  documents?: (client: SubgraphClient) => DocumentRegistry;
  /**
   * Entities the gateway may keep between requests from this subgraph's `_entities` answers (for each type, the
   * fields it may keep), and the feed of changes that drops them; see `announceEntityChanges`.
   */
  entityCache?: EntityCacheContribution;
}

/** The entities a gateway may cache from one subgraph, and how it learns they changed. */
export interface EntityCacheContribution {
  /** Per GraphQL type, the fields whose every change the feed announces (an answer selecting others is not kept). */
  fields: Readonly<Record<string, readonly string[]>>;
  /** The subgraph's change notices, led by `{ready: true}` once it listens. */
  changes: (client: SubgraphClient) => AsyncIterable<EntityChangeNotice>;
}

/** One playground tab: a named operation (GraphiQL titles the tab with its name), led by a comment saying what it shows. */
export interface PlaygroundExample {
  query: string;
  variables?: Record<string, unknown>;
}

/**
 * A framework-free route: the gateway parses nothing but the raw body, the handler answers with JSON, with
 * text of a content type it names (a page, a script), or with bytes (a file download).
 */
export interface HttpRoute {
  method: 'get' | 'post';
  /** Express-style, e.g. `/webhooks/telephony/:integrationId`. */
  path: string;
  /** Largest body accepted, in bytes. @default 262144 */
  maxBodyBytes?: number;
  /**
   * The budget a request counts against before any work (e.g. one per integration, whatever address it
   * posts from): each key gets the gateway's webhook allowance per minute. Without it, no limit applies.
   */
  limitKey?(request: HttpRouteRequest): string;
  /** The 429 detail once a key's budget is spent. */
  limitMessage?(perMinute: number): string;
  /**
   * The gateway admits the request as it does its GraphQL and REST doors (credential, rate limit; a refusal is
   * `{detail}` with its status) and hands the caller's identity to `handle`; a JSON body is then parsed as
   * JSON too. Without it the route is open (a webhook checks its own proof) and `identity` is anonymous.
   */
  authenticated?: boolean;
  /**
   * With `authenticated`: the roles that may call it; any other caller gets 403 before the route looks at the
   * request (a guest's write is refused as such, whatever it sends). Left out, every signed-in role may.
   */
  roles?: readonly Role[];
  /** How the route appears in the gateway's OpenAPI document; left out, it is not listed (a messenger's webhook). */
  docs?: HttpRouteDocs;
  /** Answers the request; a thrown error is a 503 (the subgraph could not be reached). */
  handle(request: HttpRouteRequest, client: SubgraphClient): Promise<HttpRouteResponse>;
}

/** A declared route in the OpenAPI document: what it does, and what it takes and answers, as OpenAPI objects. */
export interface HttpRouteDocs {
  /** Groups it with others, e.g. `OpenAI-compatible API`. */
  tag: string;
  summary: string;
  description?: string;
  /** OpenAPI parameter objects (query parameters). */
  parameters?: Record<string, unknown>[];
  /** The JSON Schema of a JSON request body. */
  body?: Record<string, unknown>;
  /** Status → description, and the media type of a success that is not JSON (e.g. `text/event-stream`). */
  responses: Record<number, string | { description: string; contentType: string }>;
}

export interface HttpRouteRequest {
  params: Record<string, string>;
  /** The URL's query parameters (the first value of each), e.g. a secret a sender that signs nothing carries. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The raw body as text ('' when none): signatures are computed over exactly these bytes. */
  body: string;
  /** The client's address, as the gateway's per-IP limits see it (its `trust proxy` rule). */
  ip: string;
  /** Who is calling: the admitted caller of an `authenticated` route, else anonymous. */
  identity: Identity;
  /**
   * Aborted when the client goes away before the answer is complete, or when the gateway ends a stream early
   * because it is stopping (a streamed answer stops then).
   */
  signal: AbortSignal;
}

/** Why the gateway ends a stream before it finished (it is stopping), for the stream's last frames. */
export interface StreamInterruption {
  /** As an HTTP status (503). */
  status: number;
  /** `extensions.code` (`SERVICE_UNAVAILABLE`). */
  code: string;
  /** E.g. `The server is restarting, retry the request`. */
  message: string;
  /** Seconds to wait before retrying. */
  retryAfter?: number;
}

export interface HttpRouteResponse {
  status: number;
  /**
   * A `Buffer` is sent as it is, with `Content-Length` and `contentType` (default `application/octet-stream`):
   * a file, whose route sets `Content-Disposition` in `headers` (see `attachmentDisposition`). Anything else
   * is sent as JSON, unless `contentType` is given: then it is text sent as it is.
   */
  body: unknown;
  /** E.g. `text/html; charset=utf-8`: the body is that text; or the type of a `Buffer` body. */
  contentType?: string;
  /**
   * Headers over the gateway's own. A `Content-Security-Policy` with `frame-ancestors` replaces the gateway's
   * `X-Frame-Options: DENY` (browsers obey the policy instead), for a page meant to be framed by other sites.
   */
  headers?: Record<string, string>;
  /**
   * Server-Sent Events: with it, `body` is ignored and each string (a whole frame, `data: …\n\n`) is written as
   * it comes, then the response ends. The gateway stops reading it when the client goes away.
   */
  events?: AsyncIterable<string>;
  /**
   * With `events`: the frames a stream ends with when the gateway ends it before it finished (a stream still open
   * when a stopping gateway's drain bound passes), in the stream's own error shape, so its clients read the reason
   * and retry. By default one `data:` event holding `{detail, error}`, the shape of the declared routes' errors.
   */
  interrupted?: (reason: StreamInterruption) => string;
}

/** Who a credential stands for now. Any thrown error means "could not be asked", never "invalid". */
export interface CredentialAuthority {
  /** The identity of a live session of `userId`, or null when the session or the user no longer stands. */
  sessionIdentity(sessionId: string, userId: number): Promise<Identity | null>;
  /** The identity of an API key, or null when it is unknown, expired or revoked. */
  apiKeyIdentity(secret: string): Promise<Identity | null>;
  /**
   * Credentials revoked from now on. The first notice is `ready` once the feed listens; the stream ends or
   * throws when the feed breaks (the gateway reconnects).
   */
  revocations(): AsyncIterable<RevocationNotice>;
}

export type RevocationNotice = { ready: true } | { ready: false; userId?: number; sessionId?: string; apiKeyId?: string };

/** Hooks of the gateway's realtime connections. */
export interface RealtimeHooks {
  /** A signed-in caller opened a connection; returns a handle for `disconnected`, or undefined to not track it. */
  connected(identity: Identity): Promise<string | undefined>;
  disconnected(handle: string): Promise<void>;
  stop(): void;
}

/** A GraphQL document by its SHA-256: `hash` is the lower-case hex digest of `body` (UTF-8). */
export interface TrustedDocument {
  hash: string;
  body: string;
}

/** What identifies a manifest's content: the SHA-256 (hex) of its distinct hashes, sorted, one a line. */
export function manifestDigest(hashes: Iterable<string>): string {
  return createHash('sha256')
    .update([...new Set(hashes)].sort().join('\n'))
    .digest('hex');
}

/** One version of one client, as registered. */
export interface DocumentManifestSummary {
  clientName: string;
  clientVersion: string;
  /** `manifestDigest` of its hashes: equal manifests have equal digests. */
  digest: string;
  documentCount: number;
  /** ISO 8601. */
  registeredAt: string;
}

/**
 * A registration's outcome: a new version (`created`), the same documents again (`unchanged`), or other
 * documents than the ones registered under that version (`conflict`, nothing stored); `manifest` is the
 * version as stored.
 */
export interface ManifestRegistration {
  outcome: 'created' | 'unchanged' | 'conflict';
  manifest: DocumentManifestSummary;
}

/**
 * The trusted documents each client version registered. Registrations are immutable: a version holds the
 * documents it was registered with, and a document, once registered, keeps its hash and text.
 */
export interface DocumentRegistry {
  /** Registers `documents` (hashes already checked) as `clientVersion` of `clientName`: all of them or none. */
  register(clientName: string, clientVersion: string, documents: readonly TrustedDocument[]): Promise<ManifestRegistration>;
  /** The text of a document some client registered, or null when none has this hash. */
  document(hash: string): Promise<string | null>;
  /** The hashes every version of `clientName` registered. */
  hashesOf(clientName: string): Promise<string[]>;
  /** Registered versions, of one client or of all, by client name, newest version first. */
  manifests(clientName?: string): Promise<DocumentManifestSummary[]>;
  /** A version's documents, or null when it is not registered. */
  manifest(clientName: string, clientVersion: string): Promise<TrustedDocument[] | null>;
}
