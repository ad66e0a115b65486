import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql } from './support/client.js';
import { stack, type Stack } from './support/stack.js';

const CREATE = `mutation($input: CreateAiNoteInput!) { createAiNote(input: $input) { id title authorId } }`;
const LIST = `query { aiNotes { totalCount nodes { id title } } }`;

describe('ai: notes', () => {
  let s: Stack;
  let admin: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
  });

  it('creates a note through the gateway and lists it for its organization only', async () => {
    const created = await graphql(s.url, CREATE, { input: { title: ' First ' } }, { token: admin.token });
    assert.ok(created.data, JSON.stringify(created.errors));
    const note = created.data.createAiNote;
    assert.equal(note.title, 'First');
    assert.equal(note.authorId, admin.id);
    const listed = await graphql(s.url, LIST, {}, { token: admin.token });
    assert.deepEqual(
      listed.data.aiNotes.nodes.map((n: { title: string }) => n.title),
      ['First'],
    );

    const stranger = await newOrganization(s.url);
    assert.equal((await graphql(s.url, LIST, {}, { token: stranger.token })).data.aiNotes.totalCount, 0);
  });

  it('refuses bad input, guests and anonymous callers with a code', async () => {
    assert.equal(codeOf(await graphql(s.url, CREATE, { input: { title: '' } }, { token: admin.token })), 'BAD_USER_INPUT');
    const guest = await newMember(s.url, admin, 'GUEST');
    assert.equal(codeOf(await graphql(s.url, CREATE, { input: { title: 'x' } }, { token: guest.token })), 'FORBIDDEN');
    assert.equal(codeOf(await graphql(s.url, LIST, {})), 'UNAUTHENTICATED');
  });
});
