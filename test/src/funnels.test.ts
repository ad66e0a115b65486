import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, unique } from './support/client.js';
import { queryDatabase, stack, type Stack } from './support/stack.js';
import { until, whenListening } from './support/wait.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql<T>(url, query, variables, { token });
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data;
}

const CREATE_FUNNEL = `mutation($input: CreateFunnelInput!) {
  createFunnel(input: $input) { id name displayName isActive stages { id name assistantCodeName prompt followUps { delayMinutes text } followUpsCount } }
}`;
const CREATE_CONNECTION = `mutation($input: CreateMessengerConnectionInput!) {
  createMessengerConnection(input: $input) { id name messengerType state isActive accountName tokenHint lastError connectionData { tokenHint webhookPath verifyToken } funnel { id } }
}`;
const DIALOGS = `query($funnelId: ID) {
  dialogs(funnelId: $funnelId) { totalCount nodes { id threadId channel status messagesCount lastMessageText stage { assistantCodeName } client { id name phone messagesCount } } }
}`;
const MESSAGES = `query($id: ID!) { dialogMessages(dialogId: $id) { totalCount nodes { id role text delivery deliveryError } } }`;
const SEND = `mutation($id: ID!, $text: String!) { sendDialogMessage(dialogId: $id, input: { text: $text }) { id role text delivery } }`;

let botNumber = 7_000_000;
/** A bot the stand-in Bot API accepts: `<id>:<key>`. */
function newBot(s: Stack): string {
  const token = `${botNumber++}:${unique('key')}AAAAAAAAAAAAAAAAAAAA`;
  s.telegram.addBot(token, unique('bot'));
  return token;
}

const stages = (delayMinutes = 60) => [
  {
    name: 'Greeting',
    assistantCodeName: 'greeter',
    prompt: 'Greet the client',
    followUps: [{ delayMinutes, text: 'Are you still there?' }],
  },
  { name: 'Offer', assistantCodeName: 'seller', prompt: 'Make an offer' },
];

describe('funnels: funnels, stages and assistants', () => {
  let s: Stack;
  let admin: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
  });

  it('creates a funnel with ordered stages, lists its assistants and updates an assistant prompt', async () => {
    const { createFunnel: funnel } = await ok(
      s.url,
      CREATE_FUNNEL,
      { input: { name: unique('sales'), displayName: 'Sales', stages: stages() } },
      admin.token,
    );
    assert.deepEqual(
      funnel.stages.map((st: { assistantCodeName: string; followUpsCount: number }) => [st.assistantCodeName, st.followUpsCount]),
      [
        ['greeter', 1],
        ['seller', 0],
      ],
    );
    const updated = await ok(
      s.url,
      `mutation($id: ID!) { updateAssistantPrompt(funnelId: $id, assistantCodeName: "seller", prompt: "Offer the discount") { assistantCodeName prompt followUpsCount } }`,
      { id: funnel.id },
      admin.token,
    );
    assert.equal(updated.updateAssistantPrompt.prompt, 'Offer the discount');
    const { funnel: read } = await ok(
      s.url,
      `query($id: ID!) { funnel(id: $id) { assistants { assistantCodeName name prompt } } }`,
      { id: funnel.id },
      admin.token,
    );
    assert.deepEqual(read.assistants[1], { assistantCodeName: 'seller', name: 'Offer', prompt: 'Offer the discount' });

    // Replacing the stages keeps a stage's id when its assistant stays.
    const replaced = await ok(
      s.url,
      `mutation($id: ID!, $input: UpdateFunnelInput!) { updateFunnel(id: $id, input: $input) { stages { id assistantCodeName } } }`,
      { id: funnel.id, input: { stages: [stages()[1], { name: 'Close', assistantCodeName: 'closer' }] } },
      admin.token,
    );
    assert.equal(replaced.updateFunnel.stages[0].id, funnel.stages[1].id);
    assert.deepEqual(
      replaced.updateFunnel.stages.map((st: { assistantCodeName: string }) => st.assistantCodeName),
      ['seller', 'closer'],
    );
  });

  it('refuses bad funnels, other organizations and roles below manager', async () => {
    const name = unique('dup');
    await ok(s.url, CREATE_FUNNEL, { input: { name, displayName: 'One' } }, admin.token);
    assert.equal(codeOf(await graphql(s.url, CREATE_FUNNEL, { input: { name, displayName: 'Two' } }, { token: admin.token })), 'CONFLICT');
    const bad = [
      { name: 'Has Spaces', displayName: 'x' },
      { name: unique('f'), displayName: '' },
      { name: unique('f'), displayName: 'x', stages: [stages()[1], stages()[1]] },
      { name: unique('f'), displayName: 'x', stages: [{ ...stages()[0], followUps: [{ delayMinutes: -1, text: 'x' }] }] },
    ];
    for (const input of bad) assert.equal(codeOf(await graphql(s.url, CREATE_FUNNEL, { input }, { token: admin.token })), 'BAD_USER_INPUT');

    const user = await newMember(s.url, admin, 'USER');
    assert.equal(
      codeOf(await graphql(s.url, CREATE_FUNNEL, { input: { name: unique('f'), displayName: 'x' } }, { token: user.token })),
      'FORBIDDEN',
    );
    const { createFunnel } = await ok(s.url, CREATE_FUNNEL, { input: { name: unique('f'), displayName: 'x' } }, admin.token);
    const stranger = await newOrganization(s.url);
    assert.equal(
      codeOf(
        await graphql(
          s.url,
          `
            query ($id: ID!) {
              funnel(id: $id) {
                id
              }
            }
          `,
          { id: createFunnel.id },
          { token: stranger.token },
        ),
      ),
      'NOT_FOUND',
    );
    assert.equal(
      codeOf(
        await graphql(
          s.url,
          `
            query {
              funnel(id: "nope") {
                id
              }
            }
          `,
          {},
          { token: admin.token },
        ),
      ),
      'NOT_FOUND',
    );
  });
});

describe('funnels: Telegram connections, dialogs and delivery', () => {
  let s: Stack;
  let admin: Account;
  let funnelId: string;
  let token: string;
  let connectionId: string;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    const { createFunnel } = await ok(
      s.url,
      CREATE_FUNNEL,
      { input: { name: unique('tg'), displayName: 'Telegram', stages: stages() } },
      admin.token,
    );
    funnelId = createFunnel.id;
    token = newBot(s);
    const { createMessengerConnection: connection } = await ok(
      s.url,
      CREATE_CONNECTION,
      { input: { messengerType: 'TELEGRAM', token, name: 'Shop bot', funnelId } },
      admin.token,
    );
    connectionId = connection.id;
  });
  after(() => Promise.all(clients.map((c) => c.dispose())));

  it('checks the token, registers the webhook with its secret and never returns or stores the token in clear', async () => {
    const { messengerConnection: c } = await ok(
      s.url,
      `query($id: ID!) { messengerConnection(id: $id) { state accountName tokenHint connectionData { tokenHint webhookPath verifyToken } } }`,
      { id: connectionId },
      admin.token,
    );
    assert.equal(c.state, 'RUNNING');
    assert.equal(c.tokenHint, `…${token.slice(-4)}`);
    assert.equal(c.connectionData.webhookPath, `/webhooks/telegram/${connectionId}`);
    assert.equal(c.connectionData.verifyToken, null);
    const webhook = s.telegram.webhookOf(token);
    assert.equal(webhook?.url, `${s.url}/webhooks/telegram/${connectionId}`);
    assert.match(webhook.secret, /^[A-Za-z0-9_-]{32,}$/);
    const rows = await queryDatabase<Record<string, unknown>>(s, `select * from funnels.messenger_connections where id = $1`, [
      connectionId,
    ]);
    const stored = JSON.stringify(rows);
    assert.ok(
      !stored.includes(token.split(':')[1]) && !stored.includes(webhook.secret),
      'neither the token nor the webhook secret is stored in clear',
    );

    // A token Telegram refuses is not kept.
    const before = (await queryDatabase(s, `select count(*)::int as n from funnels.messenger_connections`))[0];
    const refused = await graphql(
      s.url,
      CREATE_CONNECTION,
      { input: { messengerType: 'TELEGRAM', token: '123:not-a-bot-token-at-all' } },
      { token: admin.token },
    );
    assert.equal(codeOf(refused), 'BAD_USER_INPUT');
    assert.deepEqual((await queryDatabase(s, `select count(*)::int as n from funnels.messenger_connections`))[0], before);
  });

  it('turns a message from an unknown sender into a client and a dialog, live for the managers watching the funnel', async () => {
    const listening = whenListening(s.product, 'funnels');
    const inbox = subscribe<{ dialogMessageAdded: { text: string; role: string; dialogId: string } }>(
      wsClient(s.url, bearer(admin.token)),
      {
        query: `subscription($f: ID) { dialogMessageAdded(funnelId: $f) { text role dialogId } }`,
        variables: { f: funnelId },
      },
    );
    const stranger = await newOrganization(s.url);
    const outsider = subscribe(wsClient(s.url, bearer(stranger.token)), { query: `subscription { dialogMessageAdded { text } }` });
    const next = inbox.next();
    await listening(2);
    const chatId = 5_550_001;
    assert.equal(
      await s.telegram.postUpdate(token, s.telegram.textUpdate(chatId, 'Здравствуйте! Сколько стоит?', { first_name: 'Ivan' })),
      200,
    );
    const event = (await next).data!.dialogMessageAdded;
    assert.deepEqual({ text: event.text, role: event.role }, { text: 'Здравствуйте! Сколько стоит?', role: 'USER' });
    await assert.rejects(outsider.next(300), /timed out/);

    const { dialogs } = await ok(s.url, DIALOGS, { funnelId }, admin.token);
    const dialog = dialogs.nodes.find((d: { threadId: string }) => d.threadId === String(chatId));
    assert.equal(dialog.id, event.dialogId);
    assert.equal(dialog.channel, 'TELEGRAM');
    assert.equal(dialog.stage.assistantCodeName, 'greeter');
    assert.equal(dialog.client.name, 'Ivan');
    assert.equal(dialog.messagesCount, 1);

    // Telegram redelivers an update it got no answer to: nothing doubles.
    const again = s.telegram.textUpdate(chatId, 'second');
    assert.equal(await s.telegram.postUpdate(token, again), 200);
    assert.equal(await s.telegram.postUpdate(token, again), 200);
    const { dialogMessages } = await ok(s.url, MESSAGES, { id: dialog.id }, admin.token);
    assert.deepEqual(
      dialogMessages.nodes.map((m: { text: string }) => m.text),
      ['Здравствуйте! Сколько стоит?', 'second'],
    );
  });

  it('refuses updates without the webhook secret', async () => {
    const url = `${s.url}/webhooks/telegram/${connectionId}`;
    const body = JSON.stringify(s.telegram.textUpdate(42, 'forged'));
    for (const headers of [{}, { 'x-telegram-bot-api-secret-token': 'wrong' }] as Record<string, string>[]) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      assert.equal(response.status, 401);
    }
    const forged = await queryDatabase(s, `select count(*)::int as n from funnels.dialog_messages where text = 'forged'`);
    assert.deepEqual(forged, [{ n: 0 }]);
  });

  it("delivers a manager's reply to the client's chat, and records a refusal as failed with the reason", async () => {
    const chatId = 5_550_002;
    await s.telegram.postUpdate(token, s.telegram.textUpdate(chatId, 'Hi'));
    const { dialogs } = await ok(s.url, DIALOGS, { funnelId }, admin.token);
    const dialog = dialogs.nodes.find((d: { threadId: string }) => d.threadId === String(chatId));

    const { sendDialogMessage: sent } = await ok(s.url, SEND, { id: dialog.id, text: 'Hello from the shop' }, admin.token);
    assert.deepEqual({ role: sent.role, delivery: sent.delivery }, { role: 'MANAGER', delivery: 'PENDING' });
    const call = await s.telegram.waitFor((c) => c.method === 'sendMessage' && c.body.text === 'Hello from the shop');
    assert.equal(String(call.body.chat_id), String(chatId));
    assert.equal(call.token, token);
    await until('the message to be marked sent', async () => {
      const { dialogMessages } = await ok(s.url, MESSAGES, { id: dialog.id }, admin.token);
      return dialogMessages.nodes.some(
        (m: { text: string; delivery: string }) => m.text === 'Hello from the shop' && m.delivery === 'SENT',
      );
    });

    s.telegram.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await ok(s.url, SEND, { id: dialog.id, text: 'Are you there?' }, admin.token);
    await until('the refused message to be marked failed', async () => {
      const { dialogMessages } = await ok(s.url, MESSAGES, { id: dialog.id }, admin.token);
      const failed = dialogMessages.nodes.find((m: { text: string }) => m.text === 'Are you there?');
      return failed?.delivery === 'FAILED' && /blocked/.test(failed.deliveryError);
    });

    // An unsubscribed client gets nothing.
    await ok(s.url, `mutation($id: ID!) { updateDialog(id: $id, input: { unsubscribed: true }) { id } }`, { id: dialog.id }, admin.token);
    assert.equal(codeOf(await graphql(s.url, SEND, { id: dialog.id, text: 'x' }, { token: admin.token })), 'CONFLICT');
  });

  it('stops and starts a connection: the webhook is removed and registered again', async () => {
    const stop = await ok(s.url, `mutation($id: ID!) { stopMessengerConnection(id: $id) { state } }`, { id: connectionId }, admin.token);
    assert.equal(stop.stopMessengerConnection.state, 'STOPPED');
    await s.telegram.waitFor((c) => c.method === 'deleteWebhook' && c.token === token);
    const start = await ok(s.url, `mutation($id: ID!) { startMessengerConnection(id: $id) { state } }`, { id: connectionId }, admin.token);
    assert.equal(start.startMessengerConnection.state, 'RUNNING');
    assert.equal(s.telegram.calls.filter((c) => c.method === 'setWebhook' && c.token === token).length, 2);
  });
});

describe('funnels: follow-ups', () => {
  let s: Stack;
  let admin: Account;
  let token: string;
  let funnelId: string;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    // 0.02 minutes: 1.2 s of silence.
    const { createFunnel } = await ok(
      s.url,
      CREATE_FUNNEL,
      { input: { name: unique('fu'), displayName: 'Follow-ups', stages: stages(0.02) } },
      admin.token,
    );
    funnelId = createFunnel.id;
    token = newBot(s);
    await ok(s.url, CREATE_CONNECTION, { input: { messengerType: 'TELEGRAM', token, funnelId } }, admin.token);
  });

  async function dialogOf(chatId: number): Promise<string> {
    await s.telegram.postUpdate(token, s.telegram.textUpdate(chatId, 'Hello'));
    const { dialogs } = await ok(s.url, DIALOGS, { funnelId }, admin.token);
    return dialogs.nodes.find((d: { threadId: string }) => d.threadId === String(chatId)).id as string;
  }

  it('sends the stage follow-up once when the client stays silent', async () => {
    const dialog = await dialogOf(6_000_001);
    await ok(s.url, SEND, { id: dialog, text: 'What are you looking for?' }, admin.token);
    const call = await s.telegram.waitFor(
      (c) => c.method === 'sendMessage' && String(c.body.chat_id) === '6000001' && c.body.text === 'Are you still there?',
    );
    assert.equal(call.token, token);
    await until('the follow-up to be recorded as sent', async () => {
      const { dialogMessages } = await ok(s.url, MESSAGES, { id: dialog }, admin.token);
      return dialogMessages.nodes.some(
        (m: { text: string; role: string; delivery: string }) =>
          m.text === 'Are you still there?' && m.role === 'ASSISTANT' && m.delivery === 'SENT',
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(s.telegram.calls.filter((c) => String(c.body.chat_id) === '6000001' && c.body.text === 'Are you still there?').length, 1);
  });

  it('sends no follow-up when the client answers in time', async () => {
    const dialog = await dialogOf(6_000_002);
    await ok(s.url, SEND, { id: dialog, text: 'What are you looking for?' }, admin.token);
    await s.telegram.postUpdate(token, s.telegram.textUpdate(6_000_002, 'A laptop'));
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    assert.equal(s.telegram.calls.filter((c) => String(c.body.chat_id) === '6000002' && c.body.text === 'Are you still there?').length, 0);
  });
});
