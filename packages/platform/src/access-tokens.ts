import { SignJWT, jwtVerify, errors } from 'jose';
import { isRole, type Role } from './roles.js';
import { unauthenticated } from './errors.js';

/** Claims of the short-lived access JWT that clients send as `Authorization: Bearer …`. */
export interface AccessClaims {
  userId: number;
  organizationId: string;
  role: Role;
  sessionId: string;
}

/** How many verified tokens the gateway remembers (the oldest go first). */
const VERIFIED_TOKENS = 10_000;

type VerifiedClaims = AccessClaims & { expiresAt: number };

/** Issues (identity subgraph) and verifies (gateway) access tokens; both sides share `JWT_SECRET`. */
export class AccessTokens {
  private readonly key: Uint8Array;
  /**
   * Tokens whose signature was checked, with their claims: a client sends the same token with every request
   * until it expires, and checking it again would give the same answer. Expiry is checked on every use; whether
   * the session still stands is the caller's separate check.
   */
  private readonly verified = new Map<string, VerifiedClaims>();
  constructor(
    secret: string,
    readonly ttlSeconds = 900,
  ) {
    if (secret.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
    this.key = new TextEncoder().encode(secret);
  }

  issue(claims: AccessClaims): Promise<string> {
    return new SignJWT({ org: claims.organizationId, role: claims.role, sid: claims.sessionId, typ: 'access' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(claims.userId))
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  async verify(token: string): Promise<VerifiedClaims> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > Date.now()) return known;
      this.verified.delete(token);
      throw unauthenticated('Access token expired');
    }
    const claims = await this.check(token);
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }

  private async check(token: string): Promise<VerifiedClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      const userId = Number(payload.sub);
      if (
        payload.typ !== 'access' ||
        !Number.isInteger(userId) ||
        typeof payload.org !== 'string' ||
        !isRole(payload.role) ||
        typeof payload.sid !== 'string'
      ) {
        throw unauthenticated('Not an access token');
      }
      return Object.freeze({
        userId,
        organizationId: payload.org,
        role: payload.role,
        sessionId: payload.sid,
        expiresAt: payload.exp! * 1000,
      });
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthenticated('Access token expired');
      throw unauthenticated('Invalid access token');
    }
  }
}
