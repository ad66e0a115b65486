import { SignJWT, jwtVerify } from 'jose';
import { Role, isRole, ALL_ROLES, ORGANIZATION_WIDE } from './roles.js';
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
const AUDIENCE = 'salesgraph-subgraph';
const ISSUER = 'salesgraph-gateway';

/**
 * Signs and verifies the identity the gateway forwards to subgraphs. A subgraph trusts nothing else:
 * a request without a valid signature is refused, so subgraphs can't be called around the gateway.
 */
export class IdentitySigner {
  private readonly key: Uint8Array;
  constructor(secret: string) {
    if (secret.length < 32) throw new Error('GATEWAY_SECRET must be at least 32 characters');
    this.key = new TextEncoder().encode(secret);
  }

  sign(identity: Identity): Promise<string> {
    return new SignJWT({ ...identity })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(this.key);
  }

  async verify(token: string | undefined): Promise<Identity> {
    if (!token) throw unauthenticated('Subgraphs accept requests only through the gateway');
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      return toIdentity(payload);
    } catch {
      throw unauthenticated('Invalid gateway identity');
    }
  }
}

function toIdentity(p: Record<string, unknown>): Identity {
  const kind = p.kind === 'user' || p.kind === 'apiKey' ? p.kind : 'anonymous';
  if (kind === 'anonymous') return { kind, ip: str(p.ip) };
  if (typeof p.userId !== 'number' || typeof p.organizationId !== 'string' || !isRole(p.role)) {
    throw new Error('incomplete identity');
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
  if (identity.kind === 'anonymous' || identity.userId === undefined) throw unauthenticated();
  if (!roles.includes(identity.role!)) throw forbidden(`This requires one of the roles: ${roles.join(', ')}`);
  return identity as SignedIn;
}

/** Whether the caller sees the whole organization's rows, or only those it owns. */
export function seesWholeOrganization(identity: SignedIn): boolean {
  return ORGANIZATION_WIDE.includes(identity.role);
}
