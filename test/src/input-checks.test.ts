import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { NotNullConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { formatError, MAX_OFFSET } from '@salesgraph/platform';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql } from './support/client.js';
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
    for (const [field, value] of [['priority', 'HIGH'], ['tags', ['vip']], ['isMuted', true], ['isSpeakerOn', true]] as const) {
      const refused = await gql('mutation($id: ID!, $i: UpdateCallInput!) { updateCall(id: $id, input: $i) { id } }', { id: callId, i: { [field]: null, notes: 'changed' } });
      assert.equal(codeOf(refused), 'BAD_USER_INPUT', JSON.stringify(refused.errors));
      assert.deepEqual(fieldsOf(refused), [field]);
      const given = await gql(`mutation($id: ID!, $i: UpdateCallInput!) { updateCall(id: $id, input: $i) { ${field} } }`, { id: callId, i: { [field]: value } });
      assert.deepEqual(given.data?.updateCall[field], value);
    }
    const call = await gql('query($id: ID!) { call(id: $id) { notes priority } }', { id: callId });
    assert.deepEqual(call.data.call, { notes: null, priority: 'HIGH' });

    const task = (await gql('mutation { createCallTask(input: {title: "Call back"}) { id } }')).data.createCallTask;
    const untitled = await gql('mutation($id: ID!) { updateCallTask(id: $id, input: {title: null, status: null}) { id } }', { id: task.id });
    assert.equal(codeOf(untitled), 'BAD_USER_INPUT');
    assert.deepEqual(fieldsOf(untitled).sort(), ['status', 'title']);

    const member = await newMember(s.url, admin, 'USER');
    const nameless = await gql('mutation($id: ID!) { updateUser(id: $id, input: {email: null}) { id } }', { id: member.id });
    assert.deepEqual([codeOf(nameless), fieldsOf(nameless)], ['BAD_USER_INPUT', ['email']]);
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
});

describe('formatError: database errors caused by input', () => {
  const asResolverError = (error: Error) => new GraphQLError(error.message, { originalError: error, path: ['updateCall'] });

  it('turns a NOT NULL violation into BAD_USER_INPUT naming the field, and a unique violation into CONFLICT', () => {
    const notNull = new NotNullConstraintViolationException(Object.assign(new Error('null value in column "is_speaker_on"'), { code: '23502', column: 'is_speaker_on' }));
    const formatted = formatError({ message: notNull.message, path: ['updateCall'] }, asResolverError(notNull));
    assert.deepEqual(formatted.extensions, { code: 'BAD_USER_INPUT', fields: [{ field: 'isSpeakerOn', message: 'must not be null' }] });
    const unique = new UniqueConstraintViolationException(Object.assign(new Error('duplicate key'), { code: '23505' }));
    assert.equal(formatError({ message: unique.message }, asResolverError(unique)).extensions?.code, 'CONFLICT');
  });
});
