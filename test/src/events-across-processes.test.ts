import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { AccessTokens, IDENTITY_HEADER, IdentitySigner } from '@salesgraph/platform';
import { startProduct } from '@salesgraph/gateway';
import { newOrganization } from './support/accounts.js';
import { graphql } from './support/client.js';
import { startSubgraphProcess } from './support/processes.js';
import { queryDatabase, stack, tempDir, usingServer } from './support/stack.js';
import { until } from './support/wait.js';
import { collect } from './support/ws.js';

describe(
  'events across processes (PostgreSQL LISTEN/NOTIFY)',
  { skip: !usingServer && 'needs DATABASE_URL: an embedded database cannot be shared by two processes' },
  () => {
    it('delivers a commit in one process to subscribers of another (directly and through a gateway), also after the listener reconnects', async () => {
      const s = await stack();
      const admin = await newOrganization(s.url);
      const identityUrl = await s.product.subgraphs.get('identity')!.listen(0);
      const leadsUrl = await s.product.subgraphs.get('leads')!.listen(0);
      // Every other subgraph of the stack, reached over HTTP by the second gateway below.
      const others: Record<string, string> = {};
      for (const name of s.product.subgraphs.keys())
        if (!['identity', 'leads', 'calls'].includes(name)) others[name] = await s.product.subgraphs.get(name)!.listen(0);
      const replica = await startSubgraphProcess('calls', {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: tempDir(),
        NODE_ENV: 'development',
        SUBGRAPH_IDENTITY_URL: identityUrl,
        SUBGRAPH_LEADS_URL: leadsUrl,
        JWT_SECRET: s.settings.jwtSecret,
        GATEWAY_SECRET: s.settings.gatewaySecret,
        SECRETS_KEY: s.settings.secretsKey,
      });
      const replicaUrl = replica.url;
      try {
        // Subscribe on the replica, as the admin, the way the gateway would.
        const claims = await new AccessTokens(s.settings.jwtSecret).verify(admin.token);
        const subscription = { query: 'subscription { incomingCall { __typename id } }' };
        const identity = new IdentitySigner(s.settings.gatewaySecret).sign({ kind: 'user', ...claims }, 'calls', subscription);
        const client = createClient({
          url: replicaUrl.replace('http', 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: { [IDENTITY_HEADER]: identity },
          retryAttempts: 0,
        });
        const events = collect(client.iterate<{ incomingCall: { __typename: string; id: string } }>(subscription));

        // The call is created by the stack's own calls subgraph, in this test's process.
        const CREATE = `mutation { createCall(input: {callerNumber: "+74951112233"}) { id } }`;
        const first = await events.firstEventAfter(async () => assert.ok((await graphql(s.url, CREATE, {}, { token: admin.token })).data));
        assert.equal(first.data?.incomingCall.__typename, 'CallEvent');
        const event = await graphql(
          s.url,
          `
            query ($id: ID!) {
              callEvent(id: $id) {
                type
                call {
                  callerNumber
                }
              }
            }
          `,
          { id: first.data?.incomingCall.id },
          { token: admin.token },
        );
        assert.deepEqual(event.data.callEvent, { type: 'INCOMING', call: { callerNumber: '+74951112233' } });

        // Cut every LISTEN connection: listeners must reconnect and LISTEN again by themselves.
        const LISTENERS = `select pid from pg_stat_activity where query like 'LISTEN "sg_calls"%' and state = 'idle'`;
        const cut = await queryDatabase<{ pid: number }>(
          s,
          `select pid, pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN "sg_calls"%'`,
        );
        assert.ok(cut.length >= 2, `both processes' listeners were cut (${cut.length})`);
        const cutPids = new Set(cut.map((row) => row.pid));
        await until(
          'the listeners to LISTEN again on new connections',
          async () => (await queryDatabase<{ pid: number }>(s, LISTENERS)).filter((row) => !cutPids.has(row.pid)).length >= cut.length,
          10_000,
        );
        const seen = events.received.length;
        assert.ok((await graphql(s.url, CREATE, {}, { token: admin.token })).data);
        await events.waitFor(seen + 1);
        await client.dispose();

        // A second gateway reaching the replica over HTTP and graphql-ws (as in docker-compose): its subscriber
        // gets the event hydrated across subgraphs, though the call is created in yet another process.
        const gateway = await startProduct({
          settings: s.settings,
          port: 0,
          inMemory: true,
          subgraphUrls: { identity: identityUrl, leads: leadsUrl, calls: replicaUrl, ...others },
        });
        try {
          assert.equal(gateway.subgraphs.size, 0);
          const viaGateway = createClient({
            url: `${gateway.url.replace('http', 'ws')}/graphql`,
            webSocketImpl: WebSocket,
            connectionParams: { Authorization: `Bearer ${admin.token}` },
            retryAttempts: 0,
          });
          const hydrated = collect(
            viaGateway.iterate({ query: 'subscription { incomingCall { type call { callerNumber assignedUser { username } } } }' }),
          );
          const delivered = await hydrated.firstEventAfter(async () =>
            assert.ok(
              (
                await graphql(
                  s.url,
                  `
                    mutation ($u: ID!) {
                      createCall(input: { callerNumber: "+74951112244", assignedUserId: $u }) {
                        id
                      }
                    }
                  `,
                  { u: admin.id },
                  { token: admin.token },
                )
              ).data,
            ),
          );
          assert.deepEqual(delivered.data, {
            incomingCall: { type: 'INCOMING', call: { callerNumber: '+74951112244', assignedUser: { username: admin.username } } },
          });
          await viaGateway.dispose();
        } finally {
          await gateway.close();
        }
      } finally {
        await replica.stop();
        await s.product.subgraphs.get('identity')!.stopListening();
        await s.product.subgraphs.get('leads')!.stopListening();
        for (const name of Object.keys(others)) await s.product.subgraphs.get(name)!.stopListening();
      }
    });
  },
);
