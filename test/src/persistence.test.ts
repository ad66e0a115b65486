import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSettings } from '@salesgraph/platform';
import { startProduct } from '@salesgraph/gateway';
import { loginToken, tempDir, usingServer } from './support/stack.js';
import { graphql } from './support/client.js';

describe('embedded database', { skip: usingServer && 'runs on the embedded database only' }, () => {
  it('keeps data, secrets and sessions across a restart', async () => {
    const settings = loadSettings({ ...process.env, NODE_ENV: 'development', DATA_DIR: tempDir('salesgraph-restart-') });
    const first = await startProduct({ settings, port: 0 });
    let token: string;
    try {
      token = await loginToken(first.url, 'admin', 'admin');
      const created = await graphql(
        first.url,
        `
          mutation {
            createUser(input: { email: "kept@example.com", username: "kept", password: "kept password" }) {
              id
            }
          }
        `,
        {},
        { token },
      );
      assert.equal(created.errors, undefined);
    } finally {
      await first.close();
    }

    const second = await startProduct({
      settings: loadSettings({ ...process.env, NODE_ENV: 'development', DATA_DIR: settings.dataDir }),
      port: 0,
    });
    try {
      // The same signing secret survives, so a token issued before the restart still works.
      const me = await graphql(
        second.url,
        `
          {
            me {
              username
            }
          }
        `,
        {},
        { token },
      );
      assert.equal(me.data?.me.username, 'admin');
      assert.ok(await loginToken(second.url, 'kept', 'kept password'));
      const users = await graphql(
        second.url,
        `
          {
            users {
              totalCount
            }
          }
        `,
        {},
        { token },
      );
      assert.equal(users.data?.users.totalCount, 2, 'the first admin was not created twice');
    } finally {
      await second.close();
    }
  });
});
