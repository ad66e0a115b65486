import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { JOB_SCHEMA, loadSettings } from '@salesgraph/platform';
import { startProduct, type Product } from '@salesgraph/gateway';
import { anotherClient, newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql } from './support/client.js';
import { startGatewayProcess, startSubgraphProcess, type ProductProcess } from './support/processes.js';
import { freePort, freshServerDatabase, tempDir, usingServer, type ServerDatabase } from './support/stack.js';
import { until } from './support/wait.js';
import { collect } from './support/ws.js';

const CREATE_CALL = `mutation($input: CreateCallInput!) { createCall(input: $input) { id } }`;
const CALL_STATUS = `query($id: ID!) { call(id: $id) { status } }`;
const AUTH_STATUS = '{ authStatus { authenticated } }';

type CallEvent = { call: { id: string } };

/**
 * Two gateway processes and two processes of the calls subgraph on one PostgreSQL database, as a scaled-out
 * deployment runs them: gateway A reaches calls replica 1, gateway B calls replica 2, and both reach the other
 * subgraphs, which this test's process serves. Events cross through LISTEN/NOTIFY, jobs through pg-boss, rate
 * limits through the database, revocations through the identity subgraph's feed each gateway follows.
 */
describe(
  'two replicas of the gateway and of the calls subgraph',
  { skip: !usingServer && 'needs DATABASE_URL: an embedded database cannot be shared by processes', timeout: 300_000 },
  () => {
    let database: ServerDatabase | undefined;
    let databaseUrl: string;
    let home: Product;
    let calls1: ProductProcess;
    let calls2: ProductProcess;
    let a: ProductProcess;
    let b: ProductProcess;
    let admin: Account;
    const sockets: Client[] = [];

    const onDatabase = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return (await client.query<T>(sql, params)).rows;
      } finally {
        await client.end();
      }
    };

    before(async () => {
      // A database of this test's own, dropped after it, so its processes share nothing with the suite's stack.
      database = await freshServerDatabase('replicas');
      databaseUrl = database.url.href;

      const secrets = { JWT_SECRET: 'j'.repeat(40), GATEWAY_SECRET: 'g'.repeat(40), SECRETS_KEY: 's'.repeat(40) };
      const common = { NODE_ENV: 'development', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, REDIS_URL: '', ...secrets };
      // The other subgraphs in this process; calls replica 1 is the one its own gateway would use (unused here).
      const callsPorts = [await freePort(), await freePort()];
      home = await startProduct({
        settings: loadSettings({ ...process.env, ...common, DATA_DIR: tempDir() }),
        port: 0,
        subgraphUrls: { calls: `http://127.0.0.1:${callsPorts[0]}/graphql` },
      });
      const subgraphUrls: Record<string, string> = {};
      for (const [subgraph, served] of home.subgraphs) subgraphUrls[`SUBGRAPH_${subgraph.toUpperCase()}_URL`] = await served.listen(0);
      [calls1, calls2] = await Promise.all(
        callsPorts.map((port) => startSubgraphProcess('calls', { ...common, ...subgraphUrls, PORT: String(port), DATA_DIR: tempDir() })),
      );
      const gatewayEnv = {
        ...common,
        ...subgraphUrls,
        PORT: '0',
        TRUST_PROXY: 'true',
        // This test writes in bursts as one admin; the limits are another test's subject.
        RATE_LIMIT_AUTHENTICATED_PER_MINUTE: '100000',
      };
      [a, b] = await Promise.all([
        startGatewayProcess({ ...gatewayEnv, SUBGRAPH_CALLS_URL: calls1.url, DATA_DIR: tempDir() }),
        startGatewayProcess({ ...gatewayEnv, SUBGRAPH_CALLS_URL: calls2.url, DATA_DIR: tempDir() }),
      ]);
      admin = await newOrganization(a.url);
    });

    after(async () => {
      for (const socket of sockets) await socket.dispose();
      await Promise.all([a, b, calls1, calls2].map((process) => process?.stop()));
      await home?.close();
      await database?.drop();
    });

    /** A subscriber on `gateway`, collecting the events of `query`. */
    const subscriber = <T>(gateway: ProductProcess, query: string, credential = admin.token) => {
      const client = createClient({
        url: `${gateway.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: `Bearer ${credential}` },
        retryAttempts: 0,
      });
      sockets.push(client);
      return collect(client.iterate<T>({ query }));
    };

    const createCall = async (gateway: ProductProcess, input: Record<string, unknown> = {}) => {
      const created = await graphql(
        gateway.url,
        CREATE_CALL,
        { input: { callerNumber: '+74951234567', ...input } },
        { token: admin.token },
      );
      assert.ok(created.data, JSON.stringify(created.errors));
      return created.data.createCall.id as string;
    };
    const idsOf = (events: { data?: unknown }[], field: string) =>
      events.map((event) => (event.data as Record<string, CallEvent> | undefined)?.[field]?.call.id);

    it('delivers a call created through one gateway to subscribers of the other', async () => {
      const onB = subscriber<{ incomingCall: CallEvent }>(b, 'subscription { incomingCall { call { id } } }');
      const onA = subscriber<{ incomingCall: CallEvent }>(a, 'subscription { incomingCall { call { id } } }');
      // A subscription says nothing when it is live: its first event is the signal (see collect).
      await onB.firstEventAfter(() => createCall(a));
      await onA.firstEventAfter(() => createCall(b));
      const throughA = await createCall(a);
      const throughB = await createCall(b);
      await until('both calls on both gateways', () =>
        [onA, onB].every((events) => [throughA, throughB].every((id) => idsOf(events.received, 'incomingCall').includes(id))),
      );
    });

    it('runs a ring timeout once: the call is missed once, and each subscriber hears it once', async () => {
      const ended = [b, a].map((gateway) => subscriber<{ callEnded: CallEvent }>(gateway, 'subscription { callEnded { call { id } } }'));
      // Live once a missed call of their own arrives.
      for (const events of ended) await events.firstEventAfter(() => createCall(a, { ringTimeoutSeconds: 1 }), 3_000, 30_000);
      const callId = await createCall(a, { ringTimeoutSeconds: 1 });
      await until(
        'the call to be missed',
        async () => (await graphql(b.url, CALL_STATUS, { id: callId }, { token: admin.token })).data?.call.status === 'MISSED',
        15_000,
      );
      // Settled once no ring-timeout job of the call is waiting or running (a retry would be).
      const jobsOf = () =>
        onDatabase<{ state: string }>(`select state from ${JOB_SCHEMA}.job where name = 'calls.ring-timeout' and data->>'callId' = $1`, [
          callId,
        ]);
      await until('its ring-timeout job to finish', async () => (await jobsOf()).every((job) => job.state === 'completed'), 15_000);
      const missed = await onDatabase<{ n: string }>(`select count(*) as n from calls.call_events where call_id = $1 and type = 'missed'`, [
        Number(callId),
      ]);
      assert.equal(Number(missed[0].n), 1, 'one MISSED event recorded');
      // A later missed call is a fence: events of one channel arrive in commit order, so none of ours is still coming.
      const fence = await createCall(b, { ringTimeoutSeconds: 1 });
      for (const events of ended) {
        await until('the fence’s event', () => idsOf(events.received, 'callEnded').includes(fence), 15_000);
        assert.equal(idsOf(events.received, 'callEnded').filter((id) => id === callId).length, 1, 'heard once');
      }
    });

    it('refuses a revoked API key and a logged-out session on both gateways', async () => {
      const created = await graphql(
        a.url,
        `
          mutation {
            createApiKey(input: { name: "replicas" }) {
              apiKey {
                id
              }
              secret
            }
          }
        `,
        {},
        { token: admin.token },
      );
      const { apiKey, secret } = created.data.createApiKey as { apiKey: { id: string }; secret: string };
      const withKey = (gateway: ProductProcess) =>
        graphql(gateway.url, AUTH_STATUS, {}, { headers: { 'x-api-key': secret, ...anotherClient() } });
      for (const gateway of [a, b]) assert.equal((await withKey(gateway)).data?.authStatus.authenticated, true, 'works before');
      const revoked = await graphql(
        b.url,
        `
          mutation ($id: ID!) {
            revokeApiKey(id: $id) {
              id
            }
          }
        `,
        { id: apiKey.id },
        { token: admin.token },
      );
      assert.ok(revoked.data, JSON.stringify(revoked.errors));
      const took: number[] = [];
      for (const gateway of [a, b])
        took.push(await until('the key to be refused', async () => codeOf(await withKey(gateway)) === 'UNAUTHENTICATED', 5_000));

      const member = await newMember(a.url, admin, 'USER');
      const withToken = (gateway: ProductProcess) => graphql(gateway.url, AUTH_STATUS, {}, { token: member.token });
      for (const gateway of [a, b]) assert.equal((await withToken(gateway)).data?.authStatus.authenticated, true, 'works before');
      assert.ok((await graphql(a.url, 'mutation { logout(refreshToken: null) }', {}, { token: member.token })).data);
      for (const gateway of [a, b])
        took.push(await until('the session to be refused', async () => codeOf(await withToken(gateway)) === 'UNAUTHENTICATED', 5_000));
      console.log(`replicas: revocations refused on the other gateway after ${took.join(', ')} ms`);
    });

    it('loses no acknowledged write and no event of one when a calls replica and a gateway are killed', async () => {
      const heard = subscriber<{ incomingCall: CallEvent }>(b, 'subscription { incomingCall { call { id } } }');
      await heard.firstEventAfter(() => createCall(b));
      const acknowledged = { a: [] as string[], b: [] as string[] };
      const refused = { a: 0, b: 0 };
      let writing = true;
      const writer = async (gateway: ProductProcess, into: 'a' | 'b') => {
        while (writing) {
          try {
            const result = await graphql(gateway.url, CREATE_CALL, { input: { callerNumber: '+74951234567' } }, { token: admin.token });
            if (result.data?.createCall) acknowledged[into].push(result.data.createCall.id as string);
            else refused[into]++;
          } catch {
            // Not acknowledged: the connection failed (the gateway is gone).
            refused[into]++;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      };
      const writers = [writer(a, 'a'), writer(b, 'b')];
      try {
        await until('writes through both gateways', () => acknowledged.a.length >= 20 && acknowledged.b.length >= 20, 30_000);
        calls1.child.kill('SIGKILL');
        a.child.kill('SIGKILL');
        const afterKill = acknowledged.b.length;
        await until('writes through B to go on', () => acknowledged.b.length >= afterKill + 10, 30_000);
      } finally {
        writing = false;
        await Promise.all(writers);
      }
      assert.ok(refused.a > 0, 'writes through A stopped being acknowledged once it was killed');

      const all = [...acknowledged.a, ...acknowledged.b];
      const stored = await onDatabase<{ id: number }>('select id from calls.calls where id = any($1::int[])', [all.map(Number)]);
      assert.equal(stored.length, all.length, 'every acknowledged write is in the database');
      await until(
        'B’s subscriber to hear every acknowledged call',
        () => {
          const ids = new Set(idsOf(heard.received, 'incomingCall'));
          return all.every((id) => ids.has(id));
        },
        20_000,
      );
      console.log(
        `replicas: ${acknowledged.a.length} writes acknowledged through A (killed), ${acknowledged.b.length} through B; all stored and heard on B`,
      );
    });
  },
);
