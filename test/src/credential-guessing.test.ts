import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { Product } from '@salesgraph/gateway';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, type GraphQLResult } from './support/client.js';
import { extraGateway } from './support/extra-gateway.js';
import { stack, type Stack } from './support/stack.js';
import { statementsOf } from './support/statements.js';

const AUTH_STATUS = '{ authStatus { authenticated } }';
const LIMIT = 10;

const randomKey = () => ({ 'x-api-key': `sgk_${randomBytes(24).toString('base64url')}` });
const from = (address: string, headers: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': address, ...headers } });

describe('gateway: refused credentials count against the address', () => {
  let s: Stack;
  let admin: Account;
  let gateway: Product;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    // An hour's window, so no test straddles two; a small budget, so it is spent quickly.
    gateway = await extraGateway(s, {
      settings: s.settings,
      trustProxy: true,
      rateLimits: { anonymousPerWindow: LIMIT, windowMs: 3_600_000 },
    });
  });
  after(() => gateway?.close());

  it('refuses unknown credentials with 429 and no lookup once the refused ones have spent the budget', async () => {
    const address = '192.0.2.10';
    assert.equal(
      (await graphql(gateway.url, AUTH_STATUS, {}, { token: admin.token, ...from(address) })).data?.authStatus.authenticated,
      true,
    );
    const looked = await statementsOf(() => graphql(gateway.url, AUTH_STATUS, {}, from('192.0.2.11', randomKey())), 1);
    assert.equal(looked.result.status, 401);
    assert.ok(looked.statements >= 1, 'a key is looked up in the database while the budget lasts');

    for (let i = 0; i < LIMIT; i++) {
      const refused = await graphql(gateway.url, AUTH_STATUS, {}, from(address, randomKey()));
      assert.deepEqual([refused.status, codeOf(refused)], [401, 'UNAUTHENTICATED'], `guess ${i + 1}`);
    }
    const blocked = await statementsOf(() => graphql(gateway.url, AUTH_STATUS, {}, from(address, randomKey())));
    assert.deepEqual([blocked.result.status, codeOf(blocked.result)], [429, 'RATE_LIMITED']);
    assert.ok(Number(blocked.result.headers.get('retry-after')) > 0);
    assert.equal(blocked.statements, 0, 'no lookup once the budget is spent');
    const forgedToken = await graphql(gateway.url, AUTH_STATUS, {}, { token: `${admin.token.slice(0, -2)}xx`, ...from(address) });
    assert.equal(forgedToken.status, 429);
    assert.equal((await graphql(gateway.url, AUTH_STATUS, {}, from(address))).status, 429, 'anonymous requests share the budget');

    // A credential already known good here still works from that address; one never seen waits like a guess.
    assert.equal(
      (await graphql(gateway.url, AUTH_STATUS, {}, { token: admin.token, ...from(address) })).data?.authStatus.authenticated,
      true,
    );
    const member = await newMember(s.url, admin, 'USER');
    assert.equal((await graphql(gateway.url, AUTH_STATUS, {}, { token: member.token, ...from(address) })).status, 429);
    assert.equal(
      (await graphql(gateway.url, AUTH_STATUS, {}, from('192.0.2.12', randomKey()))).status,
      401,
      'another address is unaffected',
    );
  });

  it('lets at most the budget of parallel guesses reach a lookup', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 30 }, () => graphql(gateway.url, AUTH_STATUS, {}, from('192.0.2.20', randomKey()))),
    );
    const statuses = (results: GraphQLResult<unknown>[]) =>
      results
        .map((r) => r.status)
        .sort()
        .join(',');
    assert.equal(statuses(guesses), [...Array(LIMIT).fill(401), ...Array(30 - LIMIT).fill(429)].join(','));
  });

  it('counts credentials refused over WebSocket against the same budget', async () => {
    const address = '192.0.2.40';
    /** A graphql-ws connection from `address` authenticating with a random API key: the code it closes with. */
    const guess = () =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${gateway.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
          headers: { 'x-forwarded-for': address },
        });
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: randomKey() })));
        socket.on('close', (code) => resolve(code));
        socket.on('error', () => undefined);
      });
    const codes: number[] = [];
    for (let i = 0; i <= LIMIT; i++) codes.push(await guess());
    assert.deepEqual(codes, [...Array(LIMIT).fill(4401), 4429]);
    assert.equal((await graphql(gateway.url, AUTH_STATUS, {}, from(address, randomKey()))).status, 429, 'HTTP shares the spent budget');
  });

  it('does not count a good credential against the anonymous budget', async () => {
    const address = '192.0.2.30';
    const member = await newMember(s.url, admin, 'USER');
    assert.equal(
      (await graphql(gateway.url, AUTH_STATUS, {}, { token: member.token, ...from(address) })).data?.authStatus.authenticated,
      true,
    );
    for (let i = 0; i < LIMIT; i++) {
      assert.equal((await graphql(gateway.url, AUTH_STATUS, {}, from(address))).status, 200, `anonymous request ${i + 1}`);
    }
    assert.equal((await graphql(gateway.url, AUTH_STATUS, {}, from(address))).status, 429);
  });
});
