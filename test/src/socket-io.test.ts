import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import { anotherClient, newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql, rest } from './support/client.js';
import { extraGateway } from './support/extra-gateway.js';
import { stack, type Stack } from './support/stack.js';
import { until, whenListening } from './support/wait.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- event payloads are read as the JSON the test asserts on (unsafe-any rules are off in test/)
type Json = any;

/** Server events of seed 002, one stream per identity that has a signed-in socket. */
const SERVER_EVENT_COUNT = 8;

interface Agent {
  socket: Socket;
  /** Every event the socket received, in order. */
  events: { name: string; payload: Json }[];
}

const sockets: Socket[] = [];
after(() => sockets.forEach((s) => s.disconnect()));

/** A legacy front end's socket as seed 002 opens one (`io(url)`, default transports), not yet authenticated. */
function connect(url: string, options: Parameters<typeof io>[1] = {}): Agent {
  const socket = io(url, { forceNew: true, reconnection: false, extraHeaders: anotherClient(), ...options });
  sockets.push(socket);
  const events: Agent['events'] = [];
  socket.onAny((name: string, payload: unknown) => events.push({ name, payload }));
  return { socket, events };
}

/** Connects and authenticates with the seed's `{userId, token}`, waiting until its events reach the bus when it is the identity's first socket. */
async function signedIn(s: Stack, account: Account, { first = true, url = s.url } = {}): Promise<Agent> {
  const listening = whenListening(s.product);
  const agent = connect(url);
  const answer = await new Promise<Json>((resolve) => {
    agent.socket.once('authenticated', resolve);
    agent.socket.once('error', resolve);
    agent.socket.emit('authenticate', { userId: Number(account.id), token: account.token });
  });
  assert.equal(answer.success, true, JSON.stringify(answer));
  if (first) await listening(SERVER_EVENT_COUNT);
  return agent;
}

const ack = (agent: Agent, event: string, payload?: unknown): Promise<Json> =>
  agent.socket.timeout(10_000).emitWithAck(event, ...(payload === undefined ? [] : [payload]));

const received = (agent: Agent, name: string, match: (payload: Json) => boolean = () => true) =>
  until(`${name} on a socket`, () => agent.events.some((e) => e.name === name && match(e.payload)), 10_000).then(
    () => agent.events.find((e) => e.name === name && match(e.payload))!.payload,
  );

const errorOf = (body: Json) => [body.success, body.error?.code];

describe('Socket.IO (seed 002 realtime)', () => {
  let s: Stack;
  let admin: Account;
  let agentUser: Account;
  let supervisorUser: Account;
  let colleagueUser: Account;
  let stranger: Account;
  let agent: Agent;
  let supervisor: Agent;
  let colleague: Agent;
  let outsider: Agent;

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    agentUser = await newMember(s.url, admin, 'USER');
    supervisorUser = await newMember(s.url, admin, 'MANAGER');
    colleagueUser = await newMember(s.url, admin, 'USER');
    stranger = await newOrganization(s.url);
    agent = await signedIn(s, agentUser);
    supervisor = await signedIn(s, supervisorUser);
    colleague = await signedIn(s, colleagueUser);
    outsider = await signedIn(s, stranger);
  });

  it('takes a call end to end: incoming-call for a REST call, answer, hold, notes, transfer, end', async () => {
    const created = await rest(s.url, 'POST', '/api/calls', {
      token: admin.token,
      body: { caller_number: '+7 (495) 123-45-67', receiver_number: '+7 (495) 987-65-43', assigned_user_id: Number(agentUser.id) },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const callId: number = created.body.data.id;

    const incoming = await received(agent, 'incoming-call', (c) => c.id === callId);
    assert.deepEqual(incoming, {
      id: callId,
      caller_number: '+7 (495) 123-45-67',
      receiver_number: '+7 (495) 987-65-43',
      timestamp: incoming.timestamp,
      assigned_user_id: Number(agentUser.id),
      caller_company_id: null,
    });
    assert.ok(!Number.isNaN(Date.parse(incoming.timestamp)));
    await received(agent, 'active-calls', (list) => list.some((c: Json) => c.id === callId && c.status === 'incoming'));
    // A plain user sees only calls of their own.
    await received(supervisor, 'incoming-call', (c) => c.id === callId);
    assert.ok(!colleague.events.some((e) => e.name === 'incoming-call' && e.payload.id === callId));

    const answered = await ack(agent, 'answer-call', {
      callId,
      action: 'accept',
      initialData: { customerName: 'Иван Петров', company: 'ООО Технологии', quickNotes: 'Звонок по поводу услуг' },
    });
    assert.equal(answered.success, true, JSON.stringify(answered));
    assert.deepEqual(
      [answered.data.id, answered.data.status, answered.data.customer_name, answered.data.company, answered.data.notes],
      [callId, 'accepted', 'Иван Петров', 'ООО Технологии', 'Звонок по поводу услуг'],
    );
    const seen = await received(supervisor, 'call-answered', (e) => e.callId === callId);
    assert.deepEqual([seen.action, seen.userId, seen.call.status], ['accept', Number(agentUser.id), 'accepted']);
    assert.deepEqual(errorOf(await ack(agent, 'answer-call', { callId, action: 'accept' })), [false, 'CONFLICT']);

    assert.equal((await ack(agent, 'hold-call', { callId, isHold: true })).data.is_on_hold, true);
    assert.deepEqual(await received(supervisor, 'call-hold-changed', (e) => e.callId === callId && e.isHold), {
      callId,
      isHold: true,
      userId: Number(agentUser.id),
    });
    assert.equal((await ack(agent, 'hold-call', { callId, isHold: false })).data.is_on_hold, false);
    await received(agent, 'call-hold-changed', (e) => e.callId === callId && e.isHold === false);

    assert.equal((await ack(agent, 'update-call-notes', { callId, notes: 'Перезвонить завтра' })).data.notes, 'Перезвонить завтра');
    const notes = await received(supervisor, 'call-notes-updated', (e) => e.callId === callId);
    assert.deepEqual([notes.notes, notes.userId], ['Перезвонить завтра', Number(agentUser.id)]);

    // The colleague is online because its socket is (presence counts Socket.IO connections).
    const transferred = await ack(agent, 'transfer-call', {
      callId,
      targetUserId: Number(colleagueUser.id),
      transferReason: 'Специалист по данному вопросу',
    });
    assert.equal(transferred.success, true, JSON.stringify(transferred));
    const transfer = await received(colleague, 'incoming-transfer', (e) => e.callId === callId);
    assert.deepEqual(Object.keys(transfer).sort(), ['call', 'callId', 'fromUser', 'transferReason']);
    assert.deepEqual(
      [transfer.fromUser, transfer.transferReason, transfer.call.id, transfer.call.assigned_user_id],
      [Number(agentUser.id), 'Специалист по данному вопросу', callId, Number(colleagueUser.id)],
    );
    const initiated = await received(agent, 'transfer-initiated', (e) => e.callId === callId);
    assert.deepEqual([initiated.fromUser, initiated.toUser], [Number(agentUser.id), Number(colleagueUser.id)]);
    assert.ok(!agent.events.some((e) => e.name === 'incoming-transfer'), 'the transferring agent gets no incoming-transfer');

    const ended = await ack(colleague, 'end-call', { callId, outcome: 'Договорились о встрече' });
    assert.deepEqual([ended.success, ended.data.status], [true, 'completed']);
    const end = await received(supervisor, 'call-ended', (e) => e.callId === callId);
    assert.deepEqual([end.status, end.userId, end.call.status], ['completed', Number(colleagueUser.id), 'completed']);
    await received(supervisor, 'active-calls', (list) => !list.some((c: Json) => c.id === callId));

    // Another organization saw none of it, and cannot act on the call.
    await sleep(200);
    assert.deepEqual(
      outsider.events.map((e) => e.name),
      ['authenticated'],
    );
    assert.deepEqual(errorOf(await ack(outsider, 'answer-call', { callId, action: 'accept' })), [false, 'CALL_NOT_FOUND']);
    assert.deepEqual(errorOf(await ack(outsider, 'update-call-notes', { callId, notes: 'x' })), [false, 'CALL_NOT_FOUND']);
    const untouched = await rest(s.url, 'GET', `/api/calls/${callId}`, { token: admin.token });
    assert.equal(untouched.body.data.notes, 'Перезвонить завтра');
  });

  it('answers bad input with the seed error naming what is wrong, and writes nothing', async () => {
    const created = await rest(s.url, 'POST', '/api/calls', {
      token: admin.token,
      body: { caller_number: '+7 (495) 111-22-33', assigned_user_id: Number(agentUser.id) },
    });
    const callId: number = created.body.data.id;
    const cases: [string, unknown, string, RegExp][] = [
      ['answer-call', { action: 'accept' }, 'VALIDATION_ERROR', /callId: field required/],
      ['answer-call', { callId: 'abc' }, 'VALIDATION_ERROR', /callId: must be a positive integer/],
      ['answer-call', { callId: -3 }, 'VALIDATION_ERROR', /callId/],
      ['answer-call', { callId, action: 'maybe' }, 'VALIDATION_ERROR', /action: must be one of accept, reject/],
      ['answer-call', { callId, initialData: { customerName: 5 } }, 'VALIDATION_ERROR', /initialData.customerName: must be a string/],
      ['answer-call', 'not an object', 'VALIDATION_ERROR', /payload must be an object/],
      ['answer-call', undefined, 'VALIDATION_ERROR', /payload must be an object/],
      ['hold-call', { callId }, 'VALIDATION_ERROR', /isHold: field required/],
      ['hold-call', { callId, isHold: 'yes' }, 'VALIDATION_ERROR', /isHold: must be true or false/],
      ['transfer-call', { callId }, 'VALIDATION_ERROR', /targetUserId: field required/],
      ['update-call-notes', { callId, notes: 7 }, 'VALIDATION_ERROR', /notes: must be a string/],
      ['answer-call', { callId: 987654321, action: 'accept' }, 'CALL_NOT_FOUND', /not found/i],
      ['end-call', { callId }, 'CONFLICT', /./],
    ];
    for (const [event, payload, code, message] of cases) {
      const body = await ack(agent, event, payload);
      assert.deepEqual(errorOf(body), [false, code], `${event} ${JSON.stringify(payload)}: ${JSON.stringify(body)}`);
      assert.match(body.error.message, message, `${event} ${JSON.stringify(payload)}`);
      assert.equal(typeof body.error.details, 'object');
    }
    // Without an acknowledgement a failure comes back as an `error` event naming the action.
    agent.socket.emit('hold-call', { callId: 'x' });
    const told = await received(agent, 'error', (e) => e.event === 'hold-call');
    assert.deepEqual(errorOf(told), [false, 'VALIDATION_ERROR']);
    const call = await rest(s.url, 'GET', `/api/calls/${callId}`, { token: admin.token });
    assert.deepEqual([call.body.data.status, call.body.data.customer_name], ['incoming', null]);
  });

  it('refuses a bad token, a userId that is not the token’s, and any action before authenticating', async () => {
    const bad = connect(s.url);
    const refused = await new Promise<Json>((resolve) => {
      bad.socket.once('error', resolve);
      bad.socket.emit('authenticate', { userId: 1, token: 'not-a-token' });
    });
    assert.deepEqual(errorOf(refused), [false, 'UNAUTHORIZED']);
    await until('the refused socket to be disconnected', () => bad.socket.disconnected);

    const impostor = connect(s.url);
    const mismatch = await new Promise<Json>((resolve) => {
      impostor.socket.once('error', resolve);
      impostor.socket.emit('authenticate', { userId: Number(supervisorUser.id), token: agentUser.token });
    });
    assert.deepEqual(errorOf(mismatch), [false, 'UNAUTHORIZED']);
    assert.match(mismatch.error.message, /userId does not match/);
    await until('the impostor to be disconnected', () => impostor.socket.disconnected);

    const anonymous = connect(s.url);
    await until('connected', () => anonymous.socket.connected);
    const created = await rest(s.url, 'POST', '/api/calls', {
      token: admin.token,
      body: { caller_number: '+7 (495) 222-33-44', assigned_user_id: Number(agentUser.id) },
    });
    const callId: number = created.body.data.id;
    assert.deepEqual(errorOf(await ack(anonymous, 'answer-call', { callId, action: 'accept' })), [false, 'UNAUTHORIZED']);
    assert.deepEqual(errorOf(await ack(anonymous, 'authenticate', { userId: 1 })), [false, 'VALIDATION_ERROR']);
    await received(agent, 'incoming-call', (c) => c.id === callId);
    assert.deepEqual(anonymous.events, [], 'an unauthenticated socket receives nothing');
    const call = await rest(s.url, 'GET', `/api/calls/${callId}`, { token: admin.token });
    assert.equal(call.body.data.status, 'incoming');
  });

  it('takes an API key, and the token in the handshake', async () => {
    const key = await graphql(
      s.url,
      'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }',
      { i: { name: 'wallboard' } },
      {
        token: admin.token,
      },
    );
    assert.ok(key.data, JSON.stringify(key.errors));
    const wallboard = connect(s.url);
    const answer = await wallboard.socket.timeout(10_000).emitWithAck('authenticate', { apiKey: key.data.createApiKey.secret });
    assert.deepEqual([answer.success, answer.organizationId], [true, admin.organizationId]);

    const handshake = connect(s.url, { auth: { token: agentUser.token } });
    const authenticated = await new Promise<Json>((resolve) => handshake.socket.once('authenticated', resolve));
    assert.equal(authenticated.userId, Number(agentUser.id));
  });

  it('works across gateway replicas: a socket on a second gateway hears a call made through the first, and its answer reaches the first', async () => {
    const second = await extraGateway(s, { settings: s.settings });
    try {
      const remoteUser = await newMember(s.url, admin, 'USER');
      const remote = await signedIn(s, remoteUser, { url: second.url });
      const created = await rest(s.url, 'POST', '/api/calls', {
        token: admin.token,
        body: { caller_number: '+7 (495) 222-33-44', assigned_user_id: Number(remoteUser.id) },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const callId: number = created.body.data.id;
      await received(remote, 'incoming-call', (c) => c.id === callId);
      const answered = await ack(remote, 'answer-call', { callId, action: 'accept' });
      assert.equal(answered.success, true, JSON.stringify(answered));
      const seen = await received(supervisor, 'call-answered', (e) => e.callId === callId);
      assert.equal(seen.userId, Number(remoteUser.id));
      assert.ok(!outsider.events.some((e) => e.name === 'incoming-call' && e.payload.id === callId));
      remote.socket.disconnect();
    } finally {
      await second.close();
    }
  });

  it('lets exactly one of 50 sockets answer a ringing call; the others hear CONFLICT', async () => {
    const created = await rest(s.url, 'POST', '/api/calls', {
      token: admin.token,
      body: { caller_number: '+7 (495) 333-44-55', assigned_user_id: Number(agentUser.id) },
    });
    const callId: number = created.body.data.id;
    const crowd = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signedIn(s, i % 2 ? supervisorUser : agentUser, { first: false })),
    );
    const answers = await Promise.all(crowd.map((socket) => ack(socket, 'answer-call', { callId, action: 'accept' })));
    const won = answers.filter((a) => a.success === true);
    assert.equal(won.length, 1, JSON.stringify(answers.filter((a) => a.success !== true && a.error?.code !== 'CONFLICT')));
    assert.deepEqual(
      answers.filter((a) => a.success !== true).map((a) => a.error.code),
      Array(49).fill('CONFLICT'),
    );
    crowd.forEach((c) => c.socket.disconnect());
  });

  it('documents its events on a page the OpenAPI document links to', async () => {
    const openapi = await rest(s.url, 'GET', '/openapi.json');
    assert.match(openapi.body.info.description, /\(\/docs\/socket-io\)/);
    const page = await fetch(`${s.url}/docs/socket-io`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const events = ['authenticate', 'authenticated', 'answer-call', 'end-call', 'update-call-notes', 'hold-call', 'transfer-call'];
    events.push('incoming-call', 'call-answered', 'call-ended', 'active-calls', 'call-notes-updated', 'call-hold-changed');
    events.push('incoming-transfer', 'transfer-initiated');
    for (const event of events) assert.ok(html.includes(`<code>${event}</code>`), event);
  });
});
