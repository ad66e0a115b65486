import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql, rest, unique, type RestResult } from './support/client.js';
import { stack, type Stack } from './support/stack.js';
import { statementsOf } from './support/statements.js';
import { until } from './support/wait.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const DIALOG_KEYS = [
  'ai',
  'channel',
  'client',
  'client_id',
  'close_ratio',
  'created_at',
  'description',
  'funnel_id',
  'id',
  'lastActivity',
  'last_message',
  'manager',
  'messages_count',
  'price',
  'stage',
  'status',
  'tags',
  'thread_id',
  'unsubscribed',
  'updated_at',
  'uuid',
];
const DIALOG_CLIENT_KEYS = ['close_ratio', 'email', 'id', 'manager', 'messages_count', 'name', 'phone', 'status'];
const CLIENT_KEYS = [
  'assignedTo',
  'created',
  'created_at',
  'email',
  'id',
  'lastActivity',
  'last_activity',
  'manager',
  'name',
  'phone',
  'status',
  'type',
];
const FUNNEL_KEYS = ['display_name', 'id', 'is_active', 'name'];
const CONNECTION_KEYS = ['connection_data', 'funnel_id', 'id', 'is_active', 'messenger_type', 'name'];
const CONNECTION_DATA_KEYS = ['account_name', 'phone_number_id', 'token_hint', 'verify_token', 'webhook_path'];
const MESSAGE_KEYS = ['id', 'role', 'text', 'time', 'timestamp'];
const BOT_KEYS = [
  'created_at',
  'funnel_id',
  'id',
  'is_active',
  'last_error',
  'name',
  'owner_id',
  'status',
  'token_hint',
  'updated_at',
  'username',
];

const keys = (o: object) => Object.keys(o).sort();

function assertStatus(result: RestResult, status: number, what = '') {
  assert.equal(result.status, status, `${what} → ${result.status} ${JSON.stringify(result.body)}`);
}
/** Seed 003 (a Next.js API) answers errors as `{error}`. */
function assertError(result: RestResult, status: number, what = '') {
  assertStatus(result, status, what);
  assert.deepEqual(keys(result.body), ['error'], what);
  assert.equal(typeof result.body.error, 'string', what);
}
/** Seed 004 (FastAPI) answers errors as `{detail}`. */
function assertDetail(result: RestResult, status: number, what = '') {
  assertStatus(result, status, what);
  assert.deepEqual(keys(result.body), ['detail'], what);
  assert.equal(typeof result.body.detail, 'string', what);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql<T>(url, query, variables, { token });
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data;
}

const CREATE_FUNNEL = `mutation($input: CreateFunnelInput!) { createFunnel(input: $input) { id } }`;
const STAGES = [
  { name: 'Greeting', assistantCodeName: 'greeter', prompt: 'Greet the client', followUps: [{ delayMinutes: 60, text: 'Still there?' }] },
  { name: 'Offer', assistantCodeName: 'seller', prompt: 'Make an offer' },
];

let botNumber = 8_100_000;
/** A bot the stand-in Bot API accepts. */
function newBot(s: Stack): string {
  const token = `${botNumber++}:${unique('rest')}BBBBBBBBBBBBBBBBBBBB`;
  s.telegram.addBot(token, unique('bot'));
  return token;
}

async function newFunnel(s: Stack, admin: Account, displayName = 'Sales'): Promise<string> {
  const { createFunnel } = await ok(s.url, CREATE_FUNNEL, { input: { name: unique('f'), displayName, stages: STAGES } }, admin.token);
  return createFunnel.id as string;
}

describe('REST seed 003: funnels, clients and dialogs under /api/organization/{orgId}', () => {
  let s: Stack;
  let admin: Account;
  let other: Account;
  let funnelId: string;
  let token: string;
  let connectionId: string;
  let dialogId: string;
  let clientId: number;
  const chatId = 7_310_001;
  const org = () => `/api/organization/${admin.organizationId}`;
  const call = (method: string, path: string, body?: unknown, as: Account = admin) =>
    rest(s.url, method, `/api/organization/${as.organizationId}${path}`, { token: as.token, body });
  /** Every response body of this suite, to look for the bots' tokens in. */
  const seen: string[] = [];
  const tokens: string[] = [];
  const record = (result: RestResult) => (seen.push(JSON.stringify(result.body)), result);

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    other = await newOrganization(s.url);
    funnelId = await newFunnel(s, admin);
    token = newBot(s);
    tokens.push(token);
    const created = record(
      await call('POST', `/funnel/${funnelId}/messenger_connection`, { messenger_type: 'telegram', token, name: 'Shop' }),
    );
    assertStatus(created, 201, 'POST messenger_connection');
    connectionId = created.body.id as string;
    assert.equal(await s.telegram.postUpdate(token, s.telegram.textUpdate(chatId, 'Здравствуйте!', { first_name: 'Ivan' })), 200);
    const dialogs = await call('GET', `/funnel/${funnelId}/dialogs`);
    dialogId = dialogs.body.find((d: { thread_id: string }) => d.thread_id === String(chatId)).id as string;
    clientId = dialogs.body.find((d: { thread_id: string }) => d.thread_id === String(chatId)).client_id as number;
  });

  it('lists funnels, reads one with its stages and follow-ups, lists and updates its assistants', async () => {
    const funnels = record(await call('GET', '/funnels'));
    assertStatus(funnels, 200, 'GET funnels');
    const listed = funnels.body.find((f: { id: string }) => f.id === funnelId);
    assert.deepEqual(keys(listed), FUNNEL_KEYS);
    assert.deepEqual([listed.display_name, listed.is_active], ['Sales', true]);

    const funnel = record(await call('GET', `/funnel/${funnelId}`));
    assertStatus(funnel, 200, 'GET funnel');
    assert.deepEqual(keys(funnel.body), [...FUNNEL_KEYS, 'stages'].sort());
    assert.deepEqual(funnel.body.stages, [
      {
        name: 'Greeting',
        assistant_code_name: 'greeter',
        prompt: 'Greet the client',
        followups: [{ delay_minutes: 60, text: 'Still there?' }],
      },
      { name: 'Offer', assistant_code_name: 'seller', prompt: 'Make an offer', followups: [] },
    ]);

    const assistants = record(await call('GET', `/funnel/${funnelId}/assistants`));
    assertStatus(assistants, 200, 'GET assistants');
    assert.deepEqual(assistants.body, [
      { assistant_code_name: 'greeter', name: 'Greeting', prompt: 'Greet the client', followups_count: 1 },
      { assistant_code_name: 'seller', name: 'Offer', prompt: 'Make an offer', followups_count: 0 },
    ]);

    const updated = record(await call('PUT', `/funnel/${funnelId}/assistant/seller`, { prompt: 'Offer 10% off' }));
    assertStatus(updated, 200, 'PUT assistant');
    assert.deepEqual(updated.body, { assistant_code_name: 'seller', name: 'Offer', prompt: 'Offer 10% off', followups_count: 0 });
    assertError(await call('PUT', `/funnel/${funnelId}/assistant/seller`, {}), 400, 'PUT assistant without prompt');
    assertError(await call('PUT', `/funnel/${funnelId}/assistant/seller`, { prompt: 5 }), 400, 'PUT assistant with a number');
    assertError(await call('PUT', `/funnel/${funnelId}/assistant/nobody`, { prompt: 'x' }), 404, 'PUT unknown assistant');
  });

  it('lists, creates and deletes messenger connections; the token is masked in connection_data', async () => {
    const list = record(await call('GET', `/funnel/${funnelId}/messenger_connections`));
    assertStatus(list, 200, 'GET messenger_connections');
    const [connection] = list.body;
    assert.deepEqual(keys(connection), CONNECTION_KEYS);
    assert.deepEqual(keys(connection.connection_data), CONNECTION_DATA_KEYS);
    assert.deepEqual(
      [connection.id, connection.name, connection.messenger_type, connection.is_active, connection.funnel_id],
      [connectionId, 'Shop', 'telegram', true, funnelId],
    );
    assert.equal(connection.connection_data.token_hint, `…${token.slice(-4)}`);
    assert.equal(connection.connection_data.webhook_path, `/webhooks/telegram/${connectionId}`);

    const second = newBot(s);
    tokens.push(second);
    const created = record(await call('POST', `/funnel/${funnelId}/messenger_connection`, { messenger_type: 'telegram', token: second }));
    assertStatus(created, 201, 'POST messenger_connection');
    assert.deepEqual(keys(created.body), CONNECTION_KEYS);
    assert.equal(created.body.name, null);
    for (const [body, what] of [
      [{ token: second }, 'without messenger_type'],
      [{ messenger_type: 'viber', token: second }, 'an unknown messenger'],
      [{ messenger_type: 'telegram' }, 'without token'],
      [{ messenger_type: 'telegram', token: 42 }, 'a numeric token'],
      [{ messenger_type: 'telegram', token: '1:refused-by-telegram' }, 'a token Telegram refuses'],
    ] as const) {
      assertError(await call('POST', `/funnel/${funnelId}/messenger_connection`, body), 400, `POST messenger_connection ${what}`);
    }
    const removed = record(await call('DELETE', `/funnel/${funnelId}/messenger_connection/${created.body.id}`));
    assertStatus(removed, 200, 'DELETE messenger_connection');
    assert.deepEqual(removed.body, { success: true, id: created.body.id });
    assertError(await call('DELETE', `/funnel/${funnelId}/messenger_connection/${created.body.id}`), 404, 'DELETE it again');
  });

  it('serves the dialogs of a funnel with the kanban fields, the client and the manager', async () => {
    const manager = await newMember(s.url, admin, 'MANAGER');
    await ok(
      s.url,
      `mutation($id: ID!, $input: UpdateDialogInput!) { updateDialog(id: $id, input: $input) { id } }`,
      { id: dialogId, input: { managerUserId: manager.id, closeRatio: 40, price: 1500.5, tags: ['hot'], description: 'Laptop' } },
      admin.token,
    );
    const dialogs = record(await call('GET', `/funnel/${funnelId}/dialogs`));
    assertStatus(dialogs, 200, 'GET dialogs');
    const d = dialogs.body.find((x: { id: string }) => x.id === dialogId);
    assert.deepEqual(keys(d), DIALOG_KEYS);
    assert.deepEqual(keys(d.client), DIALOG_CLIENT_KEYS);
    assert.match(d.id, UUID);
    assert.equal(d.uuid, d.id);
    assert.equal(typeof d.client_id, 'number');
    assert.equal(d.client.id, d.client_id);
    for (const field of ['created_at', 'updated_at', 'lastActivity']) assert.match(d[field], ISO, field);
    assert.deepEqual(
      [d.thread_id, d.funnel_id, d.status, d.messages_count, d.last_message, d.close_ratio, d.manager, d.unsubscribed],
      [String(chatId), funnelId, 'open', 1, 'Здравствуйте!', 40, manager.username, false],
    );
    assert.equal(typeof d.ai, 'boolean');
    assert.deepEqual([d.stage, d.description, d.tags, d.price, d.channel], ['Greeting', 'Laptop', ['hot'], 1500.5, 'telegram']);
    assert.deepEqual(
      [d.client.name, d.client.status, d.client.close_ratio, d.client.messages_count, d.client.manager],
      ['Ivan', 'active', 40, 1, null],
    );

    const ofClient = record(await call('GET', `/client/${clientId}/dialogs`));
    assertStatus(ofClient, 200, 'GET client dialogs');
    assert.deepEqual(ofClient.body, [d]);
  });

  it('reads a dialog’s messages by page and sends a message as a manager or an assistant', async () => {
    const sent = record(await call('POST', `/funnel/${funnelId}/dialog/${dialogId}/message`, { text: 'Чем помочь?' }));
    assertStatus(sent, 201, 'POST message');
    assert.deepEqual(keys(sent.body), MESSAGE_KEYS);
    assert.deepEqual([sent.body.text, sent.body.role], ['Чем помочь?', 'manager']);
    assert.match(sent.body.timestamp, ISO);
    assert.equal(sent.body.time, sent.body.timestamp.slice(11, 16));
    assert.match(sent.body.time, /^\d{2}:\d{2}$/);
    const byAssistant = await call('POST', `/funnel/${funnelId}/dialog/${dialogId}/message`, { text: 'Скидка 10%', role: 'assistant' });
    assertStatus(byAssistant, 201);
    assert.equal(byAssistant.body.role, 'assistant');
    for (const [body, what] of [
      [{}, 'without text'],
      [{ text: 'x', role: 'user' }, 'as the client'],
      [{ text: 7 }, 'a numeric text'],
    ] as const) {
      assertError(await call('POST', `/funnel/${funnelId}/dialog/${dialogId}/message`, body), 400, `POST message ${what}`);
    }
    await s.telegram.waitFor((c) => c.method === 'sendMessage' && c.body.text === 'Скидка 10%');

    const all = record(await call('GET', `/funnel/${funnelId}/dialog/${dialogId}/messages`));
    assertStatus(all, 200, 'GET messages');
    assert.deepEqual(
      all.body.map((m: { text: string; role: string }) => [m.text, m.role]),
      [
        ['Здравствуйте!', 'user'],
        ['Чем помочь?', 'manager'],
        ['Скидка 10%', 'assistant'],
      ],
    );
    all.body.forEach((m: object) => assert.deepEqual(keys(m), MESSAGE_KEYS));
    const page2 = await call('GET', `/funnel/${funnelId}/dialog/${dialogId}/messages?page=2&limit=2`);
    assert.deepEqual(
      page2.body.map((m: { text: string }) => m.text),
      ['Скидка 10%'],
    );
    for (const query of ['page=0', 'limit=0', 'limit=201', 'page=abc']) {
      assertError(await call('GET', `/funnel/${funnelId}/dialog/${dialogId}/messages?${query}`), 400, `GET messages?${query}`);
    }
  });

  it('lists, reads, updates and deletes clients', async () => {
    const clients = record(await call('GET', '/clients'));
    assertStatus(clients, 200, 'GET clients');
    const c = clients.body.find((x: { id: number }) => x.id === clientId);
    assert.deepEqual(keys(c), CLIENT_KEYS);
    assert.equal(typeof c.id, 'number');
    assert.deepEqual([c.name, c.status, c.type, c.manager, c.assignedTo], ['Ivan', 'active', 'new', null, null]);
    for (const field of ['created', 'lastActivity', 'created_at', 'last_activity']) assert.match(c[field], ISO, field);
    assert.equal(c.created, c.created_at);

    const updated = record(
      await call('PUT', `/client/${clientId}`, {
        name: 'Иван Петров',
        email: 'ivan@example.com',
        phone: '+7 999 123 45 67',
        manager: 'Ольга',
        status: 'inactive',
      }),
    );
    assertStatus(updated, 200, 'PUT client');
    assert.deepEqual(
      [updated.body.name, updated.body.email, updated.body.phone, updated.body.manager, updated.body.status, updated.body.assignedTo],
      ['Иван Петров', 'ivan@example.com', '+7 999 123 45 67', 'Ольга', 'inactive', 'Ольга'],
    );
    const read = record(await call('GET', `/client/${clientId}`));
    assertStatus(read, 200, 'GET client');
    assert.deepEqual(read.body, updated.body);
    assertError(await call('PUT', `/client/${clientId}`, { status: 'vip' }), 400, 'PUT client with an unknown status');
    assertError(await call('PUT', `/client/${clientId}`, { name: 5 }), 400, 'PUT client with a numeric name');
    assertError(await call('PUT', `/client/${clientId}`, '{"name": '), 400, 'PUT client with malformed JSON');

    // A client of its own, deleted with its dialog.
    await s.telegram.postUpdate(token, s.telegram.textUpdate(7_310_002, 'Bye soon', { first_name: 'Temp' }));
    const temp = (await call('GET', '/clients')).body.find((x: { name: string }) => x.name === 'Temp');
    const removed = record(await call('DELETE', `/client/${temp.id}`));
    assertStatus(removed, 200, 'DELETE client');
    assert.deepEqual(removed.body, { success: true, id: temp.id });
    assertError(await call('GET', `/client/${temp.id}`), 404, 'GET deleted client');
  });

  it('answers 404 for unknown funnels, dialogs, clients and connections', async () => {
    const nobody = randomUUID();
    for (const [method, path] of [
      ['GET', `/funnel/${nobody}`],
      ['GET', `/funnel/${nobody}/dialogs`],
      ['GET', `/funnel/${nobody}/assistants`],
      ['GET', `/funnel/${nobody}/messenger_connections`],
      ['DELETE', `/funnel/${nobody}`],
      ['GET', `/funnel/${funnelId}/dialog/${nobody}/messages`],
      ['DELETE', `/funnel/${funnelId}/messenger_connection/${nobody}`],
      ['GET', '/client/2147483000'],
      ['GET', '/client/2147483000/dialogs'],
      ['DELETE', '/client/2147483000'],
    ]) {
      assertError(await call(method, path), 404, `${method} ${path}`);
    }
    assertError(await call('POST', `/funnel/${funnelId}/dialog/${nobody}/message`, { text: 'x' }), 404, 'POST message to nobody');
    assertError(await call('PUT', '/client/2147483000', { name: 'x' }), 404, 'PUT unknown client');
  });

  it("answers 404 for a dialog or a connection under another funnel's URL", async () => {
    const other = await newFunnel(s, admin, 'Other');
    assertError(await call('GET', `/funnel/${other}/dialog/${dialogId}/messages`), 404, 'messages under another funnel');
    assertError(await call('POST', `/funnel/${other}/dialog/${dialogId}/message`, { text: 'x' }), 404, 'send under another funnel');
    assertError(await call('DELETE', `/funnel/${other}/messenger_connection/${connectionId}`), 404, 'delete under another funnel');
    assert.equal((await call('GET', `/funnel/${funnelId}/dialog/${dialogId}/messages`)).status, 200);
  });

  it("answers 404 for another organization's orgId on every route, whatever the rest of the URL", async () => {
    const doc = await rest(s.url, 'GET', '/openapi.json');
    const paths = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).filter(([path]) =>
      path.startsWith('/api/organization/{orgId}'),
    );
    const operations = paths.flatMap(([path, methods]) => Object.keys(methods).map((method) => [method, path] as const));
    assert.equal(operations.length, 16, 'every seed 003 route is documented');
    const values: Record<string, string> = {
      funnelId,
      dialogUuid: dialogId,
      clientId: String(clientId),
      connectionId,
      assistantCode: 'greeter',
    };
    const body: Record<string, unknown> = { text: 'x', prompt: 'x', messenger_type: 'telegram', token: 'x', name: 'x' };
    for (const [method, template] of operations) {
      for (const orgId of [other.organizationId, randomUUID(), 'not-an-org', `${admin.organizationId}x`]) {
        const path = template.replace('{orgId}', orgId).replace(/\{(\w+)\}/g, (_, name: string) => values[name]);
        const result = record(
          await rest(s.url, method.toUpperCase(), path, { token: admin.token, body: method === 'get' ? undefined : body }),
        );
        assertError(result, 404, `${method} ${path}`);
        assert.equal(result.body.error, 'Organization not found');
      }
    }
    // Own data is untouched, and the org id is compared case-insensitively.
    assertStatus(await call('GET', `/funnel/${funnelId}`), 200);
    const upper = await rest(s.url, 'GET', `/api/organization/${admin.organizationId.toUpperCase()}/funnels`, { token: admin.token });
    assertStatus(upper, 200, 'the orgId in upper case');
    // The OpenAPI document says so.
    const parameter = (doc.body.paths[`/api/organization/{orgId}/funnels`].get.parameters as { name: string; description?: string }[]).find(
      (p) => p.name === 'orgId',
    );
    assert.match(parameter?.description ?? '', /404/);
  });

  it("answers 404 for another organization's dialogs, clients, funnels and connections under the caller's own orgId", async () => {
    const theirs = (path: string, method = 'GET', body?: unknown) => call(method, path, body, other);
    for (const [method, path, body] of [
      ['GET', `/funnel/${funnelId}`],
      ['GET', `/funnel/${funnelId}/dialogs`],
      ['GET', `/funnel/${funnelId}/messenger_connections`],
      ['PUT', `/funnel/${funnelId}/assistant/greeter`, { prompt: 'stolen' }],
      ['DELETE', `/funnel/${funnelId}`],
      ['GET', `/funnel/${funnelId}/dialog/${dialogId}/messages`],
      ['POST', `/funnel/${funnelId}/dialog/${dialogId}/message`, { text: 'stolen' }],
      ['DELETE', `/funnel/${funnelId}/messenger_connection/${connectionId}`],
      ['GET', `/client/${clientId}`],
      ['GET', `/client/${clientId}/dialogs`],
      ['PUT', `/client/${clientId}`, { name: 'stolen' }],
      ['DELETE', `/client/${clientId}`],
    ] as [string, string, unknown?][]) {
      assertError(await theirs(path, method, body), 404, `other org: ${method} ${path}`);
    }
    assert.ok(!(await theirs('/clients')).body.some((c: { id: number }) => c.id === clientId));
    assert.ok(!(await theirs('/funnels')).body.some((f: { id: string }) => f.id === funnelId));
    assertStatus(await call('GET', `/client/${clientId}`), 200, 'the client is still there');
  });

  it('lets a guest read but not write, and refuses callers without credentials', async () => {
    const guest = await newMember(s.url, admin, 'GUEST');
    assertStatus(await call('GET', `/funnel/${funnelId}/dialogs`, undefined, guest), 200, 'guest reads dialogs');
    assertError(await call('POST', `/funnel/${funnelId}/dialog/${dialogId}/message`, { text: 'x' }, guest), 403, 'guest sends');
    assertError(await call('DELETE', `/client/${clientId}`, undefined, guest), 403, 'guest deletes');
    // A guest is refused before its body is looked at, and before the organization is.
    assertError(await call('PUT', `/client/${clientId}`, { status: 'vip' }, guest), 403, 'guest with a bad body');
    assertError(await rest(s.url, 'GET', `${org()}/funnels`), 401, 'anonymous');
  });

  it('costs the same SQL statements for the dialogs of a funnel with 10 as with 100 dialogs', async () => {
    const funnel = await newFunnel(s, admin, 'Load');
    // Two bots: each connection may post 60 updates a minute.
    const bots = [newBot(s), newBot(s)];
    tokens.push(...bots);
    for (const bot of bots) {
      assertStatus(await call('POST', `/funnel/${funnel}/messenger_connection`, { messenger_type: 'telegram', token: bot }), 201);
    }
    const manager = await newMember(s.url, admin, 'MANAGER');
    let chat = 7_400_000;
    const addDialogs = async (count: number, bot: string) => {
      for (let i = 0; i < count; i++) assert.equal(await s.telegram.postUpdate(bot, s.telegram.textUpdate(chat++, `hello ${i}`)), 200);
    };
    const list = async () => {
      const result = await call('GET', `/funnel/${funnel}/dialogs`);
      assertStatus(result, 200);
      return result.body as { manager: string | null; client: { name: string }; last_message: string; tags: string[] }[];
    };
    /** Gives the first `count` dialogs of the funnel a manager (a user federated from identity); the rest have none. */
    const assignManager = async (count: number) => {
      const { dialogs } = await ok(
        s.url,
        `query($f: ID) { dialogs(funnelId: $f, first: 200) { nodes { id } } }`,
        { f: funnel },
        admin.token,
      );
      for (const { id } of (dialogs.nodes as { id: string }[]).slice(0, count)) {
        await ok(
          s.url,
          `mutation($id: ID!, $m: ID) { updateDialog(id: $id, input: { managerUserId: $m }) { id } }`,
          { id, m: manager.id },
          admin.token,
        );
      }
    };

    await addDialogs(10, bots[0]);
    await assignManager(3);
    const few = await statementsOf(list);
    assert.equal(few.result.length, 10);
    assert.ok(few.result.every((d) => d.last_message.startsWith('hello') && d.client.name && Array.isArray(d.tags)));
    assert.equal(few.result.filter((d) => d.manager === manager.username).length, 3);

    await addDialogs(40, bots[0]);
    await addDialogs(50, bots[1]);
    await until('100 dialogs', async () => (await list()).length === 100);
    const many = await statementsOf(list);
    assert.equal(many.result.length, 100);
    assert.equal(many.result.filter((d) => d.manager === manager.username).length, 3);
    console.log(`seed 003 dialogs: ${few.statements} SQL statements for 10 dialogs, ${many.statements} for 100`);
    assert.equal(many.statements, few.statements);
  });

  it('never returns a token', () => {
    assert.ok(seen.length > 20);
    for (const secret of tokens) {
      const key = secret.split(':')[1];
      assert.ok(!seen.some((body) => body.includes(key)), 'no response holds a token');
    }
  });
});

describe('REST seed 004: Telegram bots under /admin/telegram/bots', () => {
  let s: Stack;
  let admin: Account;
  let user: Account;
  let guest: Account;
  const seen: string[] = [];
  const tokens: string[] = [];
  const call = async (as: Account, method: string, path: string, body?: unknown) => {
    const result = await rest(s.url, method, `/admin/telegram/bots${path}`, { token: as.token, body });
    seen.push(JSON.stringify(result.body));
    return result;
  };
  const bot = () => {
    const token = newBot(s);
    tokens.push(token);
    return token;
  };

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    user = await newMember(s.url, admin, 'USER');
    guest = await newMember(s.url, admin, 'GUEST');
  });

  it('creates, lists, reads, updates, stops, starts, tests and deletes a bot in the documented shape', async () => {
    const funnelId = await newFunnel(s, admin);
    const token = bot();
    const created = await call(admin, 'POST', '', { name: 'Shop bot', token, funnel_id: funnelId });
    assertStatus(created, 201, 'POST bots');
    const b = created.body;
    assert.deepEqual(keys(b), BOT_KEYS);
    assert.match(b.id, UUID);
    assert.deepEqual(
      [b.name, b.is_active, b.status, b.token_hint, b.funnel_id, b.owner_id, b.last_error],
      ['Shop bot', true, 'running', `…${token.slice(-4)}`, funnelId, Number(admin.id), null],
    );
    assert.equal(typeof b.username, 'string');
    assert.match(b.created_at, ISO);
    assert.match(b.updated_at, ISO);

    const list = await call(admin, 'GET', '');
    assertStatus(list, 200, 'GET bots');
    assert.deepEqual(
      list.body.find((x: { id: string }) => x.id === b.id),
      b,
    );
    assertStatus(await call(admin, 'GET', `/${b.id}`), 200, 'GET bot');
    assert.deepEqual((await call(admin, 'GET', `/${b.id}`)).body, b);

    const renamed = await call(admin, 'PUT', `/${b.id}`, { name: 'Renamed', funnel_id: null });
    assertStatus(renamed, 200, 'PUT bot');
    assert.deepEqual([renamed.body.name, renamed.body.funnel_id, renamed.body.status], ['Renamed', null, 'running']);

    const stopped = await call(admin, 'POST', `/${b.id}/stop`);
    assertStatus(stopped, 200, 'stop');
    assert.equal(stopped.body.status, 'stopped');
    assert.equal(s.telegram.webhookOf(token), undefined);
    const started = await call(admin, 'POST', `/${b.id}/start`);
    assertStatus(started, 200, 'start');
    assert.equal(started.body.status, 'running');
    assert.ok(s.telegram.webhookOf(token));

    const tested = await call(admin, 'POST', `/${b.id}/test`, { chat_id: 424242, text: 'Проверка' });
    assertStatus(tested, 200, 'test');
    assert.deepEqual(tested.body, { ok: true, error: null });
    const sent = await s.telegram.waitFor((c) => c.method === 'sendMessage' && c.token === token && c.body.text === 'Проверка');
    assert.equal(String(sent.body.chat_id), '424242');
    assertStatus(await call(admin, 'POST', `/${b.id}/test`), 200, 'test without a body');

    const removed = await call(admin, 'DELETE', `/${b.id}`);
    assertStatus(removed, 200, 'DELETE bot');
    assert.deepEqual(removed.body, { status: 'ok', id: b.id });
    assertDetail(await call(admin, 'GET', `/${b.id}`), 404, 'GET deleted bot');
  });

  it('answers 422 for bad input and 404 for unknown bots, as {detail}', async () => {
    for (const [body, what] of [
      [{ token: bot() }, 'without name'],
      [{ name: 'x' }, 'without token'],
      [{ name: 5, token: bot() }, 'a numeric name'],
      [{ name: 'x', token: bot(), auto_start: 'yes' }, 'auto_start as a string'],
      [{ name: 'x', token: bot(), funnel_id: 7 }, 'a numeric funnel_id'],
      [{ name: 'x', token: '1:refused' }, 'a token Telegram refuses'],
    ] as const) {
      assertDetail(await call(admin, 'POST', '', body), 422, `POST bots ${what}`);
    }
    assertDetail(await call(admin, 'POST', '', '{"name": '), 422, 'malformed JSON');
    const { body: b } = await call(admin, 'POST', '', { name: 'Bot', token: bot(), auto_start: false });
    assert.equal(b.status, 'stopped');
    assertDetail(await call(admin, 'POST', `/${b.id}/test`, { chat_id: 'abc' }), 422, 'test with a string chat_id');
    assertDetail(await call(admin, 'PUT', `/${b.id}`, { is_active: 'no' }), 422, 'PUT is_active as a string');
    const nobody = randomUUID();
    for (const [method, path] of [
      ['GET', `/${nobody}`],
      ['PUT', `/${nobody}`],
      ['DELETE', `/${nobody}`],
      ['POST', `/${nobody}/start`],
      ['POST', `/${nobody}/stop`],
      ['POST', `/${nobody}/test`],
      ['GET', '/not-a-uuid'],
    ]) {
      assertDetail(await call(admin, method, path, method === 'PUT' ? { name: 'x' } : undefined), 404, `${method} ${path}`);
    }
  });

  it('shows users their own bots and admins all; guests read but may not write', async () => {
    const mine = await call(user, 'POST', '', { name: 'User bot', token: bot() });
    assertStatus(mine, 201, 'user creates a bot');
    assert.equal(mine.body.owner_id, Number(user.id));
    const admins = await call(admin, 'POST', '', { name: 'Admin bot', token: bot() });
    assertStatus(admins, 201);

    const userList = (await call(user, 'GET', '')).body as { id: string; owner_id: number }[];
    assert.ok(userList.length >= 1 && userList.every((x) => x.owner_id === Number(user.id)), 'a user sees only their bots');
    assertDetail(await call(user, 'GET', `/${admins.body.id}`), 404, "user reads the admin's bot");
    assertDetail(await call(user, 'POST', `/${admins.body.id}/stop`), 404, "user stops the admin's bot");
    const adminList = (await call(admin, 'GET', '')).body as { id: string }[];
    assert.ok(adminList.some((x) => x.id === mine.body.id) && adminList.some((x) => x.id === admins.body.id), 'an admin sees all');

    const stranger = await newOrganization(s.url);
    assert.ok(!(await call(stranger, 'GET', '')).body.some((x: { id: string }) => x.id === admins.body.id));
    assertDetail(await call(stranger, 'GET', `/${admins.body.id}`), 404, 'another organization');

    assertStatus(await call(guest, 'GET', ''), 200, 'guest lists');
    for (const [method, path, body] of [
      ['POST', '', { name: 'Guest bot', token: bot() }],
      ['POST', '', {}],
      ['PUT', `/${mine.body.id}`, { name: 'x' }],
      ['DELETE', `/${mine.body.id}`],
      ['POST', `/${mine.body.id}/start`],
      ['POST', `/${mine.body.id}/stop`],
      ['POST', `/${mine.body.id}/test`, { chat_id: 1 }],
    ] as [string, string, unknown?][]) {
      assertDetail(await call(guest, method, path, body), 403, `guest ${method} ${path}`);
    }
  });

  it('never returns a token', () => {
    assert.ok(seen.length > 20);
    for (const token of tokens) {
      const key = token.split(':')[1];
      assert.ok(!seen.some((body) => body.includes(key)), 'no response holds a token');
    }
  });
});
