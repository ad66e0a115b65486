import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { AccessTokens, IDENTITY_HEADER, IdentitySigner } from '@salesgraph/platform';
import { startProduct } from '@salesgraph/gateway';
import { newOrganization } from './support/accounts.js';
import { graphql } from './support/client.js';
import { startSubgraphProcess } from './support/processes.js';
import { queryDatabase, stack, tempDir, usingServer } from './support/stack.js';


/** Collects what a subscription delivers, so the test can wait for the n-th event. */
function collect<T>(iterator: AsyncIterableIterator<T>) {
  const received: T[] = [];
  const done = (async () => {
    for await (const next of iterator) received.push(next);
  })();
  const waitFor = async (n: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (received.length < n && Date.now() < deadline) await sleep(50);
    assert.ok(received.length >= n, `expected ${n} events, got ${received.length}`);
    return received;
  };
  return { received, done, waitFor };
}

describe('events across processes (PostgreSQL LISTEN/NOTIFY)', { skip: !usingServer && 'needs DATABASE_URL: an embedded database cannot be shared by two processes' }, () => {
  it('delivers a commit in one process to subscribers of another (directly and through a gateway), also after the listener reconnects', async () => {
    const s = await stack();
    const admin = await newOrganization(s.url);
    const identityUrl = await s.product.subgraphs.get('identity')!.listen(0);
    const replica = await startSubgraphProcess('calls', {
      PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir(), NODE_ENV: 'development', SUBGRAPH_IDENTITY_URL: identityUrl,
      JWT_SECRET: s.settings.jwtSecret, GATEWAY_SECRET: s.settings.gatewaySecret, SECRETS_KEY: s.settings.secretsKey,
    });
    const replicaUrl = replica.url;
    try {

      // Subscribe on the replica, as the admin, the way the gateway would.
      const claims = await new AccessTokens(s.settings.jwtSecret).verify(admin.token);
      const subscription = { query: 'subscription { incomingCall { __typename id } }' };
      const identity = new IdentitySigner(s.settings.gatewaySecret).sign({ kind: 'user', ...claims }, 'calls', subscription);
      const client = createClient({ url: replicaUrl.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { [IDENTITY_HEADER]: identity }, retryAttempts: 0 });
      const events = collect(client.iterate<{ incomingCall: { __typename: string; id: string } }>(subscription));
      await sleep(300);

      // The call is created by the stack's own calls subgraph, in this test's process.
      const CREATE = `mutation { createCall(input: {callerNumber: "+74951112233"}) { id } }`;
      assert.ok((await graphql(s.url, CREATE, {}, { token: admin.token })).data);
      const [first] = await events.waitFor(1);
      assert.equal(first.data?.incomingCall.__typename, 'CallEvent');
      const event = await graphql(s.url, `query($id: ID!) { callEvent(id: $id) { type call { callerNumber } } }`, { id: first.data?.incomingCall.id }, { token: admin.token });
      assert.deepEqual(event.data.callEvent, { type: 'INCOMING', call: { callerNumber: '+74951112233' } });

      // Cut every LISTEN connection: listeners must reconnect and LISTEN again by themselves.
      const cut = await queryDatabase<{ pg_terminate_backend: boolean }>(s, `select pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN "sg_calls"%'`);
      assert.ok(cut.length >= 2, `both processes' listeners were cut (${cut.length})`);
      await sleep(1500);
      assert.ok((await graphql(s.url, CREATE, {}, { token: admin.token })).data);
      await events.waitFor(2);
      await client.dispose();

      // A second gateway reaching the replica over HTTP and graphql-ws (as in docker-compose): its subscriber
      // gets the event hydrated across subgraphs, though the call is created in yet another process.
      const gateway = await startProduct({
        settings: s.settings, port: 0, inMemory: true, subgraphUrls: { identity: identityUrl, calls: replicaUrl },
      });
      try {
        assert.equal(gateway.subgraphs.size, 0);
        const viaGateway = createClient({ url: `${gateway.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${admin.token}` }, retryAttempts: 0 });
        const hydrated = collect(viaGateway.iterate({ query: 'subscription { incomingCall { type call { callerNumber assignedUser { username } } } }' }));
        await sleep(500);
        assert.ok((await graphql(s.url, `mutation($u: ID!) { createCall(input: {callerNumber: "+74951112244", assignedUserId: $u}) { id } }`, { u: admin.id }, { token: admin.token })).data);
        const [delivered] = await hydrated.waitFor(1);
        assert.deepEqual(delivered.data, { incomingCall: { type: 'INCOMING', call: { callerNumber: '+74951112244', assignedUser: { username: admin.username } } } });
        await viaGateway.dispose();
      } finally {
        await gateway.close();
      }
    } finally {
      await replica.stop();
      await s.product.subgraphs.get('identity')!.stopListening();
    }
  });
});
