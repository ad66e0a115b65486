import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDENTITY_HEADER, IdentitySigner, loadSettings, Role, type Identity } from '@salesgraph/platform';
import { startProduct } from '@salesgraph/gateway';
import { graphql, rest } from './support/client.js';
import { processEnv, startSubgraphProcess } from './support/processes.js';
import { loginToken } from './support/stack.js';
import { until } from './support/wait.js';
import { subgraphFetches } from './support/fetches.js';

describe('separate processes', () => {
  it('runs the identity subgraph as its own process behind the gateway', async () => {
    // On the server, the standalone subgraph shares the test database; embedded, it has its own folder.
    const env = processEnv('processes');
    const { url, stop } = await startSubgraphProcess('identity', env);
    const product = await startProduct({ settings: loadSettings({ ...process.env, ...env }), port: 0, subgraphUrls: { identity: url } });
    try {
      assert.ok(!product.subgraphs.has('identity'), 'identity runs in its own process');
      const token = await loginToken(product.url, 'admin', 'admin');
      const me = await graphql(
        product.url,
        `
          {
            me {
              username
              organization {
                name
              }
            }
          }
        `,
        {},
        { token },
      );
      assert.equal(me.data?.me.username, 'admin');
      const health = await rest(product.url, 'GET', '/health');
      assert.deepEqual([health.status, health.body.services.identity], [200, 'running']);
    } finally {
      await product.close();
      await stop();
    }
    const down = await startProduct({ settings: loadSettings({ ...process.env, ...env }), port: 0, subgraphUrls: { identity: url } });
    try {
      const health = await rest(down.url, 'GET', '/health');
      assert.deepEqual([health.status, health.body.status], [503, 'unhealthy']);
    } finally {
      await down.close();
    }
  });
  it('drops a user the gateway kept once identity, in its own process, announces a change made past the gateway', async () => {
    const identityEnv = processEnv('processes-identity');
    const identity = await startSubgraphProcess('identity', identityEnv);
    const product = await startProduct({
      settings: loadSettings({ ...process.env, ...processEnv('processes-gateway', { DATABASE_URL: identityEnv.DATABASE_URL }) }),
      port: 0,
      subgraphUrls: { identity: identity.url },
    });
    try {
      const token = await loginToken(product.url, 'admin', 'admin');
      const me = await graphql(product.url, '{ me { id organization { id } } }', {}, { token });
      const { id: adminId, organization } = me.data!.me as { id: string; organization: { id: string } };
      const created = await graphql(
        product.url,
        'mutation($input: CreateCallInput!) { createCall(input: $input) { id } }',
        { input: { callerNumber: '+74956660001', assignedUserId: adminId } },
        { token },
      );
      assert.ok(created.data, JSON.stringify(created.errors));
      const assignee = async () => {
        const page = await graphql(product.url, '{ calls(first: 50) { nodes { id assignedUser { firstName } } } }', {}, { token });
        assert.ok(page.data, JSON.stringify(page.errors));
        const call = (page.data.calls.nodes as { id: string; assignedUser: { firstName: string | null } }[]).find(
          (c) => c.id === created.data!.createCall.id,
        );
        return call?.assignedUser?.firstName;
      };
      await assignee();
      const cached = await subgraphFetches('identity', 'cached');
      await assignee();
      assert.equal(await subgraphFetches('identity', 'cached'), cached + 1, 'the assignee came from the gateway’s cache');

      // A write straight to the identity process (as another gateway replica would send it): only its feed tells.
      const query = `mutation { updateUser(id: "${adminId}", input: { firstName: "Remotely" }) { id } }`;
      const as: Identity = {
        kind: 'user',
        userId: Number(adminId),
        organizationId: organization.id,
        role: Role.ADMIN,
        sessionId: 'elsewhere',
      };
      const written = await fetch(identity.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: new IdentitySigner(String(identityEnv.GATEWAY_SECRET)).sign(as, 'identity', { query }),
        },
        body: JSON.stringify({ query }),
      });
      const answer = (await written.json()) as { errors?: unknown };
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      await until('the gateway to show the renamed assignee', async () => (await assignee()) === 'Remotely', 3_000);
    } finally {
      await product.close();
      await identity.stop();
    }
  });
});
