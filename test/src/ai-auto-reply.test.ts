import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { asksForPerson } from '@salesgraph/ai';
import { IdentitySigner, Role, type Identity } from '@salesgraph/platform';
import { newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, unique } from './support/client.js';
import { OpenAIStandIn } from './support/openai.js';
import { queryDatabase, stack, type Stack } from './support/stack.js';
import { until, whenListening } from './support/wait.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql<T>(url, query, variables, { token });
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data;
}

const PROMPT =
  'Delivery in Almaty is free. We are open from 9:00 to 18:00 on weekdays. Доставка по Алматы бесплатная. Never promise discounts.';
const CREATE_FUNNEL = `mutation($input: CreateFunnelInput!) { createFunnel(input: $input) { id } }`;
const CREATE_CONNECTION = `mutation($input: CreateMessengerConnectionInput!) { createMessengerConnection(input: $input) { id } }`;
const DIALOGS = `query($funnelId: ID) { dialogs(funnelId: $funnelId) { nodes { id threadId } } }`;
const DIALOG = `query($id: ID!) { dialog(id: $id) { id ai handedOverAt handoverReason } }`;
const MESSAGES = `query($id: ID!) { dialogMessages(dialogId: $id) { nodes { id role text authorUserId } } }`;
const SET_AI = `mutation($id: ID!, $ai: Boolean!) { updateDialog(id: $id, input: { ai: $ai }) { ai handedOverAt handoverReason } }`;
const SEND = `mutation($id: ID!, $text: String!, $role: MessageRole) {
  sendDialogMessage(dialogId: $id, input: { text: $text, role: $role }) { id role }
}`;
const CLAIM = `mutation($d: ID!, $m: ID!) { claimAssistantTurn(dialogId: $d, messageId: $m) { dialogId messageId organizationId messageText prompt assistantName clientName messages { role text } } }`;

interface Message {
  id: string;
  role: string;
  text: string;
  authorUserId: string | null;
}

let botNumber = 7_600_000;
let chatNumber = 8_600_000;

/** An organization with a funnel whose first stage's assistant has `PROMPT`, and a Telegram bot feeding it. */
async function shop(s: Stack, admin: Account) {
  const token = `${botNumber++}:${unique('key')}AAAAAAAAAAAAAAAAAAAA`;
  s.telegram.addBot(token, unique('bot'));
  const { createFunnel } = await ok(
    s.url,
    CREATE_FUNNEL,
    {
      input: {
        name: unique('auto'),
        displayName: 'Auto-replies',
        stages: [{ name: 'Greeting', assistantCodeName: 'greeter', assistantName: 'Aigerim', prompt: PROMPT }],
      },
    },
    admin.token,
  );
  const funnelId = createFunnel.id as string;
  await ok(s.url, CREATE_CONNECTION, { input: { messengerType: 'TELEGRAM', token, funnelId } }, admin.token);

  /** The client writes in a new chat (its dialog starts without the assistant); the dialog's id. */
  const newDialog = async (first = 'Hello', ai = true) => {
    const chatId = chatNumber++;
    await s.telegram.postUpdate(token, s.telegram.textUpdate(chatId, first, { first_name: 'Ivan' }));
    const { dialogs } = await ok(s.url, DIALOGS, { funnelId }, admin.token);
    const dialogId = dialogs.nodes.find((d: { threadId: string }) => d.threadId === String(chatId)).id as string;
    if (ai) await ok(s.url, SET_AI, { id: dialogId, ai: true }, admin.token);
    return { chatId, dialogId };
  };
  const write = (chatId: number, text: string) => s.telegram.postUpdate(token, s.telegram.textUpdate(chatId, text, { first_name: 'Ivan' }));
  const sentTo = (chatId: number) =>
    s.telegram.calls.filter((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(chatId));
  const messages = async (dialogId: string): Promise<Message[]> =>
    (await ok(s.url, MESSAGES, { id: dialogId }, admin.token)).dialogMessages.nodes as Message[];
  const dialog = async (dialogId: string) =>
    (await ok(s.url, DIALOG, { id: dialogId }, admin.token)).dialog as {
      ai: boolean;
      handedOverAt: string | null;
      handoverReason: string | null;
    };
  return { token, funnelId, newDialog, write, sentTo, messages, dialog };
}

describe('ai: the assistant answers clients in dialogs with ai set', () => {
  let s: Stack;
  let admin: Account;
  let shopOf: Awaited<ReturnType<typeof shop>>;

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    shopOf = await shop(s, admin);
  });
  after(() => Promise.all(clients.splice(0).map((c) => c.dispose())));

  /** Runs an operation on the funnels subgraph itself, as the assistant of the organization: internal fields are callable there. */
  async function asAssistant(query: string, variables: Record<string, unknown>) {
    const identity: Identity = {
      kind: 'apiKey',
      userId: 0,
      organizationId: admin.organizationId,
      role: Role.MANAGER,
      apiKeyId: 'ai-assistant',
    };
    const request = { query, variables };
    const server = s.product.subgraphs.get('funnels')!;
    const response = await server.execute(request, new IdentitySigner(s.settings.gatewaySecret).sign(identity, 'funnels', request));
    assert.equal(response.body.kind, 'single');
    const { data, errors } = (response.body as { singleResult: { data?: Record<string, unknown> | null; errors?: unknown[] } })
      .singleResult;
    assert.ok(data, JSON.stringify(errors));
    return { ...data };
  }
  const claim = async (dialogId: string, messageId: string) =>
    (await asAssistant(CLAIM, { d: dialogId, m: messageId })).claimAssistantTurn as Record<string, unknown> | null;

  it('replies from the stage’s prompt as the assistant, delivered to the client’s Telegram chat and metered', async () => {
    const { chatId, dialogId } = await shopOf.newDialog();
    await shopOf.write(chatId, 'Is delivery free?');
    const call = await s.telegram.waitFor((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(chatId));
    assert.equal(call.body.text, 'Aigerim: Delivery in Almaty is free.', 'offline, the reply quotes the stage’s prompt');
    assert.equal(call.token, shopOf.token);

    const messages = await shopOf.messages(dialogId);
    assert.deepEqual(
      messages.map((m) => [m.role, m.text]),
      [
        ['USER', 'Hello'],
        ['USER', 'Is delivery free?'],
        ['ASSISTANT', 'Aigerim: Delivery in Almaty is free.'],
      ],
    );
    assert.equal(messages[2].authorUserId, null, 'no person wrote it');
    assert.equal((await shopOf.dialog(dialogId)).ai, true, 'the assistant’s own reply hands nothing over');

    const usage = await queryDatabase<Record<string, unknown>>(
      s,
      `select operation, object_type, object_id, provider, model, user_id, organization_id, error from ai.usage_records where object_id = $1`,
      [dialogId],
    );
    assert.deepEqual(usage, [
      {
        operation: 'AUTO_REPLY',
        object_type: 'DIALOG',
        object_id: dialogId,
        provider: 'local',
        model: 'local-offline',
        user_id: null,
        organization_id: admin.organizationId,
        error: null,
      },
    ]);

    // In the client's language.
    await shopOf.write(chatId, 'А доставка бесплатная?');
    const russian = await s.telegram.waitFor((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(chatId) && c !== call);
    assert.equal(russian.body.text, 'Aigerim: Доставка по Алматы бесплатная.');
  });

  it('offline, says a person will answer what the prompt does not cover, and hands the dialog over', async () => {
    const { chatId, dialogId } = await shopOf.newDialog();
    await shopOf.write(chatId, 'Can I pay with bitcoin?');
    const call = await s.telegram.waitFor((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(chatId));
    assert.match(String(call.body.text), /automatic reply/);
    await until('the hand-over', async () => !(await shopOf.dialog(dialogId)).ai);
    assert.equal((await shopOf.dialog(dialogId)).handoverReason, 'the assistant found no answer in the stage’s prompt');
  });

  it('hands the dialog over when the client asks for a person, with dialogUpdated and no reply', async () => {
    const { chatId, dialogId } = await shopOf.newDialog();
    const listening = whenListening(s.product, 'funnels');
    const updates = subscribe<{ dialogUpdated: { id: string; ai: boolean; handoverReason: string | null } }>(
      wsClient(s.url, bearer(admin.token)),
      { query: `subscription($id: ID) { dialogUpdated(dialogId: $id) { id ai handoverReason } }`, variables: { id: dialogId } },
    );
    const first = updates.next();
    await listening();
    await shopOf.write(chatId, 'Позовите оператора, пожалуйста');
    let event = (await first).data!.dialogUpdated;
    // The client's message is an update too; the hand-over follows it.
    for (let i = 0; event.ai && i < 5; i++) event = (await updates.next()).data!.dialogUpdated;
    assert.deepEqual(event, { id: dialogId, ai: false, handoverReason: 'the client asked for a person' });
    const dialog = await shopOf.dialog(dialogId);
    assert.equal(dialog.ai, false);
    assert.ok(dialog.handedOverAt);
    await sleep(500);
    assert.equal(shopOf.sentTo(chatId).length, 0, 'nothing was sent to the client');
    assert.ok(
      (await shopOf.messages(dialogId)).every((m) => m.role === 'USER'),
      'no assistant message',
    );

    // Turned back on, the dialog is the assistant's again and the hand-over is forgotten.
    const back = await ok(s.url, SET_AI, { id: dialogId, ai: true }, admin.token);
    assert.deepEqual(back.updateDialog, { ai: true, handedOverAt: null, handoverReason: null });
  });

  it('hands the dialog over when a manager replies; an assistant message sent by a person does not', async () => {
    const { chatId, dialogId } = await shopOf.newDialog();
    const asAssistantRole = await ok(s.url, SEND, { id: dialogId, text: 'An automatic greeting', role: 'ASSISTANT' }, admin.token);
    assert.equal(asAssistantRole.sendDialogMessage.role, 'ASSISTANT');
    assert.equal((await shopOf.dialog(dialogId)).ai, true);

    const listening = whenListening(s.product, 'funnels');
    const updates = subscribe<{ dialogUpdated: { ai: boolean; handoverReason: string | null } }>(wsClient(s.url, bearer(admin.token)), {
      query: `subscription($id: ID) { dialogUpdated(dialogId: $id) { ai handoverReason } }`,
      variables: { id: dialogId },
    });
    const next = updates.next();
    await listening();
    await ok(s.url, SEND, { id: dialogId, text: 'Hi, I am Olga, I will help you' }, admin.token);
    let event = (await next).data!.dialogUpdated;
    // The earlier message's delivery may come first.
    for (let i = 0; event.ai && i < 5; i++) event = (await updates.next()).data!.dialogUpdated;
    assert.deepEqual(event, { ai: false, handoverReason: 'a manager replied' });

    await shopOf.write(chatId, 'Is delivery free?');
    await sleep(700);
    assert.deepEqual(
      shopOf.sentTo(chatId).map((c) => c.body.text),
      ['An automatic greeting', 'Hi, I am Olga, I will help you'],
      'the assistant stays quiet once a manager has taken over',
    );
  });

  it('posts a claimed answer only while the turn is still the assistant’s', async () => {
    const POST = `mutation($d: ID!, $m: ID!, $t: String!) { postAssistantReply(dialogId: $d, messageId: $m, text: $t) { id role } }`;
    const post = async (dialogId: string, messageId: string, text: string) =>
      (await asAssistant(POST, { d: dialogId, m: messageId, t: text })).postAssistantReply as { id: string; role: string } | null;
    // The dialog gets its assistant after the client's first message: nobody is answering that one yet.
    const answered = await shopOf.newDialog('Do you deliver?');
    const hello = (await shopOf.messages(answered.dialogId)).find((m) => m.text === 'Do you deliver?')!;
    assert.ok(await claim(answered.dialogId, hello.id));
    assert.equal((await post(answered.dialogId, hello.id, 'We deliver across Almaty.'))?.role, 'ASSISTANT');
    await until('the answer delivered', () => shopOf.sentTo(answered.chatId).length > 0);

    // A manager writes while the assistant is still writing: the manager's dialog now, the answer is dropped.
    const overtaken = await shopOf.newDialog('Do you deliver?');
    const asked = (await shopOf.messages(overtaken.dialogId)).find((m) => m.text === 'Do you deliver?')!;
    assert.ok(await claim(overtaken.dialogId, asked.id));
    await ok(s.url, SEND, { id: overtaken.dialogId, text: 'Olga here: yes, we do' }, admin.token);
    assert.equal(await post(overtaken.dialogId, asked.id, 'We deliver across Almaty.'), null);
    // And a turn never claimed is not the assistant's to answer.
    assert.equal(await post(answered.dialogId, asked.id, 'x'), null);
    await sleep(300);
    assert.deepEqual(
      shopOf.sentTo(overtaken.chatId).map((c) => c.body.text),
      ['Olga here: yes, we do'],
    );
  });

  it('does not answer in a dialog without ai', async () => {
    const { chatId, dialogId } = await shopOf.newDialog('Hello', false);
    await shopOf.write(chatId, 'Is delivery free?');
    await sleep(700);
    assert.equal(shopOf.sentTo(chatId).length, 0);
    assert.deepEqual(await queryDatabase(s, `select id from ai.usage_records where object_id = $1`, [dialogId]), []);
    // Nor for an unsubscribed client.
    await ok(
      s.url,
      `mutation($id: ID!) { updateDialog(id: $id, input: { ai: true, unsubscribed: true }) { id } }`,
      { id: dialogId },
      admin.token,
    );
    await shopOf.write(chatId, 'And the opening hours?');
    await sleep(700);
    assert.equal(shopOf.sentTo(chatId).length, 0);
  });

  it('answers a redelivered update once, and a message is claimed by one only', async () => {
    const { chatId, dialogId } = await shopOf.newDialog();
    const update = s.telegram.textUpdate(chatId, 'Is delivery free?', { first_name: 'Ivan' });
    assert.equal(await s.telegram.postUpdate(shopOf.token, update), 200);
    assert.equal(await s.telegram.postUpdate(shopOf.token, update), 200);
    await until('the reply', () => shopOf.sentTo(chatId).length > 0);
    await sleep(700);
    assert.equal(shopOf.sentTo(chatId).length, 1, 'one reply');
    const asked = (await shopOf.messages(dialogId)).find((m) => m.text === 'Is delivery free?')!;
    assert.equal(await claim(dialogId, asked.id), null, 'claimed already');
    const older = (await shopOf.messages(dialogId)).find((m) => m.text === 'Hello')!;
    assert.equal(await claim(dialogId, older.id), null, 'not the latest');

    // Two more claimants race the assistant for a new message: exactly one of the three answers it.
    await shopOf.write(chatId, 'When are you open?');
    const latest = (await shopOf.messages(dialogId)).find((m) => m.text === 'When are you open?')!;
    const won = (await Promise.all([claim(dialogId, latest.id), claim(dialogId, latest.id)])).filter((turn) => turn !== null);
    await sleep(1_000);
    const replies = (await shopOf.messages(dialogId)).filter((m) => m.role === 'ASSISTANT').length - 1;
    assert.equal(won.length + replies, 1, `claims won: ${won.length}, replies: ${replies}`);
    if (won.length)
      assert.deepEqual(JSON.parse(JSON.stringify(won[0])), {
        dialogId,
        messageId: latest.id,
        organizationId: admin.organizationId,
        messageText: 'When are you open?',
        prompt: PROMPT,
        assistantName: 'Aigerim',
        clientName: 'Ivan',
        messages: [
          { role: 'USER', text: 'Hello' },
          { role: 'USER', text: 'Is delivery free?' },
          { role: 'ASSISTANT', text: 'Aigerim: Delivery in Almaty is free.' },
          { role: 'USER', text: 'When are you open?' },
        ],
      });

    // The internal mutations are not in the API.
    const refused = await graphql(s.url, CLAIM, { d: dialogId, m: latest.id }, { token: admin.token });
    assert.equal(codeOf(refused), 'GRAPHQL_VALIDATION_FAILED');
  });
});

describe('ai: an assistant that cannot answer hands over', () => {
  let s: Stack;
  let admin: Account;
  let provider: OpenAIStandIn;
  const KEY = 'sk-auto-reply-key-67890';

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    provider = await OpenAIStandIn.start({ requiredKey: KEY, models: ['gpt-4o-mini'] });
    // The organization's own provider is its preferred backend.
    await ok(
      s.url,
      `mutation($input: CreateLlmProviderInput!) { createLlmProvider(input: $input) { id } }`,
      {
        input: {
          name: 'Stand-in',
          slug: 'standin',
          baseUrl: provider.url,
          apiKey: KEY,
          models: ['gpt-4o-mini'],
          defaultModel: 'gpt-4o-mini',
        },
      },
      admin.token,
    );
  });
  after(() => provider.close());

  it('posts the provider’s answer, and when the provider fails posts nothing and hands the dialog over', async () => {
    const shopOf = await shop(s, admin);
    provider.reply = () => 'Yes, delivery is free.';
    const answered = await shopOf.newDialog();
    await shopOf.write(answered.chatId, 'Is delivery free?');
    await until('the reply', () => shopOf.sentTo(answered.chatId).length > 0);
    assert.equal(shopOf.sentTo(answered.chatId)[0].body.text, 'Yes, delivery is free.');
    const call = await provider.waitFor((c) => c.path === '/v1/chat/completions');
    const sent = (call.body as { messages: { role: string; content: string }[] }).messages;
    assert.equal(sent[0].role, 'system');
    assert.ok(sent[0].content.startsWith(PROMPT), 'the stage’s prompt leads');
    assert.match(sent[0].content, /Answer briefly, in the language the client writes in\./);
    assert.deepEqual(sent.at(-1), { role: 'user', content: 'Is delivery free?' });

    provider.failNext(500, { times: 5 });
    const failing = await shopOf.newDialog();
    await shopOf.write(failing.chatId, 'Is delivery free?');
    await until('the hand-over', async () => !(await shopOf.dialog(failing.dialogId)).ai, 10_000);
    assert.match((await shopOf.dialog(failing.dialogId)).handoverReason ?? '', /^assistant unavailable: /);
    assert.equal(shopOf.sentTo(failing.chatId).length, 0, 'nothing was sent');
    const usage = await queryDatabase<{ operation: string; error: string | null }>(
      s,
      `select operation, error from ai.usage_records where object_id = $1`,
      [failing.dialogId],
    );
    assert.equal(usage.length, 1);
    assert.equal(usage[0].operation, 'AUTO_REPLY');
    assert.ok(usage[0].error, 'the failed call is recorded');
  });
});

describe('ai: asking for a person (unit)', () => {
  it('recognises Russian and English requests for a person, and not ordinary questions', () => {
    for (const text of [
      'Позовите оператора',
      'соедините с менеджером',
      'Соедините меня с отделом продаж',
      'Хочу поговорить с живым человеком',
      'Позовите, пожалуйста, человека',
      'I want to talk to a human',
      'Operator!',
      'Can I speak to a real person?',
      'agent, please',
    ])
      assert.equal(asksForPerson(text), true, text);
    for (const text of [
      'Is delivery free?',
      'Доставка бесплатная?',
      'Не могу соединить с интернетом',
      'Спасибо, всё понятно',
      'Cooperation terms?',
    ])
      assert.equal(asksForPerson(text), false, text);
  });
});
