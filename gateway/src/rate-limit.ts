import type { Identity } from '@salesgraph/platform';

export interface RateLimitOptions {
  /** Requests per window from one address without credentials. @default 100 (seed 001) */
  anonymousPerWindow?: number;
  /** Requests per window from one authenticated user or API key. @default 1000 (seed 001) */
  authenticatedPerWindow?: number;
  /** @default 60_000 (one minute) */
  windowMs?: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: number };

/**
 * Fixed-window request counting per client, in this gateway's memory. Each replica counts on its own,
 * so N replicas allow up to N times the limit; a shared store is the upgrade when that matters.
 */
export class RateLimiter {
  private readonly anonymous: number;
  private readonly authenticated: number;
  private readonly windowMs: number;
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor({ anonymousPerWindow = 100, authenticatedPerWindow = 1000, windowMs = 60_000 }: RateLimitOptions = {}) {
    this.anonymous = anonymousPerWindow;
    this.authenticated = authenticatedPerWindow;
    this.windowMs = windowMs;
  }

  take(identity: Identity, ip: string, now = Date.now()): RateDecision {
    const window = now - (now % this.windowMs);
    if (window !== this.windowStart) {
      // A new window forgets the old one whole, so memory is bounded by one window's clients.
      this.windowStart = window;
      this.counts = new Map();
    }
    const signedIn = identity.kind !== 'anonymous';
    const key = signedIn ? `${identity.kind}:${identity.apiKeyId ?? identity.userId}` : `ip:${ip}`;
    const limit = signedIn ? this.authenticated : this.anonymous;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count <= limit) return { allowed: true };
    return { allowed: false, limit, retryAfterSeconds: Math.max(1, Math.ceil((window + this.windowMs - now) / 1000)) };
  }
}
