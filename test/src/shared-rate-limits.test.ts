import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql } from './support/client.js';
import { startGatewayProcess, type ProductProcess } from './support/processes.js';
import { stack, tempDir, type Stack } from './support/stack.js';
import { statementsOf } from './support/statements.js';

const AUTH_STATUS = '{ authStatus { authenticated } }';
const ANONYMOUS_LIMIT = 5;
const AUTHENTICATED_LIMIT = 8;
const WEBHOOK_LIMIT = 4;

/** An address of this run only (the shared stores outlive it): 100.64.0.0/10, carrier-grade NAT space. */
const freshAddress = () => `100.${64 + randomInt(64)}.${randomInt(256)}.${randomInt(256)}`;
const from = (address: string, headers: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': address, ...headers } });
const randomKey = () => ({ 'x-api-key': `sgk_${randomBytes(24).toString('base64url')}` });

const stores = [
  {
    kind: 'postgres',
    // REDIS_URL emptied: the PostgreSQL server is the store only without Redis.
    env: () => ({ DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: '' }),
    skip: !process.env.DATABASE_URL && 'needs DATABASE_URL: the counters are shared through the PostgreSQL server',
  },
  {
    kind: 'redis',
    env: () => ({ REDIS_URL: process.env.REDIS_URL }),
    skip: !process.env.REDIS_URL && 'needs REDIS_URL: the counters are shared through Redis',
  },
];

for (const { kind, env, skip } of stores) {
  describe(`rate limits shared by two gateway processes (${kind})`, { skip, timeout: 120_000 }, () => {
    let s: Stack;
    let admin: Account;
    let a: ProductProcess;
    let b: ProductProcess;
    before(async () => {
      s = await stack();
      admin = await newOrganization(s.url);
      // Two gateways in processes of their own, over the stack's subgraphs, as two replicas behind a load balancer.
      const subgraphUrls: Record<string, string> = {};
      for (const [name, server] of s.product.subgraphs) subgraphUrls[`SUBGRAPH_${name.toUpperCase()}_URL`] = await server.listen(0);
      const gatewayEnv = {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '0',
        JWT_SECRET: s.settings.jwtSecret,
        GATEWAY_SECRET: s.settings.gatewaySecret,
        SECRETS_KEY: s.settings.secretsKey,
        TRUST_PROXY: 'true',
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS_LIMIT),
        RATE_LIMIT_AUTHENTICATED_PER_MINUTE: String(AUTHENTICATED_LIMIT),
        RATE_LIMIT_WEBHOOK_PER_MINUTE: String(WEBHOOK_LIMIT),
        ...subgraphUrls,
        ...env(),
      };
      [a, b] = await Promise.all([
        startGatewayProcess({ ...gatewayEnv, DATA_DIR: tempDir() }),
        startGatewayProcess({ ...gatewayEnv, DATA_DIR: tempDir() }),
      ]);
    });
    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      for (const server of s.product.subgraphs.values()) await server.stopListening();
    });

    it('refuses the anonymous request over the budget on whichever gateway, counting both', async () => {
      const address = freshAddress();
      const statuses = [];
      for (const gateway of [a, a, a, b, b]) statuses.push((await graphql(gateway.url, AUTH_STATUS, {}, from(address))).status);
      assert.deepEqual(statuses, Array(ANONYMOUS_LIMIT).fill(200), '3 through A and 2 through B make the budget');
      for (const gateway of [a, b]) {
        const refused = await graphql(gateway.url, AUTH_STATUS, {}, from(address));
        assert.deepEqual([refused.status, codeOf(refused)], [429, 'RATE_LIMITED'], gateway === a ? 'A' : 'B');
        const retryAfter = Number(refused.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      }
      assert.equal((await graphql(b.url, AUTH_STATUS, {}, from(freshAddress()))).status, 200, 'another address is unaffected');
    });

    it('counts a user’s requests through both gateways against one authenticated budget', async () => {
      const member = await newMember(s.url, admin, 'USER');
      const address = freshAddress();
      const signedIn = (gateway: ProductProcess) => graphql(gateway.url, AUTH_STATUS, {}, { token: member.token, ...from(address) });
      const statuses = [];
      for (let i = 0; i < AUTHENTICATED_LIMIT; i++) statuses.push((await signedIn(i % 2 ? b : a)).status);
      assert.deepEqual(statuses, Array(AUTHENTICATED_LIMIT).fill(200));
      assert.equal((await signedIn(b)).status, 429);
      assert.equal((await signedIn(a)).status, 429);
      // Proving the token good on each gateway gave back what it first cost the address.
      assert.equal((await graphql(a.url, AUTH_STATUS, {}, from(address))).status, 200, 'the address’s anonymous budget is untouched');
    });

    it('counts refused credentials through both gateways against the address, then refuses them without a lookup', async () => {
      const address = freshAddress();
      const statuses = [];
      for (const gateway of [a, b, a, b, a])
        statuses.push((await graphql(gateway.url, AUTH_STATUS, {}, from(address, randomKey()))).status);
      assert.deepEqual(statuses, Array(ANONYMOUS_LIMIT).fill(401));
      for (const gateway of [b, a]) {
        // The identity subgraph runs in this process, so its statements are counted here.
        const refused = await statementsOf(() => graphql(gateway.url, AUTH_STATUS, {}, from(address, randomKey())));
        assert.deepEqual([refused.result.status, codeOf(refused.result)], [429, 'RATE_LIMITED']);
        assert.equal(refused.statements, 0, 'no lookup once the budget is spent');
      }
      assert.equal((await graphql(b.url, AUTH_STATUS, {}, from(address))).status, 429, 'anonymous requests share the spent budget');
    });

    it('counts one webhook sender’s posts through both gateways against one budget', async () => {
      // Counted before any check: an integration that does not exist is counted as one that does.
      const path = `/webhooks/telephony/${randomInt(1e9)}`;
      const post = (gateway: ProductProcess) =>
        fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const statuses = [];
      for (const gateway of [a, b, a, b]) statuses.push((await post(gateway)).status);
      assert.ok(
        statuses.every((status) => status !== 429),
        `within the budget: ${statuses.join(',')}`,
      );
      for (const gateway of [a, b]) {
        const refused = await post(gateway);
        assert.equal(refused.status, 429);
        assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      }
    });
  });
}
