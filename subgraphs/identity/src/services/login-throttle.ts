import type { EntityManager } from '@mikro-orm/core';
import { rateLimited } from '@salesgraph/platform';
import { LoginThrottle } from '../entities/index.js';

export interface ThrottleRule {
  /** Failures allowed in one window before the key is locked. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Seed-agnostic defaults in line with OWASP guidance: a handful of tries per account, more per address. */
export const ACCOUNT_RULE: ThrottleRule = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const IP_RULE: ThrottleRule = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** Refuses with RATE_LIMITED (and how long to wait) while any of the keys is locked. */
export async function assertNotLocked(em: EntityManager, keys: string[]): Promise<void> {
  const now = Date.now();
  const rows = await em.find(LoginThrottle, { key: { $in: keys }, lockedUntil: { $gt: new Date(now) } });
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil!.getTime()));
  if (until > now) {
    throw rateLimited('Too many failed logins; try again later', Math.ceil((until - now) / 1000));
  }
}

/** Counts one failure against a key, locking it once the rule's limit is reached within a window. */
export async function recordFailure(em: EntityManager, key: string, rule: ThrottleRule): Promise<void> {
  const now = new Date();
  // One statement, so concurrent failures from many replicas can't lose counts.
  await em.getConnection().execute(
    `insert into identity.login_throttles as t (key, failures, window_started_at, locked_until)
     values (?, 1, ?, null)
     on conflict (key) do update set
       failures = case when t.window_started_at < ? then 1 else t.failures + 1 end,
       window_started_at = case when t.window_started_at < ? then excluded.window_started_at else t.window_started_at end,
       locked_until = case when t.window_started_at >= ? and t.failures + 1 >= ? then ? else t.locked_until end`,
    [key, now, new Date(now.getTime() - rule.windowMs), new Date(now.getTime() - rule.windowMs),
      new Date(now.getTime() - rule.windowMs), rule.maxFailures, new Date(now.getTime() + rule.lockMs)],
  );
}

export async function clearFailures(em: EntityManager, key: string): Promise<void> {
  await em.nativeDelete(LoginThrottle, { key });
}
