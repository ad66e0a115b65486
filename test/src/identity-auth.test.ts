import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ChangePasswordDocument, LoginDocument, LogoutDocument, MeDocument, RefreshTokenDocument } from '@salesgraph/gateway/generated';
import { anotherClient } from './support/accounts.js';
import { codeOf, graphql, unique, type GraphQLResult } from './support/client.js';
import { queryDatabase, stack, type Stack } from './support/stack.js';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id role organization { id name } } } }`;

async function signUp(url: string, overrides: Record<string, string> = {}) {
  const name = unique('org');
  const input = { organizationName: `Org ${name}`, email: `${name}@example.com`, username: name, password: 'correct horse', ...overrides };
  const result = await graphql(url, SIGN_UP, { input }, { headers: anotherClient() });
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  return { ...input, ...result.data!.signUp };
}

/** How many results had each error code (`ok` for none). */
function tally(results: GraphQLResult<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const code = String(codeOf(result) ?? 'ok');
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

describe('identity: sign-up, login, tokens', () => {
  let s: Stack;
  before(async () => (s = await stack()));

  it('creates an organization with its first admin and signs them in', async () => {
    const account = await signUp(s.url);
    assert.equal(account.user.role, 'ADMIN');
    assert.match(account.user.organization.name, /^Org /);
    const me = await graphql(s.url, MeDocument, {}, { token: account.accessToken });
    assert.equal(me.data?.me.email, account.email);
  });

  it('logs in by e-mail or username, case-insensitively, and refuses wrong passwords', async () => {
    const account = await signUp(s.url);
    for (const login of [account.email.toUpperCase(), account.username]) {
      const ok = await graphql(s.url, LoginDocument, { input: { login, password: account.password } });
      assert.equal(ok.data?.login.tokenType, 'bearer');
      assert.ok(ok.data.login.expiresIn > 0);
    }
    const wrong = await graphql(s.url, LoginDocument, { input: { login: account.email, password: 'nope' } });
    assert.equal(codeOf(wrong), 'UNAUTHENTICATED');
    const nobody = await graphql(s.url, LoginDocument, { input: { login: 'nobody@example.com', password: 'nope' } });
    assert.equal(nobody.errors?.[0]?.message, wrong.errors?.[0]?.message, 'unknown accounts look like wrong passwords');
  });

  it('refuses duplicate e-mails and invalid sign-up input with coded errors', async () => {
    const account = await signUp(s.url);
    const duplicate = await graphql(s.url, SIGN_UP, {
      input: { organizationName: 'Dup', email: account.email, username: unique(), password: 'long enough' },
    });
    assert.equal(codeOf(duplicate), 'CONFLICT');
    const invalid = await graphql(s.url, SIGN_UP, {
      input: { organizationName: 'X', email: 'not-an-email', username: 'a b', password: 'short' },
    });
    assert.equal(codeOf(invalid), 'BAD_USER_INPUT');
    const fields = (invalid.errors![0].extensions!.fields as { field: string }[]).map((f) => f.field).sort();
    assert.deepEqual(fields, ['email', 'organizationName', 'password', 'username']);
  });

  it('allows five sign-ups per address an hour, also when many race; the rest are RATE_LIMITED with retryAfter', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.51' };
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () => {
        const name = unique('org');
        return graphql(
          s.url,
          SIGN_UP,
          { input: { organizationName: `Org ${name}`, email: `${name}@example.com`, username: name, password: 'correct horse' } },
          { headers },
        );
      }),
    );
    assert.deepEqual(tally(attempts), { ok: 5, RATE_LIMITED: 3 });
    const refused = attempts.find((a) => codeOf(a) === 'RATE_LIMITED')!.errors![0];
    assert.equal(refused.message, 'Too many sign-ups from this address; try again later');
    const retryAfter = refused.extensions!.retryAfter as number;
    // An hour from the attempt that locked, seen from one that may have read the clock a moment earlier.
    assert.ok(retryAfter > 3500 && retryAfter <= 3601, `retryAfter ${retryAfter}`);
    assert.ok(await signUp(s.url), 'another address is unaffected');
  });

  it('counts refused sign-ups too, so they cannot probe for registered e-mails', async () => {
    const account = await signUp(s.url);
    const headers = { 'x-forwarded-for': '203.0.113.52' };
    for (let i = 0; i < 5; i++) {
      const taken = await graphql(
        s.url,
        SIGN_UP,
        { input: { organizationName: 'Probe', email: account.email, username: unique(), password: 'long enough' } },
        { headers },
      );
      assert.equal(codeOf(taken), 'CONFLICT');
    }
    const probe = await graphql(
      s.url,
      SIGN_UP,
      { input: { organizationName: 'Probe', email: account.email, username: unique(), password: 'long enough' } },
      { headers },
    );
    assert.equal(codeOf(probe), 'RATE_LIMITED');
  });

  it('rotates refresh tokens and revokes the session when a used one comes back', async () => {
    const account = await signUp(s.url);
    const first = await graphql(s.url, RefreshTokenDocument, { refreshToken: account.refreshToken });
    const rotated = first.data!.refreshToken;
    assert.notEqual(rotated.refreshToken, account.refreshToken);

    const replay = await graphql(s.url, RefreshTokenDocument, { refreshToken: account.refreshToken });
    assert.equal(codeOf(replay), 'UNAUTHENTICATED');
    assert.match(replay.errors![0].message, /already used/);

    // The thief's replay killed the whole session: the legitimate newer token is dead too.
    const afterReuse = await graphql(s.url, RefreshTokenDocument, { refreshToken: rotated.refreshToken });
    assert.equal(codeOf(afterReuse), 'UNAUTHENTICATED');
  });

  it('gives exactly one winner when a refresh token is raced', async () => {
    const account = await signUp(s.url);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => graphql(s.url, RefreshTokenDocument, { refreshToken: account.refreshToken })),
    );
    assert.equal(results.filter((r) => r.data?.refreshToken).length, 1);
  });

  it('logout revokes the session', async () => {
    const account = await signUp(s.url);
    const out = await graphql(s.url, LogoutDocument, {}, { token: account.accessToken });
    assert.equal(out.data?.logout, true);
    const refresh = await graphql(s.url, RefreshTokenDocument, { refreshToken: account.refreshToken });
    assert.equal(codeOf(refresh), 'UNAUTHENTICATED');
  });

  it('changing the password signs out the other sessions only', async () => {
    const account = await signUp(s.url);
    const other = (await graphql(s.url, LoginDocument, { input: { login: account.email, password: account.password } })).data!.login;
    const changed = await graphql(
      s.url,
      ChangePasswordDocument,
      { input: { currentPassword: account.password, newPassword: 'brand new secret' } },
      { token: account.accessToken },
    );
    assert.equal(changed.data?.changePassword, true);
    assert.equal(codeOf(await graphql(s.url, RefreshTokenDocument, { refreshToken: other.refreshToken })), 'UNAUTHENTICATED');
    assert.ok((await graphql(s.url, RefreshTokenDocument, { refreshToken: account.refreshToken })).data?.refreshToken);
    const oldPassword = await graphql(s.url, LoginDocument, { input: { login: account.email, password: account.password } });
    assert.equal(codeOf(oldPassword), 'UNAUTHENTICATED');
    const wrongCurrent = await graphql(
      s.url,
      ChangePasswordDocument,
      { input: { currentPassword: 'wrong', newPassword: 'another secret' } },
      { token: account.accessToken },
    );
    assert.equal(codeOf(wrongCurrent), 'BAD_USER_INPUT');
  });

  it('locks an account after repeated failures and says when to retry', async () => {
    const account = await signUp(s.url);
    // A distinct client address per test keeps the per-IP lock out of other tests' way.
    const headers = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 5; i++) {
      const failed = await graphql(s.url, LoginDocument, { input: { login: account.email, password: 'wrong' } }, { headers });
      assert.equal(codeOf(failed), 'UNAUTHENTICATED');
    }
    const locked = await graphql(s.url, LoginDocument, { input: { login: account.email, password: account.password } }, { headers });
    assert.equal(codeOf(locked), 'RATE_LIMITED');
    assert.ok((locked.errors![0].extensions!.retryAfter as number) > 0);
  });

  it('evaluates at most five of twenty parallel wrong passwords, by e-mail and username alike; the rest are RATE_LIMITED', async () => {
    const account = await signUp(s.url);
    // Each attempt from its own address, so only the account's counter can stop them.
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        graphql(
          s.url,
          LoginDocument,
          { input: { login: i % 2 ? account.email : account.username, password: 'wrong' } },
          { headers: anotherClient() },
        ),
      ),
    );
    assert.deepEqual(tally(attempts), { UNAUTHENTICATED: 5, RATE_LIMITED: 15 });
    const limited = attempts.find((a) => codeOf(a) === 'RATE_LIMITED')!;
    assert.ok((limited.errors![0].extensions!.retryAfter as number) > 0);
    for (const login of [account.email, account.username]) {
      const correct = await graphql(s.url, LoginDocument, { input: { login, password: account.password } }, { headers: anotherClient() });
      assert.equal(codeOf(correct), 'RATE_LIMITED', `${login} shares the account's lock`);
    }
  });

  it('locks after five failures alternating e-mail and username, one at a time', async () => {
    const account = await signUp(s.url);
    for (let i = 0; i < 5; i++) {
      const failed = await graphql(
        s.url,
        LoginDocument,
        { input: { login: i % 2 ? account.username : account.email.toUpperCase(), password: 'wrong' } },
        { headers: anotherClient() },
      );
      assert.equal(codeOf(failed), 'UNAUTHENTICATED');
    }
    const locked = await graphql(
      s.url,
      LoginDocument,
      { input: { login: account.username, password: account.password } },
      { headers: anotherClient() },
    );
    assert.equal(codeOf(locked), 'RATE_LIMITED');
  });

  it('throttles a login name without an account exactly like one with', async () => {
    const nobody = `${unique('nobody')}@example.com`;
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () =>
        graphql(s.url, LoginDocument, { input: { login: nobody, password: 'wrong' } }, { headers: anotherClient() }),
      ),
    );
    assert.deepEqual(tally(attempts), { UNAUTHENTICATED: 5, RATE_LIMITED: 15 });
    const refused = attempts.filter((a) => codeOf(a) === 'RATE_LIMITED').map((a) => a.errors![0].message);
    assert.deepEqual(new Set(refused), new Set(['Too many failed logins; try again later']));
  });

  it('evaluates at most thirty parallel wrong logins from one address, across accounts', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.31' };
    const attempts = await Promise.all(
      Array.from({ length: 40 }, () =>
        graphql(s.url, LoginDocument, { input: { login: unique('guess'), password: 'wrong' } }, { headers }),
      ),
    );
    assert.deepEqual(tally(attempts), { UNAUTHENTICATED: 30, RATE_LIMITED: 10 });
  });

  it('counts failed logins against the address, but not successful ones', async () => {
    const account = await signUp(s.url);
    const address = '203.0.113.32';
    const headers = { 'x-forwarded-for': address };
    assert.equal(
      codeOf(await graphql(s.url, LoginDocument, { input: { login: account.email, password: 'wrong' } }, { headers })),
      'UNAUTHENTICATED',
    );
    for (let i = 0; i < 2; i++) {
      assert.ok(
        (await graphql(s.url, LoginDocument, { input: { login: account.email, password: account.password } }, { headers })).data?.login,
      );
    }
    const [row] = await queryDatabase<{ failures: number }>(s, 'select failures from identity.login_throttles where key = $1', [
      `ip:${address}`,
    ]);
    assert.equal(row?.failures, 1);
  });

  it('rejects forged, malformed and expired-looking tokens at the gateway with 401', async () => {
    for (const token of ['garbage', `${s.adminToken.slice(0, -2)}xx`]) {
      const result = await graphql(s.url, MeDocument, {}, { token });
      assert.equal(result.status, 401);
      assert.equal(codeOf(result), 'UNAUTHENTICATED');
    }
    const anonymous = await graphql(s.url, MeDocument, {});
    assert.equal(codeOf(anonymous), 'UNAUTHENTICATED');
  });
});
