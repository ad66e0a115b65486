import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  ChannelError,
  MessengerChannels,
  TelegramChannel,
  WhatsAppChannel,
  newWebhookSecret,
  verifyWhatsAppSignature,
} from '@salesgraph/funnels/channels';
import { TestTelegramApi } from './support/telegram.js';
import { TestWhatsAppApi } from './support/whatsapp.js';

const BOT_TOKEN = '7001:AAbot-key_1';
const WHATSAPP_TOKEN = 'EAAGwhatsapp-token';
const PHONE_NUMBER_ID = '106540352242922';
const APP_SECRET = 'app-secret-1';

/** Asserts that `promise` rejects with a ChannelError of `kind`; the error, for more checks. */
async function channelError(promise: Promise<unknown>, kind: ChannelError['kind']): Promise<ChannelError> {
  const error = await promise.then(
    () => assert.fail(`expected a ${kind} ChannelError`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ChannelError, `not a ChannelError: ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  return error;
}

/** A loopback URL nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('Telegram channel (unit, against a stand-in Bot API)', () => {
  let api: TestTelegramApi;
  let telegram: TelegramChannel;
  const credentials = { token: BOT_TOKEN, settings: {} };
  before(async () => {
    api = await new TestTelegramApi().start();
    api.addBot(BOT_TOKEN, 'funnel_bot');
    telegram = new TelegramChannel({ apiRoot: `${api.url}/` });
  });
  after(() => api.close());

  it('verifies a token as the bot’s @username, and refuses an unknown or malformed one as unauthorized', async () => {
    assert.deepEqual(await telegram.verify(credentials), { accountName: '@funnel_bot' });
    const unknown = await channelError(telegram.verify({ token: '7002:AAnot-a-bot', settings: {} }), 'unauthorized');
    assert.match(unknown.message, /401: Unauthorized/);
    const calls = api.calls.length;
    await channelError(telegram.verify({ token: '7001:key/../../other', settings: {} }), 'unauthorized');
    assert.equal(api.calls.length, calls, 'a malformed token is not sent');
  });

  it('points the webhook at the URL with the secret and only message updates, and deletes it on stop', async () => {
    const secret = newWebhookSecret();
    await telegram.start(credentials, { url: 'https://crm.example.com/webhooks/telegram/17', secret });
    const set = await api.waitFor((c) => c.method === 'setWebhook');
    assert.deepEqual(set, {
      token: BOT_TOKEN,
      method: 'setWebhook',
      body: {
        url: 'https://crm.example.com/webhooks/telegram/17',
        secret_token: secret,
        allowed_updates: ['message'],
        drop_pending_updates: false,
      },
    });
    assert.deepEqual(api.webhookOf(BOT_TOKEN), { url: 'https://crm.example.com/webhooks/telegram/17', secret });
    await telegram.stop(credentials);
    const deleted = await api.waitFor((c) => c.method === 'deleteWebhook');
    assert.equal(deleted.token, BOT_TOKEN);
    assert.equal(api.webhookOf(BOT_TOKEN), undefined);
  });

  it('makes webhook secrets Telegram accepts, and refuses to set one it would not', async () => {
    const secrets = Array.from({ length: 20 }, newWebhookSecret);
    for (const secret of secrets) assert.match(secret, /^[A-Za-z0-9_-]{32,256}$/);
    assert.equal(new Set(secrets).size, secrets.length);
    const calls = api.calls.length;
    await channelError(telegram.start(credentials, { url: 'https://crm.example.com/w', secret: 'has spaces and /' }), 'permanent');
    assert.equal(api.calls.length, calls);
  });

  it('sends a text and answers the message id', async () => {
    const first = await telegram.send(credentials, '4242', 'Hello from the funnel');
    const second = await telegram.send(credentials, '4242', 'Second');
    assert.match(first.externalMessageId, /^\d+$/);
    assert.equal(Number(second.externalMessageId), Number(first.externalMessageId) + 1);
    const call = await api.waitFor((c) => c.method === 'sendMessage' && c.body.text === 'Hello from the funnel');
    assert.deepEqual([call.token, call.body.chat_id], [BOT_TOKEN, '4242']);
  });

  it('maps Telegram’s refusals: 429 transient with retry_after, 5xx transient, blocked permanent, bad token unauthorized', async () => {
    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 7', retry_after: 7 });
    const limited = await channelError(telegram.send(credentials, '4242', 'hi'), 'transient');
    assert.equal(limited.retryAfterSeconds, 7);

    api.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    assert.equal((await channelError(telegram.send(credentials, '4242', 'hi'), 'transient')).retryAfterSeconds, undefined);

    api.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const blocked = await channelError(telegram.send(credentials, '4242', 'hi'), 'permanent');
    assert.match(blocked.message, /Forbidden: bot was blocked by the user/);

    api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    assert.match((await channelError(telegram.send(credentials, '1', 'hi'), 'permanent')).message, /chat not found/);

    await channelError(telegram.send({ token: '7003:AArevoked', settings: {} }, '4242', 'hi'), 'unauthorized');
  });

  it('reports an unreachable server as transient, without the token in the message', async () => {
    const offline = new TelegramChannel({ apiRoot: await closedPortUrl() });
    const error = await channelError(offline.send(credentials, '4242', 'hi'), 'transient');
    assert.match(error.message, /Telegram could not be reached for sendMessage \(ECONNREFUSED\)/);
    assert.ok(!error.message.includes(BOT_TOKEN));
  });

  it('reads the text message of an update, with the sender’s name, username and date', () => {
    const body = JSON.stringify({
      update_id: 9001,
      message: {
        message_id: 55,
        date: 1_764_000_000,
        chat: { id: 4242, type: 'private', first_name: 'Anna' },
        from: { id: 4242, is_bot: false, first_name: 'Anna', last_name: 'Petrova', username: 'anna_p' },
        text: 'I want a quote',
      },
    });
    assert.deepEqual(telegram.parseUpdate(body), [
      {
        externalChatId: '4242',
        externalMessageId: '55',
        text: 'I want a quote',
        senderName: 'Anna Petrova',
        senderPhone: null,
        senderUsername: 'anna_p',
        sentAt: new Date(1_764_000_000_000),
      },
    ]);
  });

  it('reads the client’s own shared contact as their phone number, and ignores other non-text updates', () => {
    const message = { message_id: 56, date: 1_764_000_100, chat: { id: 4242, type: 'private' }, from: { id: 4242, first_name: 'Anna' } };
    const [shared] = telegram.parseUpdate(
      JSON.stringify({
        update_id: 1,
        message: { ...message, contact: { phone_number: '79161234567', first_name: 'Anna', user_id: 4242 } },
      }),
    );
    assert.deepEqual([shared?.text, shared?.senderPhone, shared?.senderName], ['+79161234567', '+79161234567', 'Anna']);
    const someoneElse = { ...message, contact: { phone_number: '+79990000000', first_name: 'Boris', user_id: 777 } };
    assert.deepEqual(telegram.parseUpdate(JSON.stringify({ update_id: 2, message: someoneElse })), []);
    const photo = { ...message, photo: [{ file_id: 'x', file_unique_id: 'y', width: 1, height: 1 }], caption: 'look' };
    assert.deepEqual(telegram.parseUpdate(JSON.stringify({ update_id: 3, message: photo })), []);
    assert.deepEqual(telegram.parseUpdate(JSON.stringify({ update_id: 4, edited_message: { ...message, text: 'edited' } })), []);
    assert.deepEqual(telegram.parseUpdate(JSON.stringify({ update_id: 5, my_chat_member: {} })), []);
  });

  it('refuses a body that is not a Telegram update as permanent', () => {
    for (const body of ['', 'not json', '[]', '{"message":{"text":"no update_id"}}', '{"update_id":1,"message":{"text":"no chat"}}']) {
      assert.throws(
        () => telegram.parseUpdate(body),
        (e: unknown) => e instanceof ChannelError && e.kind === 'permanent',
        body,
      );
    }
  });

  it('delivers an update to the webhook it set, with the secret header, as Telegram does', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const secret = newWebhookSecret();
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/telegram/1`;
      await telegram.start(credentials, { url, secret });
      assert.equal(await api.postUpdate(BOT_TOKEN, api.textUpdate(31337, 'Hi there', { first_name: 'Ivan', username: 'ivan' })), 200);
      assert.equal(received[0]?.headers['x-telegram-bot-api-secret-token'], secret);
      const [message] = telegram.parseUpdate(received[0].body);
      assert.deepEqual(
        [message?.externalChatId, message?.text, message?.senderName, message?.senderUsername],
        ['31337', 'Hi there', 'Ivan', 'ivan'],
      );
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe('WhatsApp channel (unit, against a stand-in Cloud API)', () => {
  let api: TestWhatsAppApi;
  let whatsapp: WhatsAppChannel;
  const credentials = { token: WHATSAPP_TOKEN, settings: { phoneNumberId: PHONE_NUMBER_ID } };
  before(async () => {
    api = await new TestWhatsAppApi().start();
    api.addNumber(PHONE_NUMBER_ID, WHATSAPP_TOKEN, '+1 555-010-0000');
    whatsapp = new WhatsAppChannel({ apiRoot: api.url });
  });
  after(() => api.close());

  it('verifies the token on the phone number as its display number; a bad token, number or setting is unauthorized', async () => {
    assert.deepEqual(await whatsapp.verify(credentials), { accountName: '+1 555-010-0000' });
    const call = await api.waitFor((c) => c.operation === 'getPhoneNumber');
    assert.deepEqual([call.phoneNumberId, call.token], [PHONE_NUMBER_ID, WHATSAPP_TOKEN]);
    const badToken = await channelError(whatsapp.verify({ ...credentials, token: 'EAAGexpired' }), 'unauthorized');
    assert.match(badToken.message, /401: Invalid OAuth access token/);
    await channelError(whatsapp.verify({ ...credentials, settings: { phoneNumberId: '999' } }), 'unauthorized');
    const calls = api.calls.length;
    await channelError(whatsapp.verify({ ...credentials, settings: {} }), 'unauthorized');
    await channelError(whatsapp.verify({ ...credentials, settings: { phoneNumberId: '1/../2' } }), 'unauthorized');
    assert.equal(api.calls.length, calls, 'no request without a usable phoneNumberId');
  });

  it('starts by verifying only, and stops without a call', async () => {
    const calls = api.calls.length;
    await whatsapp.start(credentials);
    await whatsapp.stop();
    assert.deepEqual(
      api.calls.slice(calls).map((c) => c.operation),
      ['getPhoneNumber'],
    );
  });

  it('sends a text to the number and answers the message id', async () => {
    const sent = await whatsapp.send(credentials, '79161234567', 'Hello from the funnel');
    assert.match(sent.externalMessageId, /^wamid\./);
    const call = await api.waitFor((c) => c.operation === 'sendMessage');
    assert.deepEqual(call, {
      operation: 'sendMessage',
      phoneNumberId: PHONE_NUMBER_ID,
      token: WHATSAPP_TOKEN,
      body: { messaging_product: 'whatsapp', to: '79161234567', type: 'text', text: { body: 'Hello from the funnel' } },
    });
  });

  it('maps the Graph API’s refusals: 429 and throttling codes transient with Retry-After, 5xx transient, others permanent', async () => {
    api.failNext('sendMessage', { status: 429, code: 130429, message: 'Rate limit hit', retryAfter: 12 });
    assert.equal((await channelError(whatsapp.send(credentials, '79161234567', 'hi'), 'transient')).retryAfterSeconds, 12);
    api.failNext('sendMessage', {
      status: 400,
      code: 131056,
      message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    });
    await channelError(whatsapp.send(credentials, '79161234567', 'hi'), 'transient');
    api.failNext('sendMessage', { status: 503, code: 131016, message: 'Service unavailable' });
    await channelError(whatsapp.send(credentials, '79161234567', 'hi'), 'transient');
    api.failNext('sendMessage', { status: 400, code: 131047, message: 'Re-engagement message' });
    const outside = await channelError(whatsapp.send(credentials, '79161234567', 'hi'), 'permanent');
    assert.match(outside.message, /400: Re-engagement message/);
    await channelError(whatsapp.send({ ...credentials, token: 'EAAGrevoked' }, '79161234567', 'hi'), 'unauthorized');
    await channelError(whatsapp.send(credentials, '+7 916', 'hi'), 'permanent');
  });

  it('reports an unreachable server as transient', async () => {
    const offline = new WhatsAppChannel({ apiRoot: `${await closedPortUrl()}/v21.0` });
    const error = await channelError(offline.send(credentials, '79161234567', 'hi'), 'transient');
    assert.match(error.message, /WhatsApp could not be reached for POST \/\d+\/messages: ECONNREFUSED/);
  });

  it('reads the text messages of a notification, with the sender’s profile name and number', () => {
    const before = Math.floor(Date.now() / 1000);
    const [message, ...more] = whatsapp.parseUpdate(api.inboundBody('79161234567', 'Do you deliver?', 'Anna'));
    assert.deepEqual(more, []);
    assert.ok(message);
    assert.match(message.externalMessageId, /^wamid\./);
    assert.ok(message.sentAt.getTime() >= before * 1000 && message.sentAt.getTime() <= Date.now());
    assert.deepEqual(
      { ...message, externalMessageId: '', sentAt: null },
      {
        externalChatId: '79161234567',
        externalMessageId: '',
        text: 'Do you deliver?',
        senderName: 'Anna',
        senderPhone: '+79161234567',
        senderUsername: null,
        sentAt: null,
      },
    );
  });

  it('ignores receipts and non-text messages, and refuses a body that is not a notification as permanent', () => {
    const notification = (value: unknown) =>
      JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value }] }] });
    assert.deepEqual(whatsapp.parseUpdate(notification({ statuses: [{ id: 'wamid.X', status: 'delivered' }] })), []);
    const image = { from: '79161234567', id: 'wamid.IMG', timestamp: '1764000000', type: 'image', image: { id: 'media-1' } };
    assert.deepEqual(whatsapp.parseUpdate(notification({ messages: [image] })), []);
    for (const body of [
      '',
      'garbage',
      '{"object":"page","entry":[]}',
      notification({ messages: [{ type: 'text', text: { body: 'no sender' } }] }),
    ]) {
      assert.throws(
        () => whatsapp.parseUpdate(body),
        (e: unknown) => e instanceof ChannelError && e.kind === 'permanent',
        body,
      );
    }
  });

  it('accepts Meta’s signature of the raw body only', () => {
    const body = api.inboundBody('79161234567', 'Signed');
    const signature = api.sign(body, APP_SECRET);
    assert.equal(verifyWhatsAppSignature(body, signature, APP_SECRET), true);
    assert.equal(verifyWhatsAppSignature(Buffer.from(body), signature.toUpperCase().replace('SHA256=', 'sha256='), APP_SECRET), true);
    assert.equal(verifyWhatsAppSignature(body, signature, 'another-secret'), false);
    assert.equal(verifyWhatsAppSignature(`${body} `, signature, APP_SECRET), false);
    assert.equal(verifyWhatsAppSignature(body, undefined, APP_SECRET), false);
    assert.equal(verifyWhatsAppSignature(body, '', APP_SECRET), false);
    assert.equal(verifyWhatsAppSignature(body, signature.slice(0, -2), APP_SECRET), false);
    assert.equal(verifyWhatsAppSignature(body, signature.replace('sha256=', 'sha1='), APP_SECRET), false);
  });
});

describe('messenger channels', () => {
  it('gives the channel of each kind, with the API roots of the settings', () => {
    const channels = new MessengerChannels({
      telegramApiRoot: 'https://api.telegram.org',
      whatsappApiRoot: 'https://graph.facebook.com/v21.0',
    });
    assert.ok(channels.of('telegram') instanceof TelegramChannel);
    assert.ok(channels.of('whatsapp') instanceof WhatsAppChannel);
    assert.equal(channels.of('telegram'), channels.of('telegram'));
  });
});
