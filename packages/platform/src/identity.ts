import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Role, isRole, ALL_ROLES, ORGANIZATION_WIDE } from './roles.js';
import { forbidden, unauthenticated } from './errors.js';

/** Who is calling, as the gateway established it once per request. */
export interface Identity {
  /** `user`: a signed-in person; `apiKey`: a service or legacy client; `anonymous`: nobody. */
  kind: 'user' | 'apiKey' | 'anonymous';
  userId?: number;
  organizationId?: string;
  role?: Role;
  /** The login session of a `user` identity (refresh-token family). */
  sessionId?: string;
  apiKeyId?: string;
  /** The client's address, for per-IP limits in subgraphs. */
  ip?: string;
}

export const ANONYMOUS: Identity = { kind: 'anonymous' };

/** The header that carries the gateway-signed identity to subgraphs. */
export const IDENTITY_HEADER = 'x-gateway-identity';
const VERSION = 'sgi1';
/** Long enough for a slow queue in front of a subgraph, short enough that a leaked token is soon useless. */
const LIFETIME_MS = 30_000;

/** The part of a GraphQL request a signed identity is bound to. */
export interface BoundRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/**
 * A digest of one operation and its variables. Both ends compute it from what travels (JSON round-trips
 * keep key order, so the subgraph's re-serialisation of the parsed variables matches the gateway's).
 */
export function requestDigest({ query, variables, operationName }: BoundRequest): string {
  return createHash('sha256')
    .update(`${operationName ?? ''}\n${query}\n${JSON.stringify(variables ?? {})}`)
    .digest('base64url');
}

interface Claims {
  /** The identity. */
  i: Identity;
  /** Audience: the one subgraph that may accept it. */
  aud: string;
  /** The digest of the one request it was signed for. */
  req: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
  /** Unique id, so a subgraph accepts it once. */
  jti: string;
}

/**
 * Signs and verifies the identity the gateway forwards to subgraphs. A subgraph trusts nothing else: a
 * request without a valid signature is refused, so subgraphs can't be called around the gateway. Each
 * token is good for one request (operation and variables) to one subgraph, once, for 30 seconds, so a
 * token seen on the wire can't be replayed for anything else. HMAC-SHA256 over a compact payload:
 * it is computed per subgraph fetch, so it stays cheap (no JOSE machinery, no async WebCrypto).
 */
export class IdentitySigner {
  private readonly key: Buffer;
  /** Token ids already accepted by this process, with their expiry (insertion order ≈ expiry order). */
  private readonly seen = new Map<string, number>();

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('GATEWAY_SECRET must be at least 32 characters');
    this.key = Buffer.from(secret, 'utf8');
  }

  /** A token carrying `identity` for `request` to the subgraph named `audience`. */
  sign(identity: Identity, audience: string, request: BoundRequest): string {
    const claims: Claims = {
      i: identity,
      aud: audience,
      req: requestDigest(request),
      exp: Date.now() + LIFETIME_MS,
      jti: randomBytes(12).toString('base64url'),
    };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${VERSION}.${payload}.${this.mac(payload)}`;
  }

  /**
   * The identity in a token, if it was signed for `audience` and has not expired or been used before.
   * `request` is checked against the token's binding when given; without it (a WebSocket's
   * `connection_init`, before its one subscription arrives) the caller checks it with `digest`.
   */
  verify(token: string | undefined, audience: string, request?: BoundRequest): { identity: Identity; digest: string } {
    if (!token) throw unauthenticated('Subgraphs accept requests only through the gateway');
    const [version, payload, mac] = token.split('.');
    if (version !== VERSION || !payload || !mac || !this.macMatches(payload, mac)) throw unauthenticated('Invalid gateway identity');
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
    } catch {
      throw unauthenticated('Invalid gateway identity');
    }
    const now = Date.now();
    if (claims.aud !== audience) throw unauthenticated('Gateway identity was signed for another subgraph');
    if (typeof claims.exp !== 'number' || claims.exp <= now) throw unauthenticated('Gateway identity expired');
    if (request && requestDigest(request) !== claims.req) throw unauthenticated('Gateway identity was signed for another request');
    this.consume(String(claims.jti), claims.exp, now);
    return { identity: toIdentity(claims.i), digest: String(claims.req) };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  private macMatches(payload: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private consume(jti: string, exp: number, now: number): void {
    for (const [id, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(id);
    }
    if (this.seen.has(jti)) throw unauthenticated('Gateway identity was already used');
    this.seen.set(jti, exp);
  }
}

function toIdentity(value: unknown): Identity {
  const p = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const kind = p.kind === 'user' || p.kind === 'apiKey' ? p.kind : 'anonymous';
  if (kind === 'anonymous') return { kind, ip: str(p.ip) };
  if (typeof p.userId !== 'number' || typeof p.organizationId !== 'string' || !isRole(p.role)) {
    throw unauthenticated('Incomplete gateway identity');
  }
  return {
    kind,
    userId: p.userId,
    organizationId: p.organizationId,
    role: p.role,
    sessionId: str(p.sessionId),
    apiKeyId: str(p.apiKeyId),
    ip: str(p.ip),
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** An identity that is known to be signed in. */
export type SignedIn = Required<Pick<Identity, 'userId' | 'organizationId' | 'role'>> & Identity;

/** Throws UNAUTHENTICATED unless signed in, FORBIDDEN unless one of `roles`. */
export function requireRole(identity: Identity, roles: readonly Role[] = ALL_ROLES): SignedIn {
  // A signed-in identity always carries its user, organization and role (see `toIdentity`); asking for the
  // organization rather than the user keeps this check from counting as a read of who the caller is.
  if (identity.kind === 'anonymous' || identity.organizationId === undefined) throw unauthenticated();
  if (!roles.includes(identity.role!)) throw forbidden(`This requires one of the roles: ${roles.join(', ')}`);
  return identity as SignedIn;
}

/** Whether the caller sees the whole organization's rows, or only those it owns. */
export function seesWholeOrganization(identity: SignedIn): boolean {
  return ORGANIZATION_WIDE.includes(identity.role);
}

/** What tells one caller from another of the same organization and role. */
const PERSONAL: readonly (keyof Identity)[] = ['userId', 'sessionId', 'apiKeyId', 'ip'];

/**
 * Whether a request's resolvers read who exactly the caller is (user, session, API key, address), as opposed to
 * only their organization and role: an answer that did not can be shared by every caller of that organization and
 * role (the gateway's in-flight deduplication relies on it).
 */
export class CallerReads {
  personal = false;

  /** `identity` as resolvers see it: the same values, each personal one noting that it was read. */
  track(identity: Identity): Identity {
    const tracked: Identity = { kind: identity.kind, organizationId: identity.organizationId, role: identity.role };
    for (const key of PERSONAL) {
      Object.defineProperty(tracked, key, {
        enumerable: identity[key] !== undefined,
        get: () => {
          this.personal = true;
          return identity[key];
        },
      });
    }
    return tracked;
  }
}

/** The response extension a subgraph sets when its answer depended on who exactly the caller is. */
export const PERSONAL_EXTENSION = 'callerSpecific';
