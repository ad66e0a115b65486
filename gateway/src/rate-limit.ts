import { createHash } from 'node:crypto';
import type { Identity } from '@salesgraph/platform';
import { CounterStore, type Budget, type Count } from './counters.js';

export interface RateLimitOptions {
  /** Requests per window from one address without credentials. @default 100 (seed 001) */
  anonymousPerWindow?: number;
  /** Requests per window from one authenticated user or API key. @default 1000 (seed 001) */
  authenticatedPerWindow?: number;
  /** Whole seconds; a key's window starts at its first request. @default 60_000 (one minute) */
  windowMs?: number;
}

export type RateDecision = Count & { limit: number };

/**
 * Request budgets per client in fixed windows: per address without credentials, per user or API key with
 * them. Counted in the gateways' shared store (see counters.ts), so replicas on one Redis or PostgreSQL server
 * share one budget per client; in this process otherwise.
 *
 * It also remembers which credentials authenticated here lately, so the gateway can tell a credential
 * already known good from one it would have to look up (see `admit` in admission.ts). That memory is this
 * process's: it only spares a known credential the address's budget, and a revocation clears it at once.
 */
export class RateLimiter {
  private readonly anonymous: Budget;
  private readonly authenticated: Budget;
  private readonly windowMs: number;
  private windowStart = 0;
  /** Fingerprints of credentials that authenticated in this window, and in the one before. */
  private goodNow = new Set<string>();
  private goodBefore = new Set<string>();

  constructor(
    { anonymousPerWindow = 100, authenticatedPerWindow = 1000, windowMs = 60_000 }: RateLimitOptions = {},
    counters: CounterStore = CounterStore.memory(),
  ) {
    if (!Number.isInteger(windowMs / 1000) || windowMs <= 0) throw new Error(`windowMs must be whole seconds, got ${windowMs}`);
    this.anonymous = counters.budget('anonymous', anonymousPerWindow, windowMs / 1000);
    this.authenticated = counters.budget('authenticated', authenticatedPerWindow, windowMs / 1000);
    this.windowMs = windowMs;
  }

  async take(identity: Identity, ip: string): Promise<RateDecision> {
    const signedIn = identity.kind !== 'anonymous';
    const budget = signedIn ? this.authenticated : this.anonymous;
    const count = await budget.take(signedIn ? `${identity.kind}:${identity.apiKeyId ?? identity.userId}` : `ip:${ip}`);
    return { ...count, limit: budget.limit };
  }

  /** Takes back one anonymous request of `ip` that `claim` allowed, unless its window is over. */
  giveBack(ip: string, claim: Count): Promise<void> {
    return this.anonymous.giveBack(`ip:${ip}`, claim);
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

  /** The start of the window `now` falls in, forgetting the credentials of older windows. */
  private windowAt(now: number): number {
    const window = now - (now % this.windowMs);
    if (window !== this.windowStart) {
      // Memory is bounded by two windows' good credentials: one in steady use stays known across the turn.
      this.goodBefore = window - this.windowStart === this.windowMs ? this.goodNow : new Set();
      this.goodNow = new Set();
      this.windowStart = window;
    }
    return window;
  }
}

// Kept hashed, so the gateway's memory holds no usable credentials.
const fingerprintOf = (credential: string) => createHash('sha256').update(credential).digest('base64url');
