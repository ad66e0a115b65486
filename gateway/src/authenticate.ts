import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  ANONYMOUS,
  type AccessTokens,
  AppError,
  ErrorCode,
  effectiveRole,
  unauthenticated,
  type CredentialAuthority,
  type Identity,
} from '@salesgraph/platform';
import { followFeed } from './feed.js';

const API_KEY_PREFIX = 'sgk_';

/** How long a checked credential is trusted while the revocation feed is live (events do the real work). */
export const FRESH_WHILE_LIVE_MS = 60_000;
/** …and while it is not: re-checked this often, so a revocation still bites within a second. */
export const FRESH_WHILE_DEAF_MS = 1_000;
/** While the credential authority is unreachable, a credential checked within this long still works (bounded staleness). */
export const STALE_AT_MOST_MS = 5 * 60_000;
/** A credential check waits this long for the authority before counting it unreachable. */
const CHECK_TIMEOUT_MS = 2_000;
const CACHE_SIZE = 50_000;

/** A credential the request carried, before it is checked. */
export function credentialOf(headers: IncomingHttpHeaders): { kind: 'bearer' | 'apiKey'; value: string } | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return { kind: 'apiKey', value: apiKey };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (!match) return undefined;
  return { kind: match[1].startsWith(API_KEY_PREFIX) ? 'apiKey' : 'bearer', value: match[1] };
}

export type Authenticated = Identity & { expiresAt?: number };

/** Credentials that changed standing: every credential of a user, one session, or one API key. */
export interface Revocation {
  userId?: number;
  sessionId?: string;
  apiKeyId?: string;
}

/** What the credential authority said of a credential: who it stands for now, or null when it no longer stands. */
interface Standing {
  identity: Identity | null;
  checkedAt: number;
  /** The feed epoch it was checked in: a reconnected feed may have missed revocations. */
  epoch: number;
  userId?: number;
  sessionId?: string;
  apiKeyId?: string;
}

/** The credential authority could not be asked (or answered with an error): not a verdict on the credential. */
class IdentityUnreachable extends Error {}

/**
 * Establishes who calls, once per request at the gateway. An access JWT is verified locally and then
 * honoured only while its session stands (live, user active, role not changed sideways; a lower role
 * applies at once); an API key is looked up. Both answers come from the credential authority (declared by
 * the subgraph that owns users) and are cached per process; its revocation feed drops cached answers
 * the moment a session, user or key changes, so revocations bite within a second on every replica. While
 * the authority is unreachable, answers checked within STALE_AT_MOST_MS keep known callers working; anything
 * else is SERVICE_UNAVAILABLE. A credential that is present but wrong is an error, never anonymous.
 */
export class Authenticator {
  private readonly standings = new Map<string, Standing>();
  private readonly checking = new Map<string, Promise<Standing>>();
  private readonly listeners = new Set<(revocation: Revocation | 'all') => void>();
  /** Bumped on every revocation and every feed (re)connection; a check that raced one isn't cached. */
  private epoch = 0;
  /** The epoch in which the feed last became live. */
  private liveSince = 0;
  private feedLive = false;
  private stopFeed?: () => void;

  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly authority: CredentialAuthority,
  ) {}

  async authenticate(headers: IncomingHttpHeaders, ip: string): Promise<Authenticated> {
    const credential = credentialOf(headers);
    if (!credential) return { ...ANONYMOUS, ip };
    if (credential.kind === 'bearer') {
      const claims = await this.accessTokens.verify(credential.value);
      const { identity } = await this.standing(`s:${claims.sessionId}`, () => this.checkSession(claims.sessionId, claims.userId));
      if (!identity || identity.userId !== claims.userId || identity.organizationId !== claims.organizationId) {
        throw unauthenticated('Session has ended: sign in again');
      }
      const role = effectiveRole(claims.role, identity.role!);
      if (!role) throw unauthenticated('Your role changed: sign in again');
      return {
        kind: 'user',
        userId: claims.userId,
        organizationId: claims.organizationId,
        role,
        sessionId: claims.sessionId,
        expiresAt: claims.expiresAt,
        ip,
      };
    }
    const key = `k:${createHash('sha256').update(credential.value).digest('base64url')}`;
    const { identity } = await this.standing(key, () => this.checkApiKey(credential.value));
    if (!identity) throw unauthenticated('Invalid, expired or revoked API key');
    return { ...identity, ip };
  }

  /** Told of every revocation after cached answers are dropped (open sockets re-check); 'all' after a feed gap. */
  onRevocation(listener: (revocation: Revocation | 'all') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops cached answers a revocation touches and tells the listeners. */
  revoke(revocation: Revocation): void {
    this.epoch++;
    // Checks under way may have read the state from before: later callers start their own.
    this.checking.clear();
    for (const [key, standing] of this.standings) {
      if (
        (revocation.userId !== undefined && standing.userId === revocation.userId) ||
        (revocation.sessionId !== undefined && standing.sessionId === revocation.sessionId) ||
        (revocation.apiKeyId !== undefined && standing.apiKeyId === revocation.apiKeyId)
      ) {
        this.standings.delete(key);
      }
    }
    for (const listener of this.listeners) listener(revocation);
  }

  /** Starts following the authority's revocation feed, reconnecting with backoff until `stop()`. */
  start(): void {
    this.stopFeed ??= followFeed(() => this.authority.revocations(), {
      name: 'credential revocation feed',
      onLive: () => this.markLive(),
      onNotice: ({ userId, sessionId, apiKeyId }) => this.revoke({ userId, sessionId, apiKeyId }),
      onLost: () => (this.feedLive = false),
    });
  }

  stop(): void {
    this.stopFeed?.();
    this.stopFeed = undefined;
  }

  /** The feed listens from now on; answers from before may have missed a revocation, so they are checked again. */
  private markLive(): void {
    this.feedLive = true;
    this.liveSince = ++this.epoch;
    this.checking.clear();
    for (const listener of this.listeners) listener('all');
  }

  /** Whether a cached answer may be used without asking the authority again. */
  private fresh(standing: Standing, now = Date.now()): boolean {
    if (!this.feedLive) return now - standing.checkedAt < FRESH_WHILE_DEAF_MS;
    return now - standing.checkedAt < FRESH_WHILE_LIVE_MS && standing.epoch >= this.liveSince;
  }

  private async standing(key: string, check: () => Promise<Omit<Standing, 'checkedAt' | 'epoch'>>): Promise<Standing> {
    const cached = this.standings.get(key);
    const now = Date.now();
    if (cached && this.fresh(cached, now)) return cached;
    let pending = this.checking.get(key);
    if (!pending) {
      const epoch = this.epoch;
      pending = withTimeout(check(), CHECK_TIMEOUT_MS)
        .then((answer) => {
          const standing: Standing = { ...answer, checkedAt: Date.now(), epoch };
          // A check that raced a revocation may have read the state before it: use it once, never cache it.
          if (epoch === this.epoch) this.remember(key, standing);
          return standing;
        })
        .finally(() => {
          if (this.checking.get(key) === pending) this.checking.delete(key);
        });
      this.checking.set(key, pending);
    }
    try {
      return await pending;
    } catch (error) {
      if (!(error instanceof IdentityUnreachable)) throw error;
      // The authority is down: known callers keep working for a bounded time; nobody new gets in.
      if (cached && now - cached.checkedAt < STALE_AT_MOST_MS) return cached;
      console.error('credential check failed:', error.message);
      throw new AppError(ErrorCode.ServiceUnavailable, 'Authentication is unavailable, try again');
    }
  }

  private remember(key: string, standing: Standing): void {
    if (this.standings.size >= CACHE_SIZE) this.standings.clear();
    this.standings.set(key, standing);
  }

  private async checkSession(sessionId: string, userId: number): Promise<Omit<Standing, 'checkedAt' | 'epoch'>> {
    const identity = await this.ask(() => this.authority.sessionIdentity(sessionId, userId));
    return { identity, userId, sessionId };
  }

  private async checkApiKey(secret: string): Promise<Omit<Standing, 'checkedAt' | 'epoch'>> {
    const identity = await this.ask(() => this.authority.apiKeyIdentity(secret));
    return { identity, userId: identity?.userId, apiKeyId: identity?.apiKeyId };
  }

  private async ask(check: () => Promise<Identity | null>): Promise<Identity | null> {
    try {
      return await check();
    } catch (error) {
      throw new IdentityUnreachable((error as Error).message);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IdentityUnreachable(`the credential authority did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** An error, or the close event a graphql-ws client rejects with, in words. */
