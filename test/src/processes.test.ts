import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSettings } from '@salesgraph/platform';
import { startProduct } from '@salesgraph/gateway';
import { graphql, rest } from './support/client.js';
import { processEnv, startSubgraphProcess } from './support/processes.js';
import { loginToken } from './support/stack.js';

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
});
