import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSettings } from '@salesgraph/platform';
import { startProduct } from '@salesgraph/gateway';
import { graphql, rest } from './support/client.js';
import { startSubgraphProcess } from './support/processes.js';
import { loginToken, tempDir } from './support/stack.js';

describe('separate processes', () => {
  it('runs the identity subgraph as its own process behind the gateway', async () => {
    const dataDir = tempDir('salesgraph-processes-');
    const env = {
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: 'j'.repeat(40),
      GATEWAY_SECRET: 'g'.repeat(40),
      // On the server, the standalone subgraph shares the test database; embedded, it has its own folder.
      ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
    };
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
