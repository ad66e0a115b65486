import assert from 'node:assert/strict';
import { graphql, unique } from './client.js';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id organization { id } } } }`;
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`;

export interface Account {
  id: string;
  email: string;
  username: string;
  password: string;
  token: string;
  organizationId: string;
}

// Sign-ups and logins are anonymous requests, limited per address: each poses as its own client (the test
// stack trusts X-Forwarded-For), so a whole suite's sign-ups never exhaust one address's limit.
let address = 0;
export const anotherClient = () => {
  const n = address++;
  return { 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
};

/** A fresh organization with its admin signed in. */
export async function newOrganization(url: string): Promise<Account> {
  const name = unique('org');
  const input = { organizationName: `Org ${name}`, email: `${name}@example.com`, username: name, password: 'admin password' };
  const result = await graphql(url, SIGN_UP, { input }, { headers: anotherClient() });
  assert.ok(result.data, JSON.stringify(result.errors));
  const { accessToken, user } = result.data.signUp;
  return {
    id: user.id,
    email: input.email,
    username: name,
    password: input.password,
    token: accessToken,
    organizationId: user.organization.id,
  };
}

/** A user with `role` (GraphQL enum name) in the admin's organization, signed in. */
export async function newMember(url: string, admin: Account, role: string): Promise<Account> {
  const name = unique(role.toLowerCase());
  const input = { email: `${name}@example.com`, username: name, password: 'member password', role };
  const created = await graphql(url, CREATE_USER, { input }, { token: admin.token });
  assert.ok(created.data, JSON.stringify(created.errors));
  const login = await graphql(url, LOGIN, { input: { login: name, password: input.password } }, { headers: anotherClient() });
  assert.ok(login.data, JSON.stringify(login.errors));
  return {
    id: created.data.createUser.id,
    email: input.email,
    username: name,
    password: input.password,
    token: login.data.login.accessToken,
    organizationId: admin.organizationId,
  };
}
