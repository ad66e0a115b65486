import { createHash } from 'node:crypto';
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
 *
 * It also remembers which credentials authenticated here lately, so the gateway can tell a credential
 * already known good from one it would have to look up (see `admit` in admission.ts).
 */
export class RateLimiter {
  private readonly anonymous: number;
  private readonly authenticated: number;
  private readonly windowMs: number;
  private windowStart = 0;
  private counts = new Map<string, number>();
  /** Fingerprints of credentials that authenticated in this window, and in the one before. */
  private goodNow = new Set<string>();
  private goodBefore = new Set<string>();

  constructor({ anonymousPerWindow = 100, authenticatedPerWindow = 1000, windowMs = 60_000 }: RateLimitOptions = {}) {
    this.anonymous = anonymousPerWindow;
    this.authenticated = authenticatedPerWindow;
    this.windowMs = windowMs;
  }

  take(identity: Identity, ip: string, now = Date.now()): RateDecision {
    const window = this.windowAt(now);
    const signedIn = identity.kind !== 'anonymous';
    const key = signedIn ? `${identity.kind}:${identity.apiKeyId ?? identity.userId}` : `ip:${ip}`;
    const limit = signedIn ? this.authenticated : this.anonymous;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count <= limit) return { allowed: true };
    return { allowed: false, limit, retryAfterSeconds: Math.max(1, Math.ceil((window + this.windowMs - now) / 1000)) };
  }

  /** Takes back one anonymous request of `ip` counted at `countedAt`, unless its window is over. */
  giveBack(ip: string, countedAt: number, now = Date.now()): void {
    if (this.windowAt(now) !== countedAt - (countedAt % this.windowMs)) return;
    const count = this.counts.get(`ip:${ip}`);
    if (count) this.counts.set(`ip:${ip}`, count - 1);
  }

  /** Whether `credential` authenticated here in this window or the one before. */
  knowsGood(credential: string, now = Date.now()): boolean {
    this.windowAt(now);
    const fingerprint = fingerprintOf(credential);
    if (this.goodNow.has(fingerprint)) return true;
    if (!this.goodBefore.has(fingerprint)) return false;
    this.goodNow.add(fingerprint);
    return true;
  }

  rememberGood(credential: string, now = Date.now()): void {
    this.windowAt(now);
    this.goodNow.add(fingerprintOf(credential));
  }

  forgetGood(credential: string): void {
    const fingerprint = fingerprintOf(credential);
    this.goodNow.delete(fingerprint);
    this.goodBefore.delete(fingerprint);
  }

  /** The start of the window `now` falls in, forgetting what older windows counted. */
  private windowAt(now: number): number {
    const window = now - (now % this.windowMs);
    if (window !== this.windowStart) {
      // A new window forgets the old one whole, so memory is bounded by one window's clients (and two
      // windows' good credentials: one in steady use stays known across the turn).
      this.goodBefore = window - this.windowStart === this.windowMs ? this.goodNow : new Set();
      this.goodNow = new Set();
      this.windowStart = window;
      this.counts = new Map();
    }
    return window;
  }
}

// Kept hashed, so the gateway's memory holds no usable credentials.
const fingerprintOf = (credential: string) => createHash('sha256').update(credential).digest('base64url');
