import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startHiveGatewayProcess, type HiveGatewayProcess } from '@salesgraph/gateway/hive/process';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql } from './support/client.js';
import { freePort, stack, tempDir, type Stack } from './support/stack.js';

const CREATE_CALL = `mutation($input: CreateCallInput!) { createCall(input: $input) { id } }`;
/** Calls (the calls subgraph) with their assignees (the identity subgraph): one operation, two subgraphs. */
const CALLS = `query CallsWithAssignees { calls(first: 20) { nodes { id customerName assignedUser { id username organization { id } } } } }`;

interface CallRow {
  id: string;
  customerName: string;
  assignedUser: { id: string; username: string; organization: { id: string } } | null;
}

/**
 * Stands in front of one subgraph, holding each request `holdMs` before passing it on, and counts what reaches
 * it: with requests held, concurrent identical ones overlap in Hive, so its in-flight deduplication has a chance to
 * merge them, and the count shows whether it did.
 */
async function holdingProxy(target: string, holdMs: number): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      setTimeout(() => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
        ) as Record<string, string>;
        fetch(target, { method: 'POST', headers, body: Buffer.concat(chunks) })
          .then(async (upstream) => {
            res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
            res.end(Buffer.from(await upstream.arrayBuffer()));
          })
          .catch((error: unknown) => {
            res.writeHead(502).end(String(error));
          });
      }, holdMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('Hive Gateway on the committed supergraph', () => {
  let s: Stack;
  let hive: HiveGatewayProcess;
  let callsProxy: Awaited<ReturnType<typeof holdingProxy>>;
  const served: string[] = [];
  /** Two organizations, each with an agent and calls assigned to the agent. */
  const orgs: { admin: Account; agent: Account; callIds: string[] }[] = [];

  before(async () => {
    s = await stack();
    for (let n = 0; n < 2; n++) {
      const admin = await newOrganization(s.url);
      const agent = await newMember(s.url, admin, 'MANAGER');
      const callIds: string[] = [];
      for (let c = 0; c < 3; c++) {
        const input = { callerNumber: `+749512345${n}${c}`, customerName: `Customer ${n}.${c}`, assignedUserId: agent.id };
        const created = await graphql(s.url, CREATE_CALL, { input }, { token: admin.token });
        assert.ok(created.data, JSON.stringify(created.errors));
        callIds.push(created.data.createCall.id as string);
      }
      orgs.push({ admin, agent, callIds });
    }
    // The stack's subgraphs, served over HTTP; calls behind the counting proxy.
    const urls: Record<string, string> = {};
    for (const [name, server] of s.product.subgraphs) {
      urls[`SUBGRAPH_${name.toUpperCase()}_URL`] = await server.listen(0);
      served.push(name);
    }
    callsProxy = await holdingProxy(urls.SUBGRAPH_CALLS_URL, 300);
    hive = await startHiveGatewayProcess({
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATA_DIR: tempDir(),
        DATABASE_URL: '',
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        JWT_SECRET: s.settings.jwtSecret,
        GATEWAY_SECRET: s.settings.gatewaySecret,
        ...urls,
        SUBGRAPH_CALLS_URL: callsProxy.url,
      },
    });
  });

  after(async () => {
    await hive?.stop();
    await callsProxy?.close();
    for (const name of served) await s.product.subgraphs.get(name)!.stopListening();
  });

  it('answers a query across calls and identity with a real access token, as our gateway does', async () => {
    const [{ agent, callIds }] = orgs;
    const throughHive = await graphql(hive.url, CALLS, {}, { token: agent.token });
    assert.equal(throughHive.status, 200);
    assert.equal(throughHive.errors, undefined, JSON.stringify(throughHive.errors));
    const calls = throughHive.data.calls.nodes as CallRow[];
    assert.deepEqual(calls.map((c) => c.id).sort(), [...callIds].sort());
    for (const call of calls)
      assert.deepEqual(call.assignedUser, { id: agent.id, username: agent.username, organization: { id: agent.organizationId } });
    const throughOurs = await graphql(s.url, CALLS, {}, { token: agent.token });
    assert.deepEqual(throughHive.data, throughOurs.data);
  });

  it('refuses anonymous callers and bad credentials exactly as our gateway does', async () => {
    const anonymous = [await graphql(hive.url, CALLS), await graphql(s.url, CALLS)];
    assert.deepEqual(
      anonymous.map(({ status, data, errors }) => ({ status, data, codes: errors?.map((e) => e.extensions?.code) })),
      Array(2).fill({ status: 200, data: null, codes: ['UNAUTHENTICATED'] }),
    );
    assert.equal(anonymous[0].errors![0].message, anonymous[1].errors![0].message);
    for (const headers of [{ authorization: 'Bearer not-a-token' }, { 'x-api-key': 'sgk_not_a_key' }] as Record<string, string>[]) {
      const [hiveAnswer, ourAnswer] = [await graphql(hive.url, CALLS, {}, { headers }), await graphql(s.url, CALLS, {}, { headers })];
      assert.equal(hiveAnswer.status, 401);
      assert.deepEqual({ status: hiveAnswer.status, errors: hiveAnswer.errors }, { status: ourAnswer.status, errors: ourAnswer.errors });
    }
    // Beyond the depth limit (10): refused by the same rule before any subgraph is asked.
    const deep = `{ calls { nodes { lead { calls { lead { calls { lead { calls { lead { calls { id } } } } } } } } } } }`;
    const [hiveDeep, ourDeep] = [
      await graphql(hive.url, deep, {}, { token: orgs[0].agent.token }),
      await graphql(s.url, deep, {}, { token: orgs[0].agent.token }),
    ];
    assert.equal(hiveDeep.data, undefined);
    assert.match(ourDeep.errors?.[0]?.message ?? '', /depth/i);
    assert.deepEqual(
      hiveDeep.errors?.map((e) => e.message),
      ourDeep.errors?.map((e) => e.message),
    );
  });

  it('never shares a subgraph response between two organizations querying the same operation at once', async () => {
    const perOrganization = 20;
    for (let round = 0; round < 3; round++) {
      const before = callsProxy.requests();
      const asked = orgs.flatMap((org) => Array.from({ length: perOrganization }, () => org));
      const answers = await Promise.all(asked.map((org) => graphql(hive.url, CALLS, {}, { token: org.agent.token })));
      answers.forEach((answer, i) => {
        const { agent, callIds } = asked[i];
        assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
        const calls = answer.data.calls.nodes as CallRow[];
        assert.deepEqual(calls.map((c) => c.id).sort(), [...callIds].sort(), `request ${i} got another organization's calls`);
        for (const call of calls) assert.equal(call.assignedUser?.organization.id, agent.organizationId);
      });
      // Deduplication was at work (identical requests of one caller shared a fetch), yet never across callers.
      const fetched = callsProxy.requests() - before;
      assert.ok(fetched >= 2 && fetched < asked.length, `${fetched} calls-subgraph requests for ${asked.length} client requests`);
    }
  });
});
