import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Role, type SignedIn } from '@salesgraph/platform';
import { StatisticsPeriod, scopeOf } from '@salesgraph/calls';

const manager: SignedIn = { kind: 'user', userId: 3, organizationId: 'org-1', role: Role.MANAGER };
const agent: SignedIn = { kind: 'user', userId: 7, organizationId: 'org-1', role: Role.USER };
const at = (iso: string) => new Date(iso);

/** Where `period` starts when asked at `now` (ISO, UTC). */
const startOf = (period: StatisticsPeriod | undefined, now: string) => scopeOf(manager, { period }, at(now)).from.toISOString();

describe('calls statistics periods (unit)', () => {
  it('today: from midnight UTC up to now (the default period)', () => {
    const scope = scopeOf(manager, {}, at('2026-03-18T15:42:10.123Z'));
    assert.deepEqual(scope, { from: at('2026-03-18T00:00:00.000Z'), to: at('2026-03-18T15:42:10.123Z'), userId: undefined });
    assert.equal(startOf(StatisticsPeriod.TODAY, '2026-03-18T23:59:59.999Z'), '2026-03-18T00:00:00.000Z');
    assert.equal(startOf(StatisticsPeriod.TODAY, '2026-03-19T00:00:00.001Z'), '2026-03-19T00:00:00.000Z', 'a new day one millisecond in');
  });

  it('week: from Monday midnight UTC (ISO weeks), Sunday included', () => {
    assert.equal(startOf(StatisticsPeriod.WEEK, '2026-03-18T12:00:00Z'), '2026-03-16T00:00:00.000Z', 'a Wednesday');
    assert.equal(startOf(StatisticsPeriod.WEEK, '2026-03-16T00:00:00.001Z'), '2026-03-16T00:00:00.000Z', 'Monday, just begun');
    assert.equal(startOf(StatisticsPeriod.WEEK, '2026-03-22T23:59:59.999Z'), '2026-03-16T00:00:00.000Z', 'the Sunday ending it');
    assert.equal(startOf(StatisticsPeriod.WEEK, '2026-01-01T08:00:00Z'), '2025-12-29T00:00:00.000Z', 'a week across the new year');
  });

  it('month and year: from the first day, midnight UTC', () => {
    assert.equal(startOf(StatisticsPeriod.MONTH, '2026-03-31T23:59:59.999Z'), '2026-03-01T00:00:00.000Z');
    assert.equal(startOf(StatisticsPeriod.MONTH, '2028-02-29T10:00:00Z'), '2028-02-01T00:00:00.000Z', 'a leap day');
    assert.equal(startOf(StatisticsPeriod.MONTH, '2026-04-01T00:00:00.001Z'), '2026-04-01T00:00:00.000Z');
    assert.equal(startOf(StatisticsPeriod.YEAR, '2026-12-31T23:59:59.999Z'), '2026-01-01T00:00:00.000Z');
    assert.equal(startOf(StatisticsPeriod.YEAR, '2027-01-01T00:00:00.001Z'), '2027-01-01T00:00:00.000Z');
  });

  it('an empty window, not an error, in the very millisecond a period starts', () => {
    const starts: Record<StatisticsPeriod, string> = {
      [StatisticsPeriod.TODAY]: '2026-06-01T00:00:00.000Z',
      [StatisticsPeriod.WEEK]: '2026-06-01T00:00:00.000Z', // a Monday
      [StatisticsPeriod.MONTH]: '2026-06-01T00:00:00.000Z',
      [StatisticsPeriod.YEAR]: '2027-01-01T00:00:00.000Z',
    };
    for (const [period, start] of Object.entries(starts) as [StatisticsPeriod, string][]) {
      const scope = scopeOf(manager, { period }, at(start));
      assert.deepEqual([scope.from, scope.to], [at(start), at(start)], period);
    }
  });

  it('the same windows whatever time zone the server runs in (organizations have none: periods are UTC)', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['Pacific/Kiritimati', 'America/Adak', 'UTC']) {
        process.env.TZ = tz;
        assert.equal(startOf(StatisticsPeriod.TODAY, '2026-03-18T23:30:00Z'), '2026-03-18T00:00:00.000Z', tz);
        assert.equal(startOf(StatisticsPeriod.WEEK, '2026-03-22T23:30:00Z'), '2026-03-16T00:00:00.000Z', tz);
        assert.equal(startOf(StatisticsPeriod.MONTH, '2026-03-31T23:30:00Z'), '2026-03-01T00:00:00.000Z', tz);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('explicit from/to win over the period, and must be in order', () => {
    const from = at('2026-01-05T10:00:00Z');
    const to = at('2026-01-06T10:00:00Z');
    assert.deepEqual(scopeOf(manager, { period: StatisticsPeriod.YEAR, from, to }, at('2026-03-18T00:00:00Z')), {
      from,
      to,
      userId: undefined,
    });
    assert.deepEqual(scopeOf(manager, { from }, at('2026-03-18T00:00:00Z')).to, at('2026-03-18T00:00:00Z'), 'up to now');
    for (const [a, b] of [
      [to, from],
      [from, from],
    ]) {
      assert.throws(
        () => scopeOf(manager, { from: a, to: b }),
        (error: unknown) =>
          (error as { extensions?: { code?: string } }).extensions?.code === 'BAD_USER_INPUT' &&
          /"from" must be before "to"/.test((error as Error).message),
      );
    }
    assert.throws(
      () => scopeOf(manager, { period: StatisticsPeriod.TODAY, to: at('2026-03-17T12:00:00Z') }, at('2026-03-18T12:00:00Z')),
      /"from" must be before "to"/,
    );
  });

  it('a plain user sees only their own figures; whole-organization roles may pick a user', () => {
    const now = at('2026-03-18T12:00:00Z');
    assert.equal(scopeOf(agent, {}, now).userId, 7);
    assert.equal(scopeOf(agent, { userId: '3' }, now).userId, 7, 'another user asked for: still their own');
    assert.equal(scopeOf(manager, { userId: '7' }, now).userId, 7);
    assert.equal(scopeOf(manager, {}, now).userId, undefined);
    assert.throws(() => scopeOf(manager, { userId: 'x' }, now), /"x" is not a user id/);
  });
});
