import type { EntityManager } from '@mikro-orm/core';
import { type AccessTokens, unauthenticated } from '@salesgraph/platform';
import { AuthSession, RefreshToken, type User } from '../entities/index.js';
import type { Revocations } from './revocations.js';
import { digest, newSecret } from './secrets.js';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'bearer';
  expiresIn: number;
  user: User;
}

/** Logins, refresh-token rotation with reuse detection, and revocation (announced to every gateway). */
export class Sessions {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly revocations: Revocations,
    private readonly refreshTtlMs = 30 * 24 * 3600_000,
  ) {}

  /** Starts a session for a user whose credentials were just checked. */
  async start(em: EntityManager, user: User, ip?: string): Promise<IssuedTokens> {
    const session = em.create(AuthSession, { user, ip: ip ?? null });
    user.lastLoginAt = new Date();
    return this.issue(em, user, session);
  }

  /**
   * Trades a refresh token for a new pair. A token is good once: presenting a used one means it leaked,
   * so the whole session is revoked and its holder must log in again.
   */
  async refresh(em: EntityManager, presented: string): Promise<IssuedTokens> {
    const token = await em.findOne(RefreshToken, { tokenHash: digest(presented) }, { populate: ['session', 'session.user'] });
    if (!token) throw unauthenticated('Invalid refresh token');
    const session = token.session;
    if (session.revokedAt) throw unauthenticated('Session has been revoked');
    // Compare-and-set, so of two concurrent uses exactly one wins and the other counts as reuse.
    const claimed = token.usedAt ? 0 : await em.nativeUpdate(RefreshToken, { id: token.id, usedAt: null }, { usedAt: new Date() });
    if (claimed === 0) {
      await this.revoke(em, session, 'refresh_token_reuse');
      throw unauthenticated('Refresh token was already used; the session has been revoked');
    }
    if (token.expiresAt.getTime() < Date.now()) throw unauthenticated('Refresh token expired');
    const user = session.user;
    if (!user.isActive) {
      await this.revoke(em, session, 'user_deactivated');
      throw unauthenticated('User is deactivated');
    }
    session.lastRefreshedAt = new Date();
    return this.issue(em, user, session);
  }

  async revoke(em: EntityManager, session: AuthSession, reason: string): Promise<void> {
    const revoked = await em.nativeUpdate(
      AuthSession,
      { id: session.id, revokedAt: null },
      { revokedAt: new Date(), revokeReason: reason },
    );
    if (revoked) await this.revocations.announce(em, { sessionId: session.id });
  }

  /** Revokes every open session of a user, but `keep` (the caller's own, when changing a password). */
  async revokeAllOf(em: EntityManager, user: User, reason: string, keep?: string): Promise<number> {
    const revoked = await em.nativeUpdate(
      AuthSession,
      { user, revokedAt: null, ...(keep ? { id: { $ne: keep } } : {}) },
      { revokedAt: new Date(), revokeReason: reason },
    );
    // Announced by user even when no session was open: the user's API keys may have changed standing too.
    await this.revocations.announce(em, { userId: user.id });
    return revoked;
  }

  /** The session a refresh token belongs to (for logout by token); null when unknown. */
  async sessionOfToken(em: EntityManager, presented: string): Promise<AuthSession | null> {
    const token = await em.findOne(RefreshToken, { tokenHash: digest(presented) }, { populate: ['session'] });
    return token?.session ?? null;
  }

  private async issue(em: EntityManager, user: User, session: AuthSession): Promise<IssuedTokens> {
    const refreshToken = newSecret('sgr');
    em.create(RefreshToken, { session, tokenHash: digest(refreshToken), expiresAt: new Date(Date.now() + this.refreshTtlMs) });
    await em.flush();
    const accessToken = await this.accessTokens.issue({
      userId: user.id,
      organizationId: user.organization.id,
      role: user.role,
      sessionId: session.id,
    });
    return { accessToken, refreshToken, tokenType: 'bearer', expiresIn: this.accessTokens.ttlSeconds, user };
  }
}
