import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { OPERATION_LIMITS, type Product } from '@salesgraph/gateway';
import { newOrganization, type Account } from './support/accounts.js';
import { graphql } from './support/client.js';
import { extraGateway } from './support/extra-gateway.js';
import { stack, type Stack } from './support/stack.js';

type Refusal = { message: string; extensions?: { code?: string } }[];

/** The errors a subscription is refused with over graphql-ws (it must be refused, not delivered). */
async function refusalOverWebSocket(url: string, token: string, query: string): Promise<Refusal> {
  const client: Client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  try {
    return await new Promise<Refusal>((resolve, reject) => {
      client.subscribe(
        { query },
        {
          next: (value) => reject(new Error(`delivered instead of refused: ${JSON.stringify(value)}`)),
          error: (error) => (Array.isArray(error) ? resolve(error as Refusal) : reject(error)),
          complete: () => reject(new Error('completed instead of refused')),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const MISSPELT_SUBSCRIPTION = 'subscription { incomingCal { id } }';
const MISSPELT_FIELD = 'subscription { incomingCall { idd } }';
const MISSPELT_QUERY = '{ authStatus { authenticatd } }';
const MISSPELT_VARIABLE = 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }';
const nest = (depth: number): string => (depth === 0 ? 'id' : `call { ${nest(depth - 1)} }`);
const TOO_DEEP = `subscription { incomingCall { ${nest(OPERATION_LIMITS.maxDepth + 1)} } }`;

const messages = (errors: Refusal | undefined) => (errors ?? []).map((e) => e.message);

describe('validation: one rule set and one masking for HTTP and WebSocket', () => {
  let s: Stack;
  let admin: Account;
  let production: Product;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    production = await extraGateway(s, { settings: { ...s.settings, production: true } });
  });
  after(() => production?.close());

  it('suggests field names in development, over both doors', async () => {
    for (const query of [MISSPELT_SUBSCRIPTION, MISSPELT_FIELD]) {
      const errors = await refusalOverWebSocket(s.url, admin.token, query);
      assert.ok(
        messages(errors).some((m) => /Did you mean/.test(m)),
        JSON.stringify(errors),
      );
      assert.equal(errors[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    }
    const http = await graphql(s.url, MISSPELT_QUERY, {}, { token: admin.token });
    assert.ok(
      messages(http.errors).some((m) => /Did you mean "authenticated"\?/.test(m)),
      JSON.stringify(http.errors),
    );
    const variables = await graphql(s.url, MISSPELT_VARIABLE, { i: { logn: 'x', password: 'y' } });
    assert.ok(
      messages(variables.errors).some((m) => /Did you mean "login"\?/.test(m)),
      JSON.stringify(variables.errors),
    );
  });

  it('hides suggestions in production, over both doors, and keeps the rest of the message', async () => {
    for (const query of [MISSPELT_SUBSCRIPTION, MISSPELT_FIELD]) {
      const errors = await refusalOverWebSocket(production.url, admin.token, query);
      assert.ok(errors.length > 0);
      assert.ok(
        messages(errors).every((m) => !/Did you mean|incomingCall"|"id"/.test(m)),
        JSON.stringify(errors),
      );
      assert.equal(errors[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    }
    const [field] = messages(await refusalOverWebSocket(production.url, admin.token, MISSPELT_FIELD));
    assert.equal(field, 'Cannot query field "idd" on type "CallEvent".');
    const http = await graphql(production.url, MISSPELT_QUERY, {}, { token: admin.token });
    assert.deepEqual(messages(http.errors), ['Cannot query field "authenticatd" on type "AuthStatus".']);
    const variables = await graphql(production.url, MISSPELT_VARIABLE, { i: { logn: 'x', password: 'y' } });
    assert.ok(
      variables.errors?.length && messages(variables.errors).every((m) => !/Did you mean/.test(m)),
      JSON.stringify(variables.errors),
    );
  });

  it('applies the same operation limits on both doors, with the same message', async () => {
    const overWebSocket = messages(await refusalOverWebSocket(production.url, admin.token, TOO_DEEP));
    const overHttp = messages((await graphql(production.url, TOO_DEEP, {}, { token: admin.token })).errors);
    const depth = (all: string[]) => all.filter((m) => /depth/i.test(m));
    assert.equal(depth(overWebSocket).length, 1, JSON.stringify(overWebSocket));
    assert.deepEqual(depth(overHttp), depth(overWebSocket));
  });
});
