import type { EntityManager } from '@mikro-orm/core';
import { rateLimited } from '@salesgraph/platform';
import { LoginThrottle } from '../entities/index.js';

export interface ThrottleRule {
  /** Attempts allowed in one window; the attempt that reaches it locks the key for `lockMs`. */
  maxAttempts: number;
  windowMs: number;
  lockMs: number;
}

/** Seed-agnostic defaults in line with OWASP guidance: a handful of tries per account, more per address. */
export const ACCOUNT_RULE: ThrottleRule = { maxAttempts: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const IP_RULE: ThrottleRule = { maxAttempts: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** Public sign-ups per address: `perHour` within an hour, then an hour's wait. */
export const signUpRule = (perHour: number): ThrottleRule => ({ maxAttempts: perHour, windowMs: 60 * 60_000, lockMs: 60 * 60_000 });

/** An attempt counted against a key, which `releaseAttempt` can take back. */
export interface Claim {
  key: string;
  rule: ThrottleRule;
  windowStartedAt: Date;
}

/**
 * Counts one attempt against `key` before the attempt is evaluated, and refuses it with RATE_LIMITED (and
 * how long to wait) once the key is locked. Counting first, in one statement, is what holds under
 * concurrency: parallel attempts on any replica each get their own count, so at most `maxAttempts` of
 * them are evaluated; a check made before counting would let them all through.
 *
 * The row's `failures` is the window's count of attempts: failed, in flight, or refused while locked.
 * The attempt that brings it to `maxAttempts` sets the lock; a lock that has run out starts a new window.
 */
export async function claimAttempt(em: EntityManager, key: string, rule: ThrottleRule, message: string): Promise<Claim> {
  const now = new Date();
  const windowOver = new Date(now.getTime() - rule.windowMs);
  const lockEnd = new Date(now.getTime() + rule.lockMs);
  const firstLock = rule.maxAttempts <= 1 ? lockEnd : null;
  // The core Connection's execute() answers `any`: the row is typed here.
  type Row = { failures: number; window_started_at: Date | string; locked_until: Date | string | null };
  const rows = (await em.getConnection().execute(
    `insert into identity.login_throttles as t (key, failures, window_started_at, locked_until)
     values (?, 1, ?, ?)
     on conflict (key) do update set
       failures = case
         when t.locked_until > ? then t.failures + 1
         when t.locked_until is not null or t.window_started_at <= ? then 1
         else t.failures + 1 end,
       window_started_at = case
         when t.locked_until > ? then t.window_started_at
         when t.locked_until is not null or t.window_started_at <= ? then excluded.window_started_at
         else t.window_started_at end,
       locked_until = case
         when t.locked_until > ? then t.locked_until
         when t.locked_until is not null or t.window_started_at <= ? then excluded.locked_until
         when t.failures + 1 >= ? then ?::timestamptz
         else null end
     returning failures, window_started_at, locked_until`,
    [key, now, firstLock, now, windowOver, now, windowOver, now, windowOver, rule.maxAttempts, lockEnd],
    'all',
  )) as Row[];
  const row = rows[0];
  if (Number(row.failures) > rule.maxAttempts) {
    // Past maxAttempts the row is locked.
    const until = new Date(row.locked_until!).getTime();
    throw rateLimited(message, Math.max(1, Math.ceil((until - now.getTime()) / 1000)));
  }
  return { key, rule, windowStartedAt: new Date(row.window_started_at) };
}

/** Takes back a claimed attempt that must not count (a login that succeeded), unlocking if it had locked. */
export async function releaseAttempt(em: EntityManager, { key, rule, windowStartedAt }: Claim): Promise<void> {
  // Only within the claim's own window: a newer window never counted it.
  await em.getConnection().execute(
    `update identity.login_throttles set
       failures = failures - 1,
       locked_until = case when failures - 1 < ? then null else locked_until end
     where key = ? and window_started_at = ? and failures > 0`,
    [rule.maxAttempts, key, windowStartedAt],
  );
}

export async function clearAttempts(em: EntityManager, key: string): Promise<void> {
  await em.nativeDelete(LoginThrottle, { key });
}
