import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CreateUserDocument,
  DeleteUserDocument,
  UpdateProfileDocument,
  UpdateUserDocument,
  UserDocument,
  UsersDocument,
} from '@salesgraph/gateway/generated';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, unique } from './support/client.js';
import { stack, type Stack } from './support/stack.js';
import { statementsOf } from './support/statements.js';

const LIST = { orderBy: 'ID', direction: 'ASC' } as const;

describe('identity: users, roles and tenancy', () => {
  let s: Stack;
  let admin: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
  });

  it('lets admins create, list, search, update and delete users', async () => {
    const name = unique('ann');
    const created = await graphql(
      s.url,
      CreateUserDocument,
      {
        input: {
          email: `${name}@example.com`,
          username: name,
          password: 'password 1',
          firstName: 'Анна',
          lastName: 'Иванова',
          role: 'MANAGER',
        },
      },
      { token: admin.token },
    );
    assert.equal(created.data?.createUser.role, 'MANAGER');
    const id = created.data.createUser.id;

    const found = await graphql(s.url, UsersDocument, { ...LIST, search: 'иванова' }, { token: admin.token });
    assert.deepEqual(
      found.data?.users.nodes.map((u) => u.id),
      [id],
    );
    const managers = await graphql(s.url, UsersDocument, { ...LIST, role: 'MANAGER' }, { token: admin.token });
    assert.ok(managers.data?.users.nodes.every((u) => u.role === 'MANAGER'));

    const updated = await graphql(s.url, UpdateUserDocument, { id, input: { role: 'ANALYST', isActive: false } }, { token: admin.token });
    assert.equal(updated.data?.updateUser.role, 'ANALYST');
    assert.equal(updated.data?.updateUser.isActive, false);
    const deactivatedLogin = await graphql(s.url, `mutation { login(input: {login: "${name}", password: "password 1"}) { accessToken } }`);
    assert.equal(codeOf(deactivatedLogin), 'UNAUTHENTICATED');

    const deleted = await graphql(s.url, DeleteUserDocument, { id }, { token: admin.token });
    assert.equal(deleted.data?.deleteUser, true);
    assert.equal((await graphql(s.url, UserDocument, { id }, { token: admin.token })).data?.user, null);
  });

  it('pages with cursors and offsets, sorted', async () => {
    for (let i = 0; i < 3; i++) await newMember(s.url, admin, 'USER');
    const page1 = await graphql(
      s.url,
      `
        query {
          users(first: 2) {
            totalCount
            pageInfo {
              hasNextPage
              endCursor
            }
            nodes {
              id
            }
          }
        }
      `,
      {},
      { token: admin.token },
    );
    const { totalCount, pageInfo, nodes } = page1.data.users;
    assert.equal(nodes.length, 2);
    assert.ok(totalCount >= 4 && pageInfo.hasNextPage);
    const page2 = await graphql(
      s.url,
      `
        query ($after: String) {
          users(first: 2, after: $after) {
            nodes {
              id
            }
          }
        }
      `,
      { after: pageInfo.endCursor },
      { token: admin.token },
    );
    const byOffset = await graphql(
      s.url,
      `
        query {
          users(first: 2, offset: 2) {
            nodes {
              id
            }
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.deepEqual(page2.data.users.nodes, byOffset.data.users.nodes);
    assert.ok(Number(page2.data.users.nodes[0].id) > Number(nodes[1].id));
    const desc = await graphql(s.url, UsersDocument, { orderBy: 'EMAIL', direction: 'DESC' }, { token: admin.token });
    const emails = desc.data!.users.nodes.map((u) => u.email);
    assert.deepEqual(emails, [...emails].sort().reverse());

    const badCursor = await graphql(
      s.url,
      `
        query {
          users(after: "bm9wZQ") {
            totalCount
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.equal(codeOf(badCursor), 'BAD_USER_INPUT');
    const tooBig = await graphql(
      s.url,
      `
        query {
          users(first: 201) {
            totalCount
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.equal(codeOf(tooBig), 'BAD_USER_INPUT');
    // Far larger pages are refused even before execution, by the gateway's cost limit.
    const huge = await graphql(
      s.url,
      `
        query {
          users(first: 100000) {
            totalCount
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.equal(codeOf(huge), 'GRAPHQL_VALIDATION_FAILED');
  });

  it('keeps user management to admins and guests read-only', async () => {
    const manager = await newMember(s.url, admin, 'MANAGER');
    const guest = await newMember(s.url, admin, 'GUEST');
    for (const who of [manager, guest]) {
      assert.equal(codeOf(await graphql(s.url, UsersDocument, LIST, { token: who.token })), 'FORBIDDEN');
      const create = await graphql(
        s.url,
        CreateUserDocument,
        { input: { email: `${unique()}@x.io`, username: unique(), password: 'password 1' } },
        { token: who.token },
      );
      assert.equal(codeOf(create), 'FORBIDDEN');
    }
    // Everyone signed in may read a colleague; only guests may not change even their own profile.
    assert.equal((await graphql(s.url, UserDocument, { id: admin.id }, { token: guest.token })).data?.user?.id, admin.id);
    assert.equal(codeOf(await graphql(s.url, UpdateProfileDocument, { input: { firstName: 'G' } }, { token: guest.token })), 'FORBIDDEN');
    assert.equal(
      (await graphql(s.url, UpdateProfileDocument, { input: { firstName: 'M' } }, { token: manager.token })).data?.updateProfile.firstName,
      'M',
    );
  });

  it('answers "not found" for another organization\'s users on every operation', async () => {
    const other = await newOrganization(s.url);
    const read = await graphql(s.url, UserDocument, { id: other.id }, { token: admin.token });
    const update = await graphql(s.url, UpdateUserDocument, { id: other.id, input: { firstName: 'x' } }, { token: admin.token });
    const remove = await graphql(s.url, DeleteUserDocument, { id: other.id }, { token: admin.token });
    assert.equal(read.data?.user, null);
    assert.equal(codeOf(update), 'NOT_FOUND');
    assert.equal(codeOf(remove), 'NOT_FOUND');
    const list = await graphql(s.url, UsersDocument, { ...LIST, search: other.username }, { token: admin.token });
    assert.equal(list.data?.users.totalCount, 0);
    // Federation references are tenant-checked as well.
    const entities = await graphql(
      s.url,
      `
        query {
          me {
            organization {
              id
            }
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.equal(entities.data.me.organization.id, admin.organizationId);
  });

  it('refuses self-demotion and bad ids with coded errors', async () => {
    assert.equal(
      codeOf(await graphql(s.url, UpdateUserDocument, { id: admin.id, input: { role: 'USER' } }, { token: admin.token })),
      'FORBIDDEN',
    );
    assert.equal(codeOf(await graphql(s.url, DeleteUserDocument, { id: admin.id }, { token: admin.token })), 'FORBIDDEN');
    assert.equal(codeOf(await graphql(s.url, UserDocument, { id: 'abc' }, { token: admin.token })), 'BAD_USER_INPUT');
    const wrongType = await graphql(
      s.url,
      `
        query {
          users(first: "ten") {
            totalCount
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.equal(codeOf(wrongType), 'GRAPHQL_VALIDATION_FAILED');
  });

  it('lists users in a constant number of SQL statements, however many rows', async () => {
    const org = await newOrganization(s.url);
    const count = async () => {
      const query = `query { users(first: 200) { totalCount nodes { id email organization { id name } } } }`;
      const { statements, result } = await statementsOf(() => graphql(s.url, query, {}, { token: org.token }));
      assert.equal(result.errors, undefined);
      return { statements, rows: result.data.users.nodes.length };
    };
    await newMember(s.url, org, 'USER');
    const small = await count();
    for (let i = 0; i < 8; i++) await newMember(s.url, org, 'USER');
    const large = await count();
    assert.ok(large.rows >= small.rows + 8);
    assert.equal(large.statements, small.statements, `statements grew from ${small.statements} to ${large.statements}`);
  });
});
