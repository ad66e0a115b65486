import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { AccessTokens } from '@salesgraph/platform';
import { BoundedQueue, OPERATION_LIMITS, SubscriptionStream, UpstreamHub, credentialHeaders, originAllowed } from '@salesgraph/gateway';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql } from './support/client.js';
import { stack, type Stack } from './support/stack.js';
import { streamsSince, until, whenListening } from './support/wait.js';
import { bearer, clients, subscribe, withTimeout, wsClient } from './support/ws.js';

const INCOMING_CALL = /* GraphQL */ `
  subscription Incoming {
    incomingCall {
      id
      type
      call {
        id
        callerNumber
        assignedUser {
          id
          username
        }
      }
    }
  }
`;
const CREATE_CALL = /* GraphQL */ `
  mutation ($input: CreateCallInput!) {
    createCall(input: $input) {
      id
    }
  }
`;

type Incoming = {
  incomingCall: {
    id: string;
    type: string;
    call: { id: string; callerNumber: string; assignedUser: { id: string; username: string } | null };
  };
};

async function createCall(url: string, admin: Account, assignedUserId: string, callerNumber = '+74951234567'): Promise<string> {
  const created = await graphql(url, CREATE_CALL, { input: { callerNumber, assignedUserId } }, { token: admin.token });
  assert.ok(created.data, JSON.stringify(created.errors));
  return created.data.createCall.id;
}

describe('subscriptions: bounded queue and stream (units)', () => {
  it('keeps at most `capacity` items, dropping the oldest', async () => {
    const queue = new BoundedQueue<number>({ capacity: 100 });
    for (let i = 0; i < 10_000; i++) queue.push(i);
    assert.equal(queue.size, 100);
    assert.equal(queue.dropped, 9_900);
    assert.deepEqual(await queue.take(), { value: 9_900, done: false });
    queue.end();
    let last = -1;
    for (let next = await queue.take(); !next.done; next = await queue.take()) last = next.value;
    assert.equal(last, 9_999);
    assert.deepEqual(await queue.take(), { value: undefined, done: true });
  });

  it('coalesces items with the same key in place', async () => {
    const queue = new BoundedQueue<{ id: string; v: number }>({ capacity: 10, keyOf: (e) => e.id });
    for (let v = 0; v < 1_000; v++) queue.push({ id: v % 2 ? 'a' : 'b', v });
    assert.equal(queue.size, 2);
    assert.equal(queue.coalesced, 998);
    assert.deepEqual((await queue.take()).value, { id: 'b', v: 998 });
    assert.deepEqual((await queue.take()).value, { id: 'a', v: 999 });
  });

  it('a consumer that never reads does not grow memory past the bound; return() stops the upstream at once', async () => {
    let produced = 0;
    let upstreamStopped = false;
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          if (produced % 1_000 === 0) await sleep(0);
          return { value: produced++, done: false };
        },
        return: async () => {
          upstreamStopped = true;
          return { value: undefined, done: true };
        },
      }),
    };
    const stream = new SubscriptionStream(source, async (n) => ({ data: { n } }), { capacity: 100 });
    while (produced < 20_000) await sleep(1);
    assert.ok(stream.queue.size <= 100, `queue holds ${stream.queue.size}`);
    assert.ok(stream.queue.dropped >= 19_800);
    const first = await stream.next();
    assert.ok(!first.done && (first.value.data as { n: number }).n >= 19_800, 'the oldest events were dropped');
    await stream.return();
    assert.equal(upstreamStopped, true);
    assert.equal(stream.queue.size, 0);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
  });

  it('return() ends a stream waiting for an upstream event that never comes', async () => {
    const never: AsyncIterable<number> = { [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => {}) }) };
    const stream = new SubscriptionStream(never, async () => ({ data: {} }), { capacity: 1 });
    const pending = stream.next();
    await stream.return();
    assert.deepEqual(await withTimeout(pending, 1_000, 'the pending next()'), { value: undefined, done: true });
  });

  it('reads credentials from connection params in any case, and checks origins', () => {
    assert.deepEqual(credentialHeaders({ Authorization: 'Bearer x' }), { authorization: 'Bearer x' });
    assert.deepEqual(credentialHeaders({ 'X-API-Key': 'sgk_1' }), { 'x-api-key': 'sgk_1' });
    assert.equal(credentialHeaders({}), undefined);
    assert.equal(originAllowed('https://evil.example', 'gw:4000', ['https://app.example']), false);
    assert.equal(originAllowed('https://app.example', 'gw:4000', ['https://app.example']), true);
    assert.equal(originAllowed('http://gw:4000', 'gw:4000', ['https://app.example']), true, 'the playground on the gateway itself');
    assert.equal(originAllowed(undefined, 'gw:4000', ['https://app.example']), true, 'not a browser');
    assert.equal(originAllowed('https://evil.example', 'gw:4000', '*'), true);
  });
});

describe('subscriptions: graphql-ws through the gateway', () => {
  let s: Stack;
  let orgA: Account;
  let orgB: Account;
  before(async () => {
    s = await stack();
    [orgA, orgB] = await Promise.all([newOrganization(s.url), newOrganization(s.url)]);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });

  it('delivers incomingCall hydrated across subgraphs (assignedUser.username from identity)', async () => {
    const live = whenListening(s.product);
    const events = subscribe<Incoming>(wsClient(s.url, bearer(orgA.token)), { query: INCOMING_CALL });
    await live();
    const callId = await createCall(s.url, orgA, orgA.id);
    const event = await events.next();
    assert.equal(event.errors, undefined, JSON.stringify(event.errors));
    const incoming = event.data!.incomingCall;
    assert.equal(incoming.type, 'INCOMING');
    assert.equal(incoming.call.id, callId);
    assert.equal(incoming.call.callerNumber, '+74951234567');
    assert.deepEqual(incoming.call.assignedUser, { id: orgA.id, username: orgA.username });
    await events.stop();
  });

  it('keeps aliases, fragments and variables of the client selection', async () => {
    const query = /* GraphQL */ `
      subscription Aliased($withUser: Boolean!) {
        ringing: incomingCall {
          ...Ev
          call {
            who: assignedUser @include(if: $withUser) {
              username
            }
          }
        }
      }
      fragment Ev on CallEvent {
        eventId: id
        type
      }
    `;
    const live = whenListening(s.product);
    const events = subscribe<{ ringing: { eventId: string; type: string; call: { who?: { username: string } } } }>(
      wsClient(s.url, { authorization: `Bearer ${orgA.token}` }),
      { query, variables: { withUser: true } },
    );
    await live();
    await createCall(s.url, orgA, orgA.id);
    const event = await events.next();
    assert.equal(event.errors, undefined, JSON.stringify(event.errors));
    assert.equal(event.data!.ringing.type, 'INCOMING');
    assert.ok(event.data!.ringing.eventId);
    assert.deepEqual(event.data!.ringing.call.who, { username: orgA.username });
    await events.stop();
  });

  it("never delivers another organization's events", async () => {
    const live = whenListening(s.product);
    const events = subscribe<Incoming>(wsClient(s.url, bearer(orgB.token)), { query: INCOMING_CALL });
    await live();
    const callA = await createCall(s.url, orgA, orgA.id, '+74950000001');
    const callB = await createCall(s.url, orgB, orgB.id, '+74950000002');
    const event = await events.next();
    assert.equal(event.errors, undefined, JSON.stringify(event.errors));
    assert.notEqual(event.data!.incomingCall.call.id, callA);
    assert.equal(event.data!.incomingCall.call.id, callB);
    await events.stop();
  });

  it('a plain user receives only the events of calls assigned to them', async () => {
    const member = await newMember(s.url, orgA, 'USER');
    const live = whenListening(s.product);
    const events = subscribe<Incoming>(wsClient(s.url, bearer(member.token)), { query: INCOMING_CALL });
    await live();
    const othersCall = await createCall(s.url, orgA, orgA.id, '+74950000003');
    const ownCall = await createCall(s.url, orgA, member.id, '+74950000004');
    const event = await events.next();
    assert.equal(event.errors, undefined, JSON.stringify(event.errors));
    assert.notEqual(event.data!.incomingCall.call.id, othersCall);
    assert.equal(event.data!.incomingCall.call.id, ownCall);
    assert.equal(event.data!.incomingCall.call.assignedUser?.username, member.username);
    await events.stop();
  });

  it('activeCalls delivers the current list on a change', async () => {
    const org = await newOrganization(s.url);
    const live = whenListening(s.product);
    const events = subscribe<{ activeCalls: { id: string; status: string }[] }>(wsClient(s.url, bearer(org.token)), {
      query: 'subscription { activeCalls { id status } }',
    });
    await live();
    const callId = await createCall(s.url, org, org.id);
    let list: { id: string; status: string }[] = [];
    for (let i = 0; i < 5 && !list.some((c) => c.id === callId); i++) {
      const event = await events.next();
      assert.equal(event.errors, undefined, JSON.stringify(event.errors));
      list = event.data!.activeCalls;
    }
    assert.deepEqual(
      list.find((c) => c.id === callId),
      { id: callId, status: 'INCOMING' },
    );
    await events.stop();
  });

  it('runs subscriptions whose credentials come per operation (GraphiQL sends its headers in extensions)', async () => {
    const org = await newOrganization(s.url);
    const live = whenListening(s.product);
    const events = subscribe<Incoming>(wsClient(s.url), { query: INCOMING_CALL, extensions: { headers: bearer(org.token) } });
    await live();
    const callId = await createCall(s.url, org, org.id);
    const event = await events.next();
    assert.equal(event.data?.incomingCall.call.id, callId, JSON.stringify(event));
    await events.stop();
  });

  it('closes connections without credentials or with a bad one (4401, which clients do not retry)', async () => {
    const anonymous = await subscribe(wsClient(s.url), { query: INCOMING_CALL }).failure();
    assert.equal((anonymous as { code?: number }).code, 4401, String(anonymous));
    const bad = await subscribe(wsClient(s.url, bearer('not-a-jwt')), { query: INCOMING_CALL }).failure();
    assert.equal((bad as { code?: number }).code, 4401, String(bad));
    const badKey = await subscribe(wsClient(s.url, { 'X-API-Key': 'sgk_nope' }), { query: INCOMING_CALL }).failure();
    assert.equal((badKey as { code?: number }).code, 4401, String(badKey));
  });

  it('closes the socket when the access token expires (4401 token expired)', async () => {
    const claims = await new AccessTokens(s.settings.jwtSecret).verify(orgA.token);
    // Two seconds rather than one: a one-second JWT may already be expired when the socket opens.
    const shortLived = await new AccessTokens(s.settings.jwtSecret, 2).issue(claims);
    const started = Date.now();
    const closed = await subscribe(wsClient(s.url, bearer(shortLived)), { query: INCOMING_CALL }).failure(6_000);
    assert.equal((closed as { code?: number }).code, 4401, String(closed));
    assert.equal((closed as { reason?: string }).reason, 'token expired');
    assert.ok(Date.now() - started >= 500, 'the connection was open until the token expired');
  });

  it('rejects too deep subscriptions and operations other than subscriptions', async () => {
    const nest = (depth: number): string => (depth === 0 ? 'id' : `call { ${nest(depth - 1)} }`);
    const client = wsClient(s.url, bearer(orgA.token));
    const deep = await subscribe(client, { query: `subscription { incomingCall { ${nest(OPERATION_LIMITS.maxDepth + 1)} } }` }).failure();
    assert.ok(Array.isArray(deep), String(deep));
    assert.ok(
      (deep as { message: string }[]).some((e) => /depth/i.test(e.message)),
      JSON.stringify(deep),
    );
    const twoRoots = await subscribe(client, { query: 'subscription { incomingCall { id } callEnded { id } }' }).failure();
    assert.ok(
      (twoRoots as { message: string }[]).some((e) => /only one top level field/i.test(e.message)),
      JSON.stringify(twoRoots),
    );
    const query = await subscribe(client, { query: '{ __typename }' }).failure();
    assert.ok(
      (query as { message: string }[]).some((e) => /HTTP POST/.test(e.message)),
      JSON.stringify(query),
    );
  });

  it('caps subscriptions per connection', async () => {
    const client = wsClient(s.url, bearer(orgA.token));
    const opened = streamsSince(s.product);
    const open = Array.from({ length: 50 }, () => subscribe(client, { query: INCOMING_CALL }));
    await until('the 50 subscriptions to reach the gateway', () => opened() === 50);
    const extra = await subscribe(client, { query: INCOMING_CALL }).failure();
    assert.ok(
      (extra as { message: string }[]).some((e) => /At most 50 subscriptions/.test(e.message)),
      JSON.stringify(extra),
    );
    await Promise.all(open.map((o) => o.stop()));
  });

  it('answers a subscription sent over HTTP POST with 400 BAD_REQUEST', async () => {
    const result = await graphql(s.url, INCOMING_CALL, {}, { token: orgA.token });
    assert.equal(result.status, 400);
    assert.equal(result.errors?.[0]?.extensions?.code, 'BAD_REQUEST');
    assert.match(result.errors[0].message, /graphql-ws/);
  });

  it('ends upstream subscriptions when clients complete or disconnect', async () => {
    const open = streamsSince(s.product);
    const client = wsClient(s.url, bearer(orgA.token));
    const completed = subscribe(client, { query: INCOMING_CALL });
    subscribe(client, { query: INCOMING_CALL });
    await until('both subscriptions to reach the gateway', () => open() === 2);
    await completed.stop();
    await until('completing one subscription to end its stream', () => open() === 1);
    await client.dispose();
    await until('closing the socket to end the rest', () => open() === 0);
  });
});

describe('presence from realtime connections', () => {
  it('shows a user online while they hold a subscription socket, offline after', async () => {
    const s = await stack();
    const admin = await newOrganization(s.url);
    const agent = await newMember(s.url, admin, 'USER');
    const STATUS = `query($id: ID!) { user(id: $id) { status } }`;
    const statusOf = async () => (await graphql(s.url, STATUS, { id: agent.id }, { token: admin.token })).data.user.status;
    assert.equal(await statusOf(), 'OFFLINE');

    const client = wsClient(s.url, bearer(agent.token));
    const events = subscribe<Incoming>(client, { query: INCOMING_CALL });
    await until('the agent to show online', async () => (await statusOf()) === 'ONLINE');
    const available = await graphql(
      s.url,
      `
        {
          availableUsers {
            id
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.ok(available.data.availableUsers.some((u: { id: string }) => u.id === agent.id));

    await events.stop();
    await client.dispose();
    await until('the agent to show offline', async () => (await statusOf()) === 'OFFLINE');
  });
});

describe('subscriptions: one upstream per identical subscription', () => {
  it('shares an upstream between taps and closes it with the last one', async () => {
    const hub = new UpstreamHub<number>();
    let opened = 0;
    let closed = 0;
    let push!: (n: number) => void;
    const open = (): AsyncIterable<number> => {
      opened++;
      const pending: number[] = [];
      let wake: (() => void) | undefined;
      push = (n) => {
        pending.push(n);
        wake?.();
      };
      return {
        [Symbol.asyncIterator]: () => ({
          next: async () => {
            while (!pending.length) await new Promise<void>((r) => (wake = r));
            return { value: pending.shift()!, done: false };
          },
          return: async () => {
            closed++;
            return { value: undefined, done: true };
          },
        }),
      };
    };
    const a = hub.tap('k', open)[Symbol.asyncIterator]();
    const b = hub.tap('k', open)[Symbol.asyncIterator]();
    assert.equal(opened, 1);
    push(1);
    assert.deepEqual([(await a.next()).value, (await b.next()).value], [1, 1]);
    await a.return!();
    assert.equal(closed, 0, 'still tapped by b');
    push(2);
    assert.equal((await b.next()).value, 2);
    await b.return!();
    assert.equal(closed, 1);
    assert.equal(hub.size, 0);
    assert.equal(hub.opened, 1);
  });

  it('opens one upstream for the same identity and document, however many sockets', async () => {
    const s = await stack();
    const admin = await newOrganization(s.url);
    const upstreams = s.product.subscriptions.upstreams;
    const [size, opened] = [upstreams.size, upstreams.opened];
    const streams = streamsSince(s.product);
    const live = whenListening(s.product);
    const subs = [1, 2, 3].map(() => subscribe<Incoming>(wsClient(s.url, bearer(admin.token)), { query: INCOMING_CALL }));
    await until('the three subscriptions to reach the gateway', () => streams() === 3);
    await live();
    assert.equal(upstreams.opened, opened + 1, 'one upstream for the three');
    assert.equal(upstreams.size, size + 1);
    await createCall(s.url, admin, admin.id);
    for (const sub of subs) assert.equal((await sub.next()).data?.incomingCall.type, 'INCOMING');
    await Promise.all(subs.map((sub) => sub.stop()));
    // A stream releases its tap as it ends, so the upstream is closed once the last stream is gone.
    await until('the three streams to end', () => streams() === 0);
    assert.equal(upstreams.size, size);
  });
});

describe('subscriptions: connections per identity', () => {
  /** Opens a raw graphql-ws connection: resolves with the socket once acknowledged, or the close code. */
  function connect(
    url: string,
    token: string,
    credential: Record<string, string> = { Authorization: `Bearer ${token}` },
  ): Promise<{ socket?: WebSocket; code?: number }> {
    return new Promise((resolve) => {
      const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: credential })));
      socket.on('message', (data) => JSON.parse((data as Buffer).toString()).type === 'connection_ack' && resolve({ socket }));
      socket.on('close', (code) => resolve({ code }));
    });
  }

  /** Opens a WebSocket from `address` (X-Forwarded-For; the test stack trusts it) without authenticating. */
  function openFrom(url: string, address: string): Promise<{ socket?: WebSocket; status?: number }> {
    return new Promise((resolve) => {
      const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
        headers: { 'x-forwarded-for': address },
      });
      socket.on('open', () => resolve({ socket }));
      socket.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode }));
      socket.on('error', () => undefined);
    });
  }

  it('caps connections that have not authenticated per client address (behind a trusted proxy too)', async () => {
    const s = await stack();
    const admin = await newOrganization(s.url);
    const open: WebSocket[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const { socket, status } = await openFrom(s.url, '203.0.113.77');
        assert.ok(socket, `connection ${i + 1} refused with ${status}`);
        open.push(socket);
      }
      assert.equal((await openFrom(s.url, '203.0.113.77')).status, 429);
      // The cap follows the forwarded address, not the proxy's.
      const elsewhere = await openFrom(s.url, '203.0.113.78');
      assert.ok(elsewhere.socket);
      open.push(elsewhere.socket);
      // A connection that authenticates no longer counts as pending.
      const first = open[0];
      const acked = new Promise((resolve) =>
        first.on('message', (data) => JSON.parse((data as Buffer).toString()).type === 'connection_ack' && resolve(true)),
      );
      first.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${admin.token}` } }));
      await acked;
      assert.ok((await openFrom(s.url, '203.0.113.77')).socket, 'a slot freed by authenticating');
    } finally {
      for (const socket of open) socket.close();
    }
  });

  it('refuses a user more than 100 open connections (4429), and counts closed ones out', async () => {
    const s = await stack();
    const admin = await newOrganization(s.url);
    const open: WebSocket[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const { socket, code } = await connect(s.url, admin.token);
        assert.ok(socket, `connection ${i + 1} closed with ${code}`);
        open.push(socket);
      }
      assert.equal((await connect(s.url, admin.token)).code, 4429);
      // API keys of the user share the user's allowance.
      const key = await graphql(
        s.url,
        `
          mutation {
            createApiKey(input: { name: "wallboard" }) {
              secret
            }
          }
        `,
        {},
        { token: admin.token },
      );
      assert.equal((await connect(s.url, '', { 'X-API-Key': key.data.createApiKey.secret })).code, 4429);
      const other = await newOrganization(s.url);
      const unaffected = await connect(s.url, other.token);
      assert.ok(unaffected.socket, 'another user is not limited');
      unaffected.socket.close();
      const closing = open.pop()!;
      closing.close();
      await new Promise((resolve) => closing.once('close', resolve));
      // The gateway counts the connection out when it has handled the close: retried until it has.
      await until('a slot freed by a closed connection to be usable', async () => {
        const again = await connect(s.url, admin.token);
        if (again.socket) open.push(again.socket);
        return Boolean(again.socket);
      });
    } finally {
      for (const socket of open) socket.close();
    }
  });
});
