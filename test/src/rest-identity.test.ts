import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { rest, unique } from './support/client.js';
import { stack, type Stack } from './support/stack.js';

const USER_KEYS = [
  'created_at',
  'email',
  'first_name',
  'full_name',
  'id',
  'is_active',
  'last_login_at',
  'last_name',
  'organization_id',
  'role',
  'updated_at',
  'username',
];

describe('REST seed 000: /api/v1/auth and /api/v1/users', () => {
  let s: Stack;
  let admin: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
  });

  it('logs in, refreshes and logs out with the documented shapes', async () => {
    const login = await rest(s.url, 'POST', '/api/v1/auth/login', { body: { email: admin.email, password: admin.password } });
    assert.equal(login.status, 200);
    assert.deepEqual(Object.keys(login.body).sort(), ['access_token', 'refresh_token', 'token_type']);
    assert.equal(login.body.token_type, 'bearer');

    const me = await rest(s.url, 'GET', '/api/v1/auth/me', { token: login.body.access_token });
    assert.deepEqual(Object.keys(me.body).sort(), USER_KEYS);
    assert.equal(me.body.id, Number(admin.id));
    assert.equal(me.body.role, 'admin');

    const refreshed = await rest(s.url, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: login.body.refresh_token } });
    assert.equal(refreshed.status, 200);
    const replay = await rest(s.url, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: login.body.refresh_token } });
    assert.equal(replay.status, 401);
    assert.equal(typeof replay.body.detail, 'string');

    const fresh = await rest(s.url, 'POST', '/api/v1/auth/login', { body: { email: admin.email, password: admin.password } });
    const out = await rest(s.url, 'POST', '/api/v1/auth/logout', { token: fresh.body.access_token });
    assert.equal(out.status, 200);
    assert.equal((await rest(s.url, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: fresh.body.refresh_token } })).status, 401);
  });

  it('answers bad input with 4xx {detail}, never 500', async () => {
    const cases: [string, string, unknown, number][] = [
      ['POST', '/api/v1/auth/login', '{"email": "a@b.c", "password": ', 422],
      ['POST', '/api/v1/auth/login', { email: 'a@b.c' }, 422],
      ['POST', '/api/v1/auth/login', { email: 42, password: 'x' }, 422],
      ['POST', '/api/v1/auth/login', [1, 2], 422],
      ['POST', '/api/v1/auth/login', { email: admin.email, password: 'wrong' }, 401],
      ['POST', '/api/v1/auth/refresh', {}, 422],
    ];
    for (const [method, path, body, status] of cases) {
      const result = await rest(s.url, method, path, { body });
      assert.equal(result.status, status, `${method} ${path} ${JSON.stringify(body)} → ${result.status} ${JSON.stringify(result.body)}`);
      assert.equal(typeof result.body.detail, 'string');
    }
    const missing = await rest(s.url, 'POST', '/api/v1/auth/login', { body: { email: 'a@b.c' } });
    assert.match(missing.body.detail, /password: field required/);
    const wrongType = await rest(s.url, 'POST', '/api/v1/auth/login', { body: { email: 42, password: 'x' } });
    assert.match(wrongType.body.detail, /email: must be a string/);
    assert.equal((await rest(s.url, 'GET', '/api/v1/auth/me')).status, 401);
    const huge = await rest(s.url, 'POST', '/api/v1/auth/login', { body: JSON.stringify({ email: 'x'.repeat(2_000_000), password: 'x' }) });
    assert.equal(huge.status, 413);
  });

  it('lists users as {items,total,page,size,pages} with skip/limit, filters and sorting', async () => {
    for (let i = 0; i < 3; i++) await newMember(s.url, admin, 'USER');
    const page = await rest(s.url, 'GET', '/api/v1/users/?skip=2&limit=2&order_by=id&sort=asc', { token: admin.token });
    assert.equal(page.status, 200);
    assert.deepEqual(Object.keys(page.body).sort(), ['items', 'page', 'pages', 'size', 'total']);
    assert.equal(page.body.total, 4);
    assert.deepEqual([page.body.page, page.body.size, page.body.pages], [2, 2, 2]);
    assert.equal(page.body.items.length, 2);
    assert.deepEqual(Object.keys(page.body.items[0]).sort(), USER_KEYS);
    assert.equal(typeof page.body.items[0].id, 'number');

    const admins = await rest(s.url, 'GET', '/api/v1/users?role=admin', { token: admin.token });
    assert.deepEqual(
      admins.body.items.map((u: { id: number }) => u.id),
      [Number(admin.id)],
    );
    for (const query of ['limit=0', 'limit=abc', 'skip=-1', 'role=king', 'is_active=maybe']) {
      const bad = await rest(s.url, 'GET', `/api/v1/users?${query}`, { token: admin.token });
      assert.equal(bad.status, 422, query);
    }
  });

  it('creates, reads, updates and deletes users; non-admins get 403, foreign ids 404', async () => {
    const name = unique('rest');
    const created = await rest(s.url, 'POST', '/api/v1/users/', {
      token: admin.token,
      body: { email: `${name}@example.com`, username: name, password: 'password 1', first_name: 'Иван', role: 'manager' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.role, 'manager');
    const id = created.body.id;

    assert.equal((await rest(s.url, 'GET', `/api/v1/users/${id}`, { token: admin.token })).body.first_name, 'Иван');
    const updated = await rest(s.url, 'PUT', `/api/v1/users/${id}`, {
      token: admin.token,
      body: { last_name: 'Петров', is_active: false },
    });
    assert.deepEqual([updated.status, updated.body.last_name, updated.body.is_active], [200, 'Петров', false]);

    const duplicate = await rest(s.url, 'POST', '/api/v1/users', {
      token: admin.token,
      body: { email: `${name}@example.com`, username: unique(), password: 'password 1' },
    });
    assert.equal(duplicate.status, 409);

    const member = await newMember(s.url, admin, 'USER');
    assert.equal((await rest(s.url, 'GET', '/api/v1/users', { token: member.token })).status, 403);
    assert.equal((await rest(s.url, 'DELETE', `/api/v1/users/${id}`, { token: member.token })).status, 403);

    const other = await newOrganization(s.url);
    assert.equal((await rest(s.url, 'GET', `/api/v1/users/${other.id}`, { token: admin.token })).status, 404);
    assert.equal((await rest(s.url, 'PUT', `/api/v1/users/${other.id}`, { token: admin.token, body: { first_name: 'x' } })).status, 404);
    assert.equal((await rest(s.url, 'DELETE', `/api/v1/users/${other.id}`, { token: admin.token })).status, 404);
    assert.equal((await rest(s.url, 'GET', '/api/v1/users/not-a-number', { token: admin.token })).status, 422);

    assert.equal((await rest(s.url, 'DELETE', `/api/v1/users/${id}`, { token: admin.token })).status, 204);
    assert.equal((await rest(s.url, 'GET', `/api/v1/users/${id}`, { token: admin.token })).status, 404);
  });

  it('reads and updates the own profile at /users/me', async () => {
    const member = await newMember(s.url, admin, 'USER');
    const updated = await rest(s.url, 'PUT', '/api/v1/users/me', { token: member.token, body: { first_name: 'Мария' } });
    assert.equal(updated.body.first_name, 'Мария');
    assert.equal((await rest(s.url, 'GET', '/api/v1/users/me', { token: member.token })).body.first_name, 'Мария');
    const bad = await rest(s.url, 'PUT', '/api/v1/users/me', { token: member.token, body: { email: 'not an email' } });
    assert.equal(bad.status, 422);
  });
});

describe('REST seed 004: /admin/auth', () => {
  let s: Stack;
  before(async () => (s = await stack()));

  it('logs in with the documented {access_token, token_type: "Bearer"}', async () => {
    const login = await rest(s.url, 'POST', '/admin/auth/login', { body: { username: 'admin', password: 'admin' } });
    assert.equal(login.status, 200);
    assert.deepEqual(Object.keys(login.body).sort(), ['access_token', 'token_type']);
    assert.equal(login.body.token_type, 'Bearer');
    const token = login.body.access_token;
    assert.equal((await rest(s.url, 'GET', '/admin/auth/me', { token })).body.username, 'admin');
    const status = await rest(s.url, 'GET', '/admin/auth/status', { token });
    assert.deepEqual([status.body.authenticated, status.body.role, status.body.via], [true, 'admin', 'user']);
    assert.equal((await rest(s.url, 'GET', '/admin/auth/status')).body.authenticated, false);
    assert.equal((await rest(s.url, 'GET', '/admin/auth/profile', { token })).status, 200);
    assert.equal((await rest(s.url, 'POST', '/admin/auth/login', { body: { username: 'admin', password: 'wrong' } })).status, 401);
    assert.equal((await rest(s.url, 'POST', '/admin/auth/login', { body: { username: 'admin' } })).status, 422);
  });

  it('updates the profile and changes the password', async () => {
    const admin = await newOrganization(s.url);
    const profile = await rest(s.url, 'PUT', '/admin/auth/profile', { token: admin.token, body: { last_name: 'Смирнова' } });
    assert.equal(profile.body.last_name, 'Смирнова');
    const wrong = await rest(s.url, 'POST', '/admin/auth/change-password', {
      token: admin.token,
      body: { current_password: 'nope', new_password: 'new password 1' },
    });
    assert.equal(wrong.status, 422);
    assert.equal(typeof wrong.body.detail, 'string');
    const short = await rest(s.url, 'POST', '/admin/auth/change-password', {
      token: admin.token,
      body: { current_password: admin.password, new_password: 'x' },
    });
    assert.equal(short.status, 422);
    const ok = await rest(s.url, 'POST', '/admin/auth/change-password', {
      token: admin.token,
      body: { current_password: admin.password, new_password: 'new password 1' },
    });
    assert.deepEqual([ok.status, ok.body.status], [200, 'ok']);
    assert.equal(
      (await rest(s.url, 'POST', '/admin/auth/login', { body: { username: admin.username, password: 'new password 1' } })).status,
      200,
    );
  });
});
