import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql, rest, unique, type RestResult } from './support/client.js';
import { stack, type Stack } from './support/stack.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const TICKET_KEYS = [
  'attachments',
  'created_at',
  'department',
  'description',
  'first_response_due_at',
  'funnel_id',
  'funnel_name',
  'id',
  'messages_count',
  'overdue',
  'priority',
  'resolution_due_at',
  'status',
  'subject',
  'updated_at',
];
const MESSAGE_KEYS = ['attachments', 'id', 'role', 'text', 'timestamp'];
const ATTACHMENT_KEYS = ['content_type', 'id', 'name', 'size', 'url'];
const keys = (o: object) => Object.keys(o).sort();
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function assertError(result: RestResult, status: number, what = '') {
  assert.equal(result.status, status, `${what}: ${JSON.stringify(result.body)}`);
  assert.deepEqual(keys(result.body as object), ['error'], `${what}: seed 003's {error} body`);
  assert.equal(typeof (result.body as { error: unknown }).error, 'string');
}

/** A multipart request as a browser form sends it. */
async function form(
  s: Stack,
  token: string,
  path: string,
  fields: Record<string, string>,
  field: string,
  files: { name: string; content: Buffer }[],
) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  for (const file of files) body.append(field, new Blob([file.content]), file.name);
  const response = await fetch(`${s.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: response.headers } as RestResult;
}

describe('REST seed 003: support tickets', () => {
  let s: Stack;
  let admin: Account;
  let user: Account;
  let funnelId: string;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    user = await newMember(s.url, admin, 'USER');
    const funnel = await graphql(
      s.url,
      `mutation { createFunnel(input: { name: "${unique('f')}", displayName: "Продажи" }) { id } }`,
      {},
      { token: admin.token },
    );
    funnelId = funnel.data.createFunnel.id as string;
  });

  it('opens a ticket from JSON, lists and reads it in the documented shape with its funnel name', async () => {
    const created = await rest(s.url, 'POST', '/api/support/tickets', {
      token: user.token,
      body: { subject: 'Не приходят уведомления', description: 'С утра', department: 'technical', funnel_id: funnelId },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ticket = created.body;
    assert.deepEqual(keys(ticket), TICKET_KEYS);
    assert.match(ticket.id, UUID);
    assert.deepEqual(
      [ticket.department, ticket.status, ticket.priority, ticket.messages_count, ticket.funnel_id, ticket.funnel_name, ticket.overdue],
      ['technical', 'open', 'medium', 0, funnelId, 'Продажи', false],
    );
    assert.match(ticket.created_at, ISO);

    const listed = await rest(
      s.url,
      'GET',
      `/api/support/tickets?orgId=${admin.organizationId}&status=open&department=technical&page=1&limit=10`,
      {
        token: user.token,
      },
    );
    assert.equal(listed.status, 200);
    assert.ok(Array.isArray(listed.body));
    assert.ok(listed.body.some((t: { id: string }) => t.id === ticket.id));
    const byFunnel = await rest(s.url, 'GET', `/api/support/tickets?funnelId=${funnelId}`, { token: admin.token });
    assert.deepEqual(
      byFunnel.body.map((t: { id: string }) => t.id),
      [ticket.id],
    );
    const read = await rest(s.url, 'GET', `/api/support/tickets/${ticket.id}`, { token: admin.token });
    assert.deepEqual(read.body, { ...ticket, updated_at: read.body.updated_at });
  });

  it('writes and reads messages with attachments, as the requester and as support, and downloads them', async () => {
    const created = await form(
      s,
      user.token,
      '/api/support/tickets',
      { subject: 'Счёт', description: 'Двойное списание', department: 'billing', priority: 'high' },
      'files',
      [{ name: 'чек.png', content: PNG }],
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ticket = created.body;
    assert.equal(ticket.priority, 'high');
    assert.deepEqual(keys(ticket.attachments[0]), ATTACHMENT_KEYS);
    assert.deepEqual(
      [ticket.attachments[0].name, ticket.attachments[0].content_type, ticket.attachments[0].size],
      ['чек.png', 'image/png', PNG.length],
    );

    const log = Buffer.from('line 1\nline 2\n');
    const asked = await form(s, user.token, `/api/support/tickets/${ticket.id}/messages`, { text: 'Лог прилагаю' }, 'attachments', [
      { name: 'app.log', content: log },
    ]);
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.deepEqual(keys(asked.body), MESSAGE_KEYS);
    assert.equal(asked.body.role, 'user');
    const answered = await rest(s.url, 'POST', `/api/support/tickets/${ticket.id}/messages`, {
      token: admin.token,
      body: { text: 'Вернём деньги' },
    });
    assert.equal(answered.status, 201);
    assert.equal(answered.body.role, 'support');

    const messages = await rest(s.url, 'GET', `/api/support/tickets/${ticket.id}/messages?page=1&limit=50`, { token: user.token });
    assert.deepEqual(
      messages.body.map((m: { text: string; role: string }) => [m.text, m.role]),
      [
        ['Лог прилагаю', 'user'],
        ['Вернём деньги', 'support'],
      ],
    );
    assert.match(messages.body[0].timestamp, ISO);
    const download = await fetch(`${s.url}${messages.body[0].attachments[0].url}`);
    assert.equal(download.status, 200);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(log));
    const page2 = await rest(s.url, 'GET', `/api/support/tickets/${ticket.id}/messages?page=2&limit=1`, { token: user.token });
    assert.deepEqual(
      page2.body.map((m: { text: string }) => m.text),
      ['Вернём деньги'],
    );
  });

  it('answers 400, 413 and 415 as {error}, 404 for unknown, foreign and other organizations’ tickets, 401 without credentials', async () => {
    assertError(
      await rest(s.url, 'POST', '/api/support/tickets', { token: user.token, body: { subject: 'x', department: 'technical' } }),
      400,
      'no description',
    );
    assertError(
      await rest(s.url, 'POST', '/api/support/tickets', {
        token: user.token,
        body: { subject: 'x', description: 'y', department: 'kitchen' },
      }),
      400,
      'bad department',
    );
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), randomBytes(256)]);
    assertError(
      await form(s, user.token, '/api/support/tickets', { subject: 'x', description: 'y', department: 'general' }, 'files', [
        { name: 'photo.png', content: exe },
      ]),
      415,
      'a disguised executable',
    );
    assertError(
      await form(s, user.token, '/api/support/tickets', { subject: 'x', description: 'y', department: 'general' }, 'files', [
        { name: 'big.txt', content: Buffer.alloc(s.settings.support.uploadMaxBytes + 1, 'a') },
      ]),
      413,
      'an oversized file',
    );
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `${i}.txt`, content: Buffer.from(String(i)) }));
    assertError(
      await form(s, user.token, '/api/support/tickets', { subject: 'x', description: 'y', department: 'general' }, 'files', six),
      413,
      'six files',
    );

    const other = await newOrganization(s.url);
    assertError(
      await rest(s.url, 'GET', `/api/support/tickets?orgId=${other.organizationId}`, { token: user.token }),
      404,
      'foreign orgId',
    );
    assertError(await rest(s.url, 'GET', `/api/support/tickets?orgId=nope`, { token: user.token }), 404, 'malformed orgId');
    assertError(await rest(s.url, 'GET', `/api/support/tickets/${randomUUID()}`, { token: user.token }), 404, 'unknown ticket');
    const mine = await rest(s.url, 'POST', '/api/support/tickets', {
      token: user.token,
      body: { subject: 'Mine', description: 'y', department: 'sales' },
    });
    for (const [method, path] of [
      ['GET', `/api/support/tickets/${mine.body.id}`],
      ['GET', `/api/support/tickets/${mine.body.id}/messages`],
    ]) {
      assertError(await rest(s.url, method, path, { token: other.token }), 404, `${method} ${path} from another organization`);
    }
    assertError(
      await rest(s.url, 'POST', `/api/support/tickets/${mine.body.id}/messages`, { token: other.token, body: { text: 'hi' } }),
      404,
      'write',
    );
    assertError(await rest(s.url, 'GET', '/api/support/tickets'), 401, 'anonymous');
  });
});
