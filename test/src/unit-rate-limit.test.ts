import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANONYMOUS, Role, type Identity } from '@salesgraph/platform';
import { RateLimiter } from '@salesgraph/gateway';

const MINUTE = 60_000;
/** The start of a window: windows are fixed, aligned on multiples of their length. */
const T0 = 1_000 * MINUTE;
const user = (userId: number): Identity => ({ kind: 'user', userId, organizationId: 'org-1', role: Role.USER });
const apiKey = (apiKeyId: string, userId: number): Identity => ({
  kind: 'apiKey',
  apiKeyId,
  userId,
  organizationId: 'org-1',
  role: Role.USER,
});

/** Takes `n` requests at `now`; the decisions. */
const take = (limiter: RateLimiter, n: number, identity: Identity, ip: string, now: number) =>
  Array.from({ length: n }, () => limiter.take(identity, ip, now));

describe('gateway rate limiter (unit)', () => {
  it('allows the anonymous limit per address, then refuses with the limit and when to retry', () => {
    const limiter = new RateLimiter({ anonymousPerWindow: 3, authenticatedPerWindow: 10 });
    assert.ok(take(limiter, 3, ANONYMOUS, '203.0.113.1', T0 + 1_000).every((d) => d.allowed));
    assert.deepEqual(limiter.take(ANONYMOUS, '203.0.113.1', T0 + 15_500), { allowed: false, limit: 3, retryAfterSeconds: 45 });
    assert.ok(limiter.take(ANONYMOUS, '203.0.113.2', T0 + 15_500).allowed, 'another address has its own budget');
  });

  it('rounds the wait up to whole seconds, at least one', () => {
    const limiter = new RateLimiter({ anonymousPerWindow: 1 });
    limiter.take(ANONYMOUS, 'a', T0);
    assert.deepEqual(limiter.take(ANONYMOUS, 'a', T0), { allowed: false, limit: 1, retryAfterSeconds: 60 });
    assert.deepEqual(limiter.take(ANONYMOUS, 'a', T0 + 58_001), { allowed: false, limit: 1, retryAfterSeconds: 2 });
    assert.deepEqual(limiter.take(ANONYMOUS, 'a', T0 + MINUTE - 1), { allowed: false, limit: 1, retryAfterSeconds: 1 });
  });

  it('starts counting afresh when the window turns, not a minute after the first request', () => {
    const limiter = new RateLimiter({ anonymousPerWindow: 2 });
    take(limiter, 2, ANONYMOUS, 'a', T0 + 59_000);
    assert.equal(limiter.take(ANONYMOUS, 'a', T0 + 59_999).allowed, false);
    assert.ok(
      take(limiter, 2, ANONYMOUS, 'a', T0 + MINUTE).every((d) => d.allowed),
      'the next window',
    );
    assert.equal(limiter.take(ANONYMOUS, 'a', T0 + MINUTE + 1).allowed, false);
    assert.ok(limiter.take(ANONYMOUS, 'a', T0 + 5 * MINUTE).allowed, 'windows later');
  });

  it('counts a signed-in user per user, wherever they come from, and never against the address', () => {
    const limiter = new RateLimiter({ anonymousPerWindow: 1, authenticatedPerWindow: 3 });
    assert.ok([...take(limiter, 2, user(7), '198.51.100.1', T0), ...take(limiter, 1, user(7), '198.51.100.2', T0)].every((d) => d.allowed));
    assert.deepEqual(limiter.take(user(7), '198.51.100.3', T0 + 30_000), { allowed: false, limit: 3, retryAfterSeconds: 30 });
    assert.ok(limiter.take(user(8), '198.51.100.1', T0).allowed, 'another user of the same address');
    assert.ok(limiter.take(ANONYMOUS, '198.51.100.1', T0).allowed, 'the address’s anonymous budget is untouched');
  });

  it('counts an API key on its own, apart from its user and the user’s other keys', () => {
    const limiter = new RateLimiter({ authenticatedPerWindow: 2 });
    assert.ok(take(limiter, 2, apiKey('key-a', 7), 'a', T0).every((d) => d.allowed));
    assert.equal(limiter.take(apiKey('key-a', 7), 'b', T0).allowed, false);
    assert.ok(limiter.take(apiKey('key-b', 7), 'a', T0).allowed);
    assert.ok(limiter.take(user(7), 'a', T0).allowed);
  });

  it('gives back an anonymous request only within the window it was counted in', () => {
    const limiter = new RateLimiter({ anonymousPerWindow: 1 });
    limiter.take(ANONYMOUS, 'a', T0 + 1_000);
    limiter.giveBack('a', T0 + 1_000, T0 + 2_000);
    assert.ok(limiter.take(ANONYMOUS, 'a', T0 + 3_000).allowed, 'the given-back request freed its place');
    limiter.take(ANONYMOUS, 'a', T0 + MINUTE + 1);
    limiter.giveBack('a', T0 + 3_000, T0 + MINUTE + 2);
    assert.equal(
      limiter.take(ANONYMOUS, 'a', T0 + MINUTE + 3).allowed,
      false,
      'a request of the previous window is not given back in this one',
    );
  });

  it('remembers credentials that authenticated for this window and the next, as long as they are used', () => {
    const limiter = new RateLimiter();
    limiter.rememberGood('sgk_one', T0);
    assert.equal(limiter.knowsGood('sgk_one', T0 + 10), true);
    assert.equal(limiter.knowsGood('sgk_other', T0 + 10), false);
    assert.equal(limiter.knowsGood('sgk_one', T0 + MINUTE + 5), true, 'the next window still knows it, and carries it on');
    assert.equal(limiter.knowsGood('sgk_one', T0 + 2 * MINUTE + 5), true, 'used in the last window, so known in this one');
    assert.equal(limiter.knowsGood('sgk_one', T0 + 4 * MINUTE), false, 'a whole window unused forgets it');
  });

  it('forgets a credential at once when told to', () => {
    const limiter = new RateLimiter();
    limiter.rememberGood('token', T0);
    limiter.knowsGood('token', T0 + MINUTE);
    limiter.forgetGood('token');
    assert.equal(limiter.knowsGood('token', T0 + MINUTE + 1), false);
  });
});
