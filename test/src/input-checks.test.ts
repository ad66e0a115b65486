import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { NotNullConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { formatError, MAX_OFFSET } from '@salesgraph/platform';
import { anotherClient, newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, rest } from './support/client.js';
import { stack, type Stack } from './support/stack.js';

const fieldsOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  ((result.errors?.[0]?.extensions?.fields ?? []) as { field: string }[]).map((f) => f.field);
const cursor = (text: string) => Buffer.from(text).toString('base64url');

describe('input checks: refused as BAD_USER_INPUT naming the field, never a 500', () => {
  let s: Stack;
  let admin: Account;
  let callId: string;
  const gql = (query: string, variables: Record<string, unknown> = {}, token = admin.token) => graphql(s.url, query, variables, { token });

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    const created = await gql('mutation { createCall(input: {callerNumber: "+7 495 123-45-67"}) { id } }');
    callId = created.data.createCall.id;
  });

  it('refuses an explicit null where the field cannot be null, and leaves the row as it was', async () => {
    for (const [field, value] of [
      ['priority', 'HIGH'],
      ['tags', ['vip']],
      ['isMuted', true],
      ['isSpeakerOn', true],
    ] as const) {
      const refused = await gql('mutation($id: ID!, $i: UpdateCallInput!) { updateCall(id: $id, input: $i) { id } }', {
        id: callId,
        i: { [field]: null, notes: 'changed' },
      });
      assert.equal(codeOf(refused), 'BAD_USER_INPUT', JSON.stringify(refused.errors));
      assert.deepEqual(fieldsOf(refused), [field]);
      const given = await gql(`mutation($id: ID!, $i: UpdateCallInput!) { updateCall(id: $id, input: $i) { ${field} } }`, {
        id: callId,
        i: { [field]: value },
      });
      assert.deepEqual(given.data?.updateCall[field], value);
    }
    const call = await gql('query($id: ID!) { call(id: $id) { notes priority } }', { id: callId });
    assert.deepEqual(call.data.call, { notes: null, priority: 'HIGH' });

    const task = (await gql('mutation { createCallTask(input: {title: "Call back"}) { id } }')).data.createCallTask;
    const untitled = await gql('mutation($id: ID!) { updateCallTask(id: $id, input: {title: null, status: null}) { id } }', {
      id: task.id,
    });
    assert.equal(codeOf(untitled), 'BAD_USER_INPUT');
    assert.deepEqual(fieldsOf(untitled).sort(), ['status', 'title']);

    const member = await newMember(s.url, admin, 'USER');
    const nameless = await gql('mutation($id: ID!) { updateUser(id: $id, input: {email: null}) { id } }', { id: member.id });
    assert.deepEqual([codeOf(nameless), fieldsOf(nameless)], ['BAD_USER_INPUT', ['email']]);
  });

  it('refuses the NUL character in every string, nested ones included, and writes nothing', async () => {
    const integration = await gql('mutation { createTelephonyIntegration(input: {name: "\\u0000"}) { secret } }');
    assert.deepEqual([codeOf(integration), fieldsOf(integration)], ['BAD_USER_INPUT', ['name']]);
    assert.match(integration.errors![0].message, /NUL/);
    assert.deepEqual((await gql('{ telephonyIntegrations { id } }')).data.telephonyIntegrations, []);

    const company = await gql('mutation($i: CreateCompanyInput!) { createCompany(input: $i) { id } }', {
      i: {
        name: 'Nul Trading',
        phones: [{ phoneNumber: '+7 495 000-00-01' }, { phoneNumber: '+7 495 000-00-02', contactPerson: 'Ivan\u0000' }],
      },
    });
    assert.deepEqual([codeOf(company), fieldsOf(company)], ['BAD_USER_INPUT', ['phones[1].contactPerson']]);
    assert.equal((await gql('{ companies(search: "Nul Trading") { totalCount } }')).data.companies.totalCount, 0);

    for (const [query, variables] of [
      ['query($s: String) { calls(search: $s) { totalCount } }', { s: 'a\u0000b' }],
      ['mutation($id: ID!, $n: String!) { updateCallNotes(id: $id, notes: $n) { id } }', { id: callId, n: '\u0000' }],
      ['query($id: ID!) { call(id: $id) { id } }', { id: `${callId}\u0000` }],
    ] as const) {
      assert.equal(codeOf(await gql(query, variables)), 'BAD_USER_INPUT', query);
    }
  });

  it('bounds every string: the notes and outcome of a call, searches, ids', async () => {
    const long = 'x'.repeat(10_001);
    const notes = await gql('mutation($id: ID!, $n: String!) { updateCallNotes(id: $id, notes: $n) { id } }', { id: callId, n: long });
    assert.deepEqual([codeOf(notes), fieldsOf(notes)], ['BAD_USER_INPUT', ['notes']]);
    const fits = await gql('mutation($id: ID!, $n: String!) { updateCallNotes(id: $id, notes: $n) { id } }', {
      id: callId,
      n: long.slice(1),
    });
    assert.equal(fits.errors, undefined);
    await gql('mutation($id: ID!) { answerCall(id: $id) { id } }', { id: callId });
    const outcome = await gql('mutation($id: ID!, $o: String) { endCall(id: $id, outcome: $o) { id } }', { id: callId, o: long });
    assert.deepEqual([codeOf(outcome), fieldsOf(outcome)], ['BAD_USER_INPUT', ['outcome']]);
    const search = await gql('query($s: String) { companies(search: $s) { totalCount } }', { s: 'x'.repeat(101) });
    assert.deepEqual([codeOf(search), fieldsOf(search)], ['BAD_USER_INPUT', ['search']]);
    const id = await gql('query($id: ID!) { call(id: $id) { id } }', { id: '1'.repeat(101) });
    assert.equal(codeOf(id), 'BAD_USER_INPUT');
    const url = await gql('mutation($id: ID!, $u: String) { updateCall(id: $id, input: {recordingUrl: $u}) { id } }', {
      id: callId,
      u: `https://example.com/${'r'.repeat(1000)}`,
    });
    assert.deepEqual([codeOf(url), fieldsOf(url)], ['BAD_USER_INPUT', ['recordingUrl']]);
  });

  it('bounds offsets and integer ids, and refuses cursors it never issued, however well-formed', async () => {
    for (const after of [cursor('offset:99999999999999999999'), cursor(`offset:${MAX_OFFSET}`), cursor('offset:-1'), 'not a cursor']) {
      const result = await gql('query($a: String) { calls(after: $a) { totalCount } }', { a: after });
      assert.deepEqual([codeOf(result), fieldsOf(result)], ['BAD_USER_INPUT', ['after']], after);
    }
    const deep = await gql('query($o: Int) { companies(offset: $o) { totalCount } }', { o: MAX_OFFSET + 1 });
    assert.equal(codeOf(deep), 'BAD_USER_INPUT');
    const issued = (await gql('{ calls(first: 1) { pageInfo { endCursor } } }')).data.calls.pageInfo.endCursor;
    const next = await gql('query($a: String) { calls(after: $a, offset: null) { totalCount } }', { a: issued });
    assert.equal(next.errors, undefined, JSON.stringify(next.errors));
    const nullCursor = await gql('{ calls(after: null) { totalCount } }');
    assert.equal(nullCursor.errors, undefined, JSON.stringify(nullCursor.errors));
    // Integer keys are PostgreSQL integers: a larger id names no row and is refused before any query.
    const huge = await gql('query($id: ID!) { call(id: $id) { id } }', { id: String(2 ** 31) });
    assert.deepEqual([codeOf(huge), fieldsOf(huge)], ['BAD_USER_INPUT', ['id']]);
  });

  it('takes an empty idempotency key for none, and answers racing deliveries of one key with one call', async () => {
    const empty = await Promise.all(
      [1, 2].map(() =>
        rest(s.url, 'POST', '/api/v1/calls', { token: admin.token, body: { caller_number: '+7 495 111-11-11', external_id: '' } }),
      ),
    );
    assert.deepEqual(
      empty.map((r) => r.status),
      [201, 201],
    );
    assert.notEqual(empty[0].body.id, empty[1].body.id);
    const raced = await Promise.all(
      Array.from({ length: 5 }, () =>
        gql('mutation { createCall(input: {callerNumber: "+7 495 222-22-22", externalId: "pbx-race"}) { id } }'),
      ),
    );
    assert.deepEqual(
      raced.map((r) => r.errors),
      [undefined, undefined, undefined, undefined, undefined],
      JSON.stringify(raced.map((r) => r.errors)),
    );
    assert.equal(new Set(raced.map((r) => r.data.createCall.id)).size, 1);
  });

  it('answers REST with the seed’s 4xx shape for the same input', async () => {
    const nul = await rest(s.url, 'PUT', `/api/calls/${callId}`, { token: admin.token, body: { notes: 'a\u0000b' } });
    assert.deepEqual([nul.status, nul.body.success, nul.body.error.code], [400, false, 'VALIDATION_ERROR']);
    const search = await rest(s.url, 'GET', '/api/v1/calls?search=%00', { token: admin.token });
    assert.equal(search.status, 422);
    assert.equal(typeof search.body.detail, 'string');
    const page = await rest(s.url, 'GET', '/api/v1/users?skip=2000000', { token: admin.token });
    assert.equal(page.status, 422);
    const task = await rest(s.url, 'POST', '/api/v1/calls/tasks', { token: admin.token, body: { title: 'x', assigned_user_id: 2 ** 31 } });
    assert.equal(task.status, 422);
  });
});

describe('REST: who may not write hears 401/403 before anything about the request', () => {
  let s: Stack;
  let admin: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
  });

  it('refuses a guest’s or a plain user’s incomplete or malformed admin write with 403, an anonymous one with 401', async () => {
    const guest = await newMember(s.url, admin, 'GUEST');
    const user = await newMember(s.url, admin, 'USER');
    for (const body of [{}, { email: 'x' }, '{"email": ', []]) {
      for (const member of [guest, user]) {
        const created = await rest(s.url, 'POST', '/api/v1/users/', { token: member.token, body });
        assert.equal(created.status, 403, `${member.username} ${JSON.stringify(body)} → ${created.status} ${JSON.stringify(created.body)}`);
        assert.equal(typeof created.body.detail, 'string');
      }
      assert.equal((await rest(s.url, 'POST', '/api/v1/users/', { body, headers: anotherClient() })).status, 401);
    }
    assert.equal((await rest(s.url, 'PUT', `/api/v1/users/${user.id}`, { token: user.token, body: { is_active: 'no' } })).status, 403);
    assert.equal((await rest(s.url, 'DELETE', '/api/v1/users/not-a-number', { token: user.token })).status, 403);
    // Guests are read-only everywhere, in every seed's shape.
    const notes = await rest(s.url, 'POST', '/api/calls/1/notes', { token: guest.token, body: { notes: 42 } });
    assert.deepEqual([notes.status, notes.body.error?.code], [403, 'FORBIDDEN']);
    assert.equal((await rest(s.url, 'PUT', '/admin/auth/profile', { token: guest.token, body: { email: 'not an email' } })).status, 403);
    assert.equal((await rest(s.url, 'GET', '/api/v1/calls', { token: guest.token })).status, 200);
    // An admin's invalid body is still a validation error.
    assert.equal((await rest(s.url, 'POST', '/api/v1/users/', { token: admin.token, body: {} })).status, 422);
  });

  it('documents as public exactly the routes whose operations need no credentials', async () => {
    const doc = await rest(s.url, 'GET', '/openapi.json', { headers: anotherClient() });
    const publicRoutes = Object.entries(doc.body.paths as Record<string, Record<string, { security?: unknown[] }>>)
      .flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, o]) => o.security?.length === 0)
          .map(([method]) => `${method} ${path}`),
      )
      .sort();
    assert.deepEqual(publicRoutes, [
      'get /admin/auth/status',
      'get /api/health',
      'get /health',
      'post /admin/auth/login',
      'post /api/v1/auth/login',
      'post /api/v1/auth/logout',
      'post /api/v1/auth/refresh',
    ]);
  });
});

describe('formatError: database errors caused by input', () => {
  const asResolverError = (error: Error) => new GraphQLError(error.message, { originalError: error, path: ['updateCall'] });

  it('turns a NOT NULL violation into BAD_USER_INPUT naming the field, and a unique violation into CONFLICT', () => {
    const notNull = new NotNullConstraintViolationException(
      Object.assign(new Error('null value in column "is_speaker_on"'), { code: '23502', column: 'is_speaker_on' }),
    );
    const formatted = formatError({ message: notNull.message, path: ['updateCall'] }, asResolverError(notNull));
    assert.deepEqual(formatted.extensions, { code: 'BAD_USER_INPUT', fields: [{ field: 'isSpeakerOn', message: 'must not be null' }] });
    const unique = new UniqueConstraintViolationException(Object.assign(new Error('duplicate key'), { code: '23505' }));
    assert.equal(formatError({ message: unique.message }, asResolverError(unique)).extensions?.code, 'CONFLICT');
  });
});
