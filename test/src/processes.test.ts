import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadSettings } from '@salesgraph/platform';
import { startProduct } from '@salesgraph/gateway';
import { graphql, rest } from './support/client.js';
import { loginToken, tempDir } from './support/stack.js';

const IDENTITY_MAIN = fileURLToPath(new URL('../../subgraphs/identity/dist/main.js', import.meta.url));

/** Starts a subgraph as its own process and resolves with the URL it prints. */
async function startSubgraphProcess(main: string, env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += chunk;
    const match = /at (http:\/\/\S+\/graphql)/.exec(output);
    if (match) return { url: match[1]!, child };
  }
  throw new Error(`subgraph exited before listening: ${output}`);
}

describe('separate processes', () => {
  it('runs the identity subgraph as its own process behind the gateway', async () => {
    const dataDir = tempDir('salesgraph-processes-');
    const env = {
      NODE_ENV: 'development', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1',
      JWT_SECRET: 'j'.repeat(40), GATEWAY_SECRET: 'g'.repeat(40),
      // On the server, the standalone subgraph shares the test database; embedded, it has its own folder.
      ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
    };
    const { url, child } = await startSubgraphProcess(IDENTITY_MAIN, env);
    const product = await startProduct({ settings: loadSettings({ ...process.env, ...env }), port: 0, subgraphUrls: { identity: url } });
    try {
      assert.ok(!product.subgraphs.has('identity'), 'identity runs in its own process');
      const token = await loginToken(product.url, 'admin', 'admin');
      const me = await graphql(product.url, `{ me { username organization { name } } }`, {}, { token });
      assert.equal(me.data?.me.username, 'admin');
      const health = await rest(product.url, 'GET', '/health');
      assert.deepEqual([health.status, health.body.services.identity], [200, 'running']);
    } finally {
      await product.close();
      child.kill('SIGTERM');
      await once(child, 'exit');
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
