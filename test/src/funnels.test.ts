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

    // Told to come back later (429 with retry_after), delivery waits that long and then succeeds.
    s.telegram.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 3', retry_after: 3 });
    const throttledAt = Date.now();
    await ok(s.url, SEND, { id: dialog.id, text: 'After the wait' }, admin.token);
    await until(
      'the throttled message to be sent after the wait',
      async () => {
        const { dialogMessages } = await ok(s.url, MESSAGES, { id: dialog.id }, admin.token);
        return dialogMessages.nodes.some((m: { text: string; delivery: string }) => m.text === 'After the wait' && m.delivery === 'SENT');
      },
      15_000,
    );
    assert.ok(Date.now() - throttledAt >= 3_000, 'not before the messenger said');
    assert.equal(s.telegram.calls.filter((c) => c.method === 'sendMessage' && c.body.text === 'After the wait').length, 2);

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

describe('funnels: clients, kanban moves and who sees which dialog', () => {
  let s: Stack;
  let admin: Account;
  let token: string;
  let funnel: { id: string; stages: { id: string; assistantCodeName: string }[] };
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    ({ createFunnel: funnel } = await ok(
      s.url,
      CREATE_FUNNEL,
      { input: { name: unique('kb'), displayName: 'Kanban', stages: stages() } },
      admin.token,
    ));
    token = newBot(s);
    await ok(s.url, CREATE_CONNECTION, { input: { messengerType: 'TELEGRAM', token, funnelId: funnel.id } }, admin.token);
  });
  after(() => Promise.all(clients.map((c) => c.dispose())));

  const CLIENT_FIELDS = 'id name email phone phoneE164 manager status type messagesCount closeRatio';

  it('creates, updates and deletes clients with numeric ids, refusing bad input', async () => {
    const { createClient: client } = await ok(
      s.url,
      `mutation($input: ClientInput!) { createClient(input: $input) { ${CLIENT_FIELDS} } }`,
      { input: { name: ' Anna ', email: 'Anna@Example.com', phone: '8 (916) 123-45-67', manager: 'Oleg' } },
      admin.token,
    );
    assert.match(client.id, /^\d+$/);
    assert.deepEqual(
      { ...client, id: undefined },
      {
        id: undefined,
        name: 'Anna',
        email: 'anna@example.com',
        phone: '8 (916) 123-45-67',
        phoneE164: '+79161234567',
        manager: 'Oleg',
        status: 'ACTIVE',
        type: 'NEW',
        messagesCount: 0,
        closeRatio: 0,
      },
    );
    const UPDATE = `mutation($id: ID!, $input: ClientInput!) { updateClient(id: $id, input: $input) { ${CLIENT_FIELDS} } }`;
    const { updateClient } = await ok(s.url, UPDATE, { id: client.id, input: { type: 'REGULAR', manager: null } }, admin.token);
    assert.deepEqual([updateClient.type, updateClient.manager, updateClient.name], ['REGULAR', null, 'Anna']);
    for (const input of [{ phone: 'not a phone' }, { email: 'nope' }, { name: null }]) {
      assert.equal(
        codeOf(await graphql(s.url, UPDATE, { id: client.id, input }, { token: admin.token })),
        'BAD_USER_INPUT',
        JSON.stringify(input),
      );
    }
    assert.equal(codeOf(await graphql(s.url, UPDATE, { id: 'abc', input: {} }, { token: admin.token })), 'BAD_USER_INPUT');
    const stranger = await newOrganization(s.url);
    assert.equal(codeOf(await graphql(s.url, UPDATE, { id: client.id, input: { name: 'x' } }, { token: stranger.token })), 'NOT_FOUND');
    const guest = await newMember(s.url, admin, 'GUEST');
    assert.equal(
      codeOf(
        await graphql(
          s.url,
          `
            mutation ($id: ID!) {
              deleteClient(id: $id)
            }
          `,
          { id: client.id },
          { token: guest.token },
        ),
      ),
      'FORBIDDEN',
    );
    await ok(s.url, `mutation($id: ID!) { deleteClient(id: $id) }`, { id: client.id }, admin.token);
    assert.equal(
      codeOf(
        await graphql(
          s.url,
          `
            query ($id: ID!) {
              client(id: $id) {
                id
              }
            }
          `,
          { id: client.id },
          { token: admin.token },
        ),
      ),
      'NOT_FOUND',
    );
  });

  it('moves a dialog between stages of its funnel with an event, and refuses a stage of another funnel', async () => {
    await s.telegram.postUpdate(token, s.telegram.textUpdate(7_100_001, 'I want to buy'));
    const { dialogs } = await ok(s.url, DIALOGS, { funnelId: funnel.id }, admin.token);
    const dialog = dialogs.nodes.find((d: { threadId: string }) => d.threadId === '7100001');
    const listening = whenListening(s.product, 'funnels');
    const updates = subscribe<{ dialogUpdated: { id: string; stage: { assistantCodeName: string }; price: number | null } }>(
      wsClient(s.url, bearer(admin.token)),
      {
        query: `subscription($id: ID) { dialogUpdated(dialogId: $id) { id stage { assistantCodeName } price } }`,
        variables: { id: dialog.id },
      },
    );
    const next = updates.next();
    await listening();
    const MOVE = `mutation($d: ID!, $s: ID!) { moveDialogToStage(dialogId: $d, stageId: $s) { stage { assistantCodeName } } }`;
    const moved = await ok(s.url, MOVE, { d: dialog.id, s: funnel.stages[1].id }, admin.token);
    assert.equal(moved.moveDialogToStage.stage.assistantCodeName, 'seller');
    assert.equal((await next).data!.dialogUpdated.stage.assistantCodeName, 'seller');

    const { createFunnel: other } = await ok(
      s.url,
      CREATE_FUNNEL,
      { input: { name: unique('o'), displayName: 'Other', stages: stages() } },
      admin.token,
    );
    assert.equal(codeOf(await graphql(s.url, MOVE, { d: dialog.id, s: other.stages[0].id }, { token: admin.token })), 'NOT_FOUND');

    const UPDATE = `mutation($id: ID!, $input: UpdateDialogInput!) { updateDialog(id: $id, input: $input) { status price tags closeRatio description ai } }`;
    const { updateDialog } = await ok(
      s.url,
      UPDATE,
      {
        id: dialog.id,
        input: { status: 'WON', price: 1500.5, tags: ['vip', ' vip ', 'b2b'], closeRatio: 90, description: 'Laptop', ai: true },
      },
      admin.token,
    );
    assert.deepEqual(updateDialog, { status: 'WON', price: 1500.5, tags: ['vip', 'b2b'], closeRatio: 90, description: 'Laptop', ai: true });
    for (const input of [{ closeRatio: 101 }, { price: -1 }, { status: null }, { tags: [''] }]) {
      assert.equal(
        codeOf(await graphql(s.url, UPDATE, { id: dialog.id, input }, { token: admin.token })),
        'BAD_USER_INPUT',
        JSON.stringify(input),
      );
    }
  });

  it('shows a plain user the dialogs they manage and the unassigned ones, not a colleague’s', async () => {
    const user = await newMember(s.url, admin, 'USER');
    const colleague = await newMember(s.url, admin, 'USER');
    await s.telegram.postUpdate(token, s.telegram.textUpdate(7_100_002, 'Mine'));
    await s.telegram.postUpdate(token, s.telegram.textUpdate(7_100_003, 'Theirs'));
    const { dialogs } = await ok(s.url, DIALOGS, { funnelId: funnel.id }, admin.token);
    const idOf = (chat: string) => dialogs.nodes.find((d: { threadId: string }) => d.threadId === chat).id as string;
    const assign = `mutation($id: ID!, $m: ID) { updateDialog(id: $id, input: { managerUserId: $m }) { id } }`;
    await ok(s.url, assign, { id: idOf('7100002'), m: user.id }, admin.token);
    await ok(s.url, assign, { id: idOf('7100003'), m: colleague.id }, admin.token);
    const seen = (await ok(s.url, DIALOGS, { funnelId: funnel.id }, user.token)).dialogs.nodes.map((d: { threadId: string }) => d.threadId);
    assert.ok(seen.includes('7100002'));
    assert.ok(!seen.includes('7100003'));
    assert.equal(codeOf(await graphql(s.url, MESSAGES, { id: idOf('7100003') }, { token: user.token })), 'NOT_FOUND');
    assert.equal(codeOf(await graphql(s.url, SEND, { id: idOf('7100003'), text: 'hi' }, { token: user.token })), 'NOT_FOUND');
    // A manager id from another organization is refused.
    const stranger = await newOrganization(s.url);
    assert.equal(codeOf(await graphql(s.url, assign, { id: idOf('7100002'), m: stranger.id }, { token: admin.token })), 'NOT_FOUND');
  });
});
