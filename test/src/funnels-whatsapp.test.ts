import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, unique } from './support/client.js';
import { queryDatabase, stack, type Stack } from './support/stack.js';
import { until } from './support/wait.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql<T>(url, query, variables, { token });
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data;
}

const CREATE_FUNNEL = `mutation($input: CreateFunnelInput!) { createFunnel(input: $input) { id } }`;
const CREATE_CONNECTION = `mutation($input: CreateMessengerConnectionInput!) {
  createMessengerConnection(input: $input) { id messengerType state accountName lastError connectionData { phoneNumberId webhookPath verifyToken } }
}`;
const DIALOGS = `query($funnelId: ID) {
  dialogs(funnelId: $funnelId) { nodes { id threadId channel client { id name phone } } }
}`;
const MESSAGES = `query($id: ID!) { dialogMessages(dialogId: $id) { nodes { id role text delivery deliveryError } } }`;
const SEND = `mutation($id: ID!, $text: String!) { sendDialogMessage(dialogId: $id, input: { text: $text }) { id delivery } }`;

let numberId = 100_200_300_400;
/** A business number the stand-in Cloud API serves with a token of its own. */
function newNumber(s: Stack): { phoneNumberId: string; token: string } {
  const phoneNumberId = String(numberId++);
  const token = `EAAG${unique('wa')}`;
  s.whatsapp.addNumber(phoneNumberId, token, '+1 555-010-0000');
  return { phoneNumberId, token };
}

const count = async (s: Stack, sql: string, params: unknown[] = []) =>
  (await queryDatabase<{ n: number }>(s, `select count(*)::int as n from ${sql}`, params))[0].n;

describe('funnels: WhatsApp connections, webhooks and delivery', () => {
  let s: Stack;
  let admin: Account;
  let funnelId: string;
  let number: { phoneNumberId: string; token: string };
  const appSecret = 'app-secret-of-the-meta-app';
  let connectionId: string;
  let verifyToken: string;
  let webhook: string;

  /** POSTs a notification to the connection's webhook as Meta does, signed with `secret` unless told otherwise. */
  async function post(body: string, signature: string | null = s.whatsapp.sign(body, appSecret)): Promise<number> {
    const response = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature !== null && { 'x-hub-signature-256': signature }) },
      body,
    });
    await response.body?.cancel();
    return response.status;
  }

  async function dialogOf(from: string): Promise<{ id: string; channel: string; client: { id: string; name: string; phone: string } }> {
    const { dialogs } = await ok(s.url, DIALOGS, { funnelId }, admin.token);
    return dialogs.nodes.find((d: { threadId: string }) => d.threadId === from);
  }

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    const { createFunnel } = await ok(
      s.url,
      CREATE_FUNNEL,
      { input: { name: unique('wa'), displayName: 'WhatsApp', stages: [{ name: 'Greeting', assistantCodeName: 'greeter' }] } },
      admin.token,
    );
    funnelId = createFunnel.id;
    number = newNumber(s);
    const { createMessengerConnection: connection } = await ok(
      s.url,
      CREATE_CONNECTION,
      { input: { messengerType: 'WHATSAPP', token: number.token, phoneNumberId: number.phoneNumberId, appSecret, funnelId } },
      admin.token,
    );
    assert.deepEqual([connection.messengerType, connection.state, connection.accountName], ['WHATSAPP', 'RUNNING', '+1 555-010-0000']);
    assert.equal(connection.connectionData.phoneNumberId, number.phoneNumberId);
    assert.equal(connection.connectionData.webhookPath, `/webhooks/whatsapp/${connection.id}`);
    connectionId = connection.id;
    verifyToken = connection.connectionData.verifyToken;
    assert.match(verifyToken, /^[A-Za-z0-9_-]{32,}$/);
    webhook = `${s.url}/webhooks/whatsapp/${connectionId}`;
  });

  it("answers Meta's subscription check with the challenge only for the connection's verify token", async () => {
    const check = (token: string, id = connectionId) =>
      fetch(`${s.url}/webhooks/whatsapp/${id}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=123`);
    const right = await check(verifyToken);
    assert.deepEqual([right.status, await right.text()], [200, '123']);
    for (const [token, id] of [
      ['wrong-token', connectionId],
      [verifyToken, '00000000-0000-4000-8000-000000000000'],
    ]) {
      const refused = await check(token, id);
      await refused.body?.cancel();
      assert.equal(refused.status, 403, `${token} for ${id}`);
    }
  });

  it('turns a signed notification into a client with the E.164 phone and a WhatsApp dialog; unsigned or forged ones store nothing', async () => {
    const from = '79161234567';
    const messages = await count(s, 'funnels.dialog_messages');
    const forged = s.whatsapp.inboundBody(from, 'forged', 'Mallory');
    assert.equal(await post(forged, null), 401);
    assert.equal(await post(forged, s.whatsapp.sign(forged, 'not-the-app-secret')), 401);
    assert.equal(await post(forged, 'sha256=zz'), 401);
    // Signed, then altered: the signature is of other bytes.
    assert.equal(await post(forged.replace('forged', 'altered'), s.whatsapp.sign(forged, appSecret)), 401);
    assert.equal(await count(s, 'funnels.dialog_messages'), messages);
    assert.equal(await count(s, 'funnels.clients where phone_e164 = $1', [`+${from}`]), 0);

    const body = s.whatsapp.inboundBody(from, 'Здравствуйте, есть в наличии?', 'Мария');
    assert.equal(await post(body), 200);
    const dialog = await dialogOf(from);
    assert.equal(dialog.channel, 'WHATSAPP');
    assert.deepEqual([dialog.client.name, dialog.client.phone], ['Мария', `+${from}`]);
    assert.deepEqual(await queryDatabase(s, `select phone_e164 from funnels.clients where id = $1`, [Number(dialog.client.id)]), [
      { phone_e164: `+${from}` },
    ]);
    const { dialogMessages } = await ok(s.url, MESSAGES, { id: dialog.id }, admin.token);
    assert.deepEqual(
      dialogMessages.nodes.map((m: { role: string; text: string; delivery: string }) => [m.role, m.text, m.delivery]),
      [['USER', 'Здравствуйте, есть в наличии?', 'RECEIVED']],
    );
    // Meta retries a notification it got no 200 for: nothing doubles.
    assert.equal(await post(body), 200);
    assert.equal(await count(s, 'funnels.dialog_messages where dialog_id = $1', [dialog.id]), 1);
  });

  it("delivers a manager's reply to the number's /messages with the client as `to`, retrying a 429 until it is sent", async () => {
    const from = '79161234568';
    assert.equal(await post(s.whatsapp.inboundBody(from, 'Hi')), 200);
    const dialog = await dialogOf(from);
    const sentAs = async (text: string) => {
      const { dialogMessages } = await ok(s.url, MESSAGES, { id: dialog.id }, admin.token);
      return dialogMessages.nodes.find((m: { text: string }) => m.text === text) as { delivery: string; deliveryError: string | null };
    };

    await ok(s.url, SEND, { id: dialog.id, text: 'Yes, we have it' }, admin.token);
    const call = await s.whatsapp.waitFor((c) => c.operation === 'sendMessage' && c.body.to === from);
    assert.deepEqual([call.phoneNumberId, call.token], [number.phoneNumberId, number.token]);
    assert.deepEqual(call.body, { messaging_product: 'whatsapp', to: from, type: 'text', text: { body: 'Yes, we have it' } });
    await until('the reply to be marked sent', async () => (await sentAs('Yes, we have it'))?.delivery === 'SENT');

    s.whatsapp.failNext('sendMessage', { status: 429, code: 130429, message: 'Rate limit hit', retryAfter: 1 });
    await ok(s.url, SEND, { id: dialog.id, text: 'Shall I reserve it?' }, admin.token);
    const tries = () => s.whatsapp.calls.filter((c) => c.operation === 'sendMessage' && c.body.to === from).length;
    await until(
      'the throttled reply to be retried and sent',
      async () => (await sentAs('Shall I reserve it?'))?.delivery === 'SENT',
      20_000,
    );
    assert.equal(tries(), 3, 'the first reply, the throttled try and its retry');
    assert.equal((await sentAs('Shall I reserve it?')).deliveryError, null);
  });

  it('refuses a connection without phoneNumberId or appSecret, or with a token the Cloud API refuses, and stores none', async () => {
    const connections = await count(s, 'funnels.messenger_connections');
    const other = newNumber(s);
    for (const input of [
      { messengerType: 'WHATSAPP', token: other.token, appSecret },
      { messengerType: 'WHATSAPP', token: other.token, phoneNumberId: other.phoneNumberId },
      { messengerType: 'WHATSAPP', token: 'EAAGrefused-by-meta', phoneNumberId: other.phoneNumberId, appSecret },
      // A real token, but not of this number.
      { messengerType: 'WHATSAPP', token: number.token, phoneNumberId: other.phoneNumberId, appSecret },
    ]) {
      const refused = await graphql(s.url, CREATE_CONNECTION, { input }, { token: admin.token });
      assert.equal(codeOf(refused), 'BAD_USER_INPUT', JSON.stringify(input));
    }
    assert.equal(await count(s, 'funnels.messenger_connections'), connections);
  });
});
