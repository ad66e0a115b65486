import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, rest, unique } from './support/client.js';
import { stack, type Stack } from './support/stack.js';
import { until } from './support/wait.js';

const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on Lead { id } } }`;
const CREATE = `mutation($input: CreateOutboundMessageInput!) { createOutboundMessage(input: $input) { id status toAddress leadId } }`;
const SEND = `mutation($id: ID!) { sendOutboundMessage(id: $id) { id status } }`;
const READ = `query($id: ID!) { outboundMessage(id: $id) { status attempts lastError serverResponse sentAt } }`;

interface Message {
  status: string;
  attempts: number;
  lastError: string | null;
  serverResponse: string | null;
  sentAt: string | null;
}

describe('leads: outbound e-mail over SMTP', () => {
  let s: Stack;
  let admin: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
  });

  async function draft(email: string, subject: string, body = 'Добрый день! Ваш MacBook готов.') {
    const lead = await graphql(s.url, CREATE_LEAD, { input: { name: 'Иван', email } }, { token: admin.token });
    assert.ok(lead.data, JSON.stringify(lead.errors));
    const created = await graphql(s.url, CREATE, { input: { leadId: lead.data.createLead.id, subject, body } }, { token: admin.token });
    assert.ok(created.data, JSON.stringify(created.errors));
    return created.data.createOutboundMessage as { id: string; status: string; toAddress: string; leadId: string };
  }

  const read = async (id: string): Promise<Message> => (await graphql(s.url, READ, { id }, { token: admin.token })).data.outboundMessage;
  const settled = async (id: string, status: string, timeoutMs = 20_000) => {
    let last: Message | undefined;
    await until(`message ${id} to be ${status}`, async () => (last = await read(id)).status === status, timeoutMs);
    return last!;
  };

  it("delivers a draft to the lead's address through the SMTP server, Cyrillic intact", async () => {
    const email = `${unique('ivan')}@example.test`;
    const message = await draft(email, 'Ремонт завершён');
    assert.equal(message.status, 'DRAFT');
    assert.equal(message.toAddress, email);
    assert.equal((await graphql(s.url, SEND, { id: message.id }, { token: admin.token })).data.sendOutboundMessage.status, 'QUEUED');
    const mail = await s.smtp.waitFor((m) => m.envelopeTo.includes(email));
    assert.equal(mail.parsed.subject, 'Ремонт завершён');
    assert.equal(mail.parsed.text?.trim(), 'Добрый день! Ваш MacBook готов.');
    const sent = await settled(message.id, 'SENT');
    assert.equal(sent.attempts, 1);
    assert.match(sent.serverResponse ?? '', /^250/);
    assert.ok(sent.sentAt);
    // Sent is final: sending again is a conflict, and nothing more goes out.
    assert.equal(codeOf(await graphql(s.url, SEND, { id: message.id }, { token: admin.token })), 'CONFLICT');
  });

  it('retries a temporary refusal with backoff, then delivers', async () => {
    const email = `${unique('retry')}@example.test`;
    const message = await draft(email, 'Повтор');
    s.smtp.rejectNext(1, 451);
    await graphql(s.url, SEND, { id: message.id }, { token: admin.token });
    const sent = await settled(message.id, 'SENT');
    assert.equal(sent.attempts, 2);
    assert.equal(s.smtp.received.filter((m) => m.envelopeTo.includes(email)).length, 1);
  });

  it("fails a permanently refused message with the server's reason, and it may be fixed and sent again", async () => {
    const email = `${unique('gone')}@example.test`;
    const message = await draft(email, 'Нет адресата');
    s.smtp.rejectNext(1, 550, '5.1.1 Mailbox does not exist');
    await graphql(s.url, SEND, { id: message.id }, { token: admin.token });
    const failed = await settled(message.id, 'FAILED');
    assert.equal(failed.attempts, 1);
    assert.match(failed.lastError ?? '', /550.*Mailbox does not exist/);
    const fixed = `${unique('fixed')}@example.test`;
    const update = `mutation($id: ID!, $to: String!) { updateOutboundMessage(id: $id, input: { toAddress: $to }) { status } }`;
    assert.ok((await graphql(s.url, update, { id: message.id, to: fixed }, { token: admin.token })).data);
    await graphql(s.url, SEND, { id: message.id }, { token: admin.token });
    await s.smtp.waitFor((m) => m.envelopeTo.includes(fixed));
    await settled(message.id, 'SENT');
  });

  it('refuses bad input, guests and other organizations', async () => {
    const message = await draft(`${unique('x')}@example.test`, 'Тема');
    const stranger = await newOrganization(s.url);
    assert.equal(codeOf(await graphql(s.url, SEND, { id: message.id }, { token: stranger.token })), 'NOT_FOUND');
    assert.equal((await graphql(s.url, READ, { id: message.id }, { token: stranger.token })).data.outboundMessage, null);
    const guest = await newMember(s.url, admin, 'GUEST');
    assert.equal(codeOf(await graphql(s.url, SEND, { id: message.id }, { token: guest.token })), 'FORBIDDEN');
    const noEmail = await graphql(s.url, CREATE_LEAD, { input: { name: 'Без почты' } }, { token: admin.token });
    const leadId = noEmail.data.createLead.id;
    assert.equal(
      codeOf(await graphql(s.url, CREATE, { input: { leadId, subject: 's', body: 'b' } }, { token: admin.token })),
      'BAD_USER_INPUT',
    );
    const badAddress = { leadId, subject: 's', body: 'b', toAddress: 'not an address' };
    assert.equal(codeOf(await graphql(s.url, CREATE, { input: badAddress }, { token: admin.token })), 'BAD_USER_INPUT');
    assert.equal(
      codeOf(await graphql(s.url, CREATE, { input: { leadId, subject: '', body: 'b', toAddress: 'a@b.test' } }, { token: admin.token })),
      'BAD_USER_INPUT',
    );
  });

  it('serves seed 000 /api/v1/messages: write, send, read the status, list, and the documented errors', async () => {
    const email = `${unique('rest')}@example.test`;
    const lead = await graphql(s.url, CREATE_LEAD, { input: { name: 'REST', email } }, { token: admin.token });
    const leadId = lead.data.createLead.id as string;
    const created = await rest(s.url, 'POST', '/api/v1/messages/', {
      token: admin.token,
      body: { lead_id: leadId, subject: 'Счёт', body: 'Во вложении' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(Object.keys(created.body).sort(), [
      'attempts',
      'body',
      'created_at',
      'created_by_id',
      'id',
      'last_error',
      'lead_id',
      'queued_at',
      'sent_at',
      'server_response',
      'status',
      'subject',
      'to_address',
      'updated_at',
    ]);
    assert.equal(created.body.status, 'draft');
    assert.equal(created.body.to_address, email);
    const id = created.body.id as string;

    const sent = await rest(s.url, 'POST', `/api/v1/messages/${id}/send`, { token: admin.token });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.status, 'queued');
    await s.smtp.waitFor((m) => m.envelopeTo.includes(email));
    await until(
      'the message to be sent',
      async () => (await rest(s.url, 'GET', `/api/v1/messages/${id}`, { token: admin.token })).body.status === 'sent',
    );

    const listed = await rest(s.url, 'GET', `/api/v1/messages/?lead_id=${leadId}&status=sent`, { token: admin.token });
    assert.equal(listed.status, 200);
    assert.deepEqual(
      { total: listed.body.total, ids: listed.body.items.map((m: { id: string }) => m.id), page: listed.body.page },
      { total: 1, ids: [id], page: 1 },
    );
    assert.equal((await rest(s.url, 'PUT', `/api/v1/messages/${id}`, { token: admin.token, body: { subject: 'x' } })).status, 409);
    assert.equal((await rest(s.url, 'POST', `/api/v1/messages/${id}/send`, { token: admin.token })).status, 409);

    const stranger = await newOrganization(s.url);
    assert.equal((await rest(s.url, 'GET', `/api/v1/messages/${id}`, { token: stranger.token })).status, 404);
    assert.equal((await rest(s.url, 'POST', `/api/v1/messages/${id}/send`, { token: stranger.token })).status, 404);
    const invalid = await rest(s.url, 'POST', '/api/v1/messages/', { token: admin.token, body: { lead_id: leadId, subject: 'x' } });
    assert.equal(invalid.status, 422);
    assert.ok(invalid.body.detail);
    const guest = await newMember(s.url, admin, 'GUEST');
    assert.equal(
      (await rest(s.url, 'POST', '/api/v1/messages/', { token: guest.token, body: { lead_id: leadId, subject: 's', body: 'b' } })).status,
      403,
    );
    assert.equal((await rest(s.url, 'GET', '/api/v1/messages/')).status, 401);
    assert.equal((await rest(s.url, 'DELETE', `/api/v1/messages/${id}`, { token: admin.token })).status, 204);
  });
});
