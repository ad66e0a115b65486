import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, rest, unique } from './support/client.js';
import { OpenAIStandIn, words } from './support/openai.js';
import { queryDatabase, stack, type Stack } from './support/stack.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

const MODELS = `query { aiModels { name provider persona } }`;
const CREATE_SESSION = `mutation($input: CreateChatSessionInput!) { createChatSession(input: $input) { id title persona model messagesCount } }`;
const SEND = `mutation($sessionId: ID, $persona: String, $content: String!) {
  sendChatMessage(sessionId: $sessionId, persona: $persona, content: $content) { message { id role content } reply { id role content provider model } } }`;
const SESSION = `query($id: ID!) { chatSession(id: $id) { id messagesCount messages { totalCount nodes { role content provider } } } }`;
const CREATE_PROVIDER = `mutation($input: CreateLlmProviderInput!) { createLlmProvider(input: $input) { id slug apiKeyHint models defaultModel ownerUserId } }`;

/** Reads a Server-Sent Events body into its `data:` payloads. */
async function sseData(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

describe('ai: chat with personas, the offline provider and OpenAI-compatible providers', () => {
  let s: Stack;
  let admin: Account;
  let provider: OpenAIStandIn;
  let sdk: OpenAI;
  const KEY = 'sk-test-provider-key-12345';

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    provider = await OpenAIStandIn.start({ requiredKey: KEY, models: ['gpt-4o-mini', 'gpt-4o'] });
    sdk = new OpenAI({ apiKey: admin.token, baseURL: `${s.url}/v1`, maxRetries: 0 });
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await provider.close();
  });

  it('answers offline with the persona’s prompt, says so, and keeps the session’s history', async () => {
    const models = await graphql(s.url, MODELS, {}, { token: admin.token });
    const ids = models.data.aiModels.map((m: { name: string }) => m.name);
    assert.ok(ids.includes('local-offline') && ids.includes('anna-secretary-local') && ids.includes('marina-secretary-local'), ids.join());

    const session = (await graphql(s.url, CREATE_SESSION, { input: { persona: 'anna', title: 'Hours' } }, { token: admin.token })).data
      .createChatSession;
    const sent = await graphql(s.url, SEND, { sessionId: session.id, content: 'Какое у вас рабочее время?' }, { token: admin.token });
    assert.ok(sent.data, JSON.stringify(sent.errors));
    const { reply } = sent.data.sendChatMessage;
    assert.equal(reply.provider, 'local');
    assert.equal(reply.model, 'local-offline');
    assert.match(reply.content, /9:00/, 'the answer comes from the persona’s prompt');

    const read = (await graphql(s.url, SESSION, { id: session.id }, { token: admin.token })).data.chatSession;
    assert.equal(read.messagesCount, 2);
    assert.deepEqual(
      read.messages.nodes.map((m: { role: string }) => m.role),
      ['USER', 'ASSISTANT'],
    );
    const reset = await graphql(
      s.url,
      `
        mutation ($id: ID!) {
          resetChatSession(id: $id) {
            messagesCount
          }
        }
      `,
      { id: session.id },
      { token: admin.token },
    );
    assert.equal(reset.data.resetChatSession.messagesCount, 0);
  });

  it('scopes sessions by owner: admins see the organization’s, users their own, guests only read, strangers nothing', async () => {
    const user = await newMember(s.url, admin, 'USER');
    const guest = await newMember(s.url, admin, 'GUEST');
    const stranger = await newOrganization(s.url);
    const mine = (await graphql(s.url, CREATE_SESSION, { input: { title: 'Mine' } }, { token: user.token })).data.createChatSession;
    const adminsView = await graphql(
      s.url,
      `
        query {
          chatSessions {
            nodes {
              id
            }
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.ok(adminsView.data.chatSessions.nodes.some((n: { id: string }) => n.id === mine.id));
    const adminOwn = (await graphql(s.url, CREATE_SESSION, { input: { title: 'Admin' } }, { token: admin.token })).data.createChatSession;
    assert.equal(codeOf(await graphql(s.url, SESSION, { id: adminOwn.id }, { token: user.token })), 'NOT_FOUND');
    assert.equal(codeOf(await graphql(s.url, SESSION, { id: mine.id }, { token: stranger.token })), 'NOT_FOUND');
    assert.equal(codeOf(await graphql(s.url, SEND, { sessionId: mine.id, content: 'hi' }, { token: guest.token })), 'FORBIDDEN');
    assert.equal(
      (
        await graphql(
          s.url,
          `
            query {
              chatSessions {
                totalCount
              }
            }
          `,
          {},
          { token: guest.token },
        )
      ).data.chatSessions.totalCount,
      0,
    );
    assert.equal(codeOf(await graphql(s.url, SEND, { sessionId: mine.id, content: '   ' }, { token: user.token })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await graphql(s.url, CREATE_SESSION, { input: { persona: 'nobody' } }, { token: user.token })), 'NOT_FOUND');
  });

  it('keeps a provider’s key encrypted and shows only its end', async () => {
    const created = await graphql(
      s.url,
      CREATE_PROVIDER,
      {
        input: {
          name: 'Stand-in',
          slug: 'standin',
          baseUrl: provider.url,
          apiKey: KEY,
          models: ['gpt-4o-mini', 'gpt-4o'],
          defaultModel: 'gpt-4o-mini',
        },
      },
      { token: admin.token },
    );
    assert.ok(created.data, JSON.stringify(created.errors));
    assert.equal(created.data.createLlmProvider.apiKeyHint, '…2345');
    assert.equal(created.data.createLlmProvider.ownerUserId, null, 'an admin’s provider serves the organization');
    const listed = await graphql(
      s.url,
      `
        query {
          llmProviders {
            slug
            apiKeyHint
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.ok(!JSON.stringify(listed).includes(KEY));
    const rows = await queryDatabase<{ api_key_sealed: string }>(s, `select api_key_sealed from ai.providers where slug = 'standin'`);
    assert.ok(rows.length > 0 && rows.every((r) => r.api_key_sealed.startsWith('v1.') && !r.api_key_sealed.includes(KEY)), 'stored sealed');

    const taken = await graphql(
      s.url,
      CREATE_PROVIDER,
      { input: { name: 'x', slug: 'standin', baseUrl: provider.url, defaultModel: 'm' } },
      { token: admin.token },
    );
    assert.equal(codeOf(taken), 'CONFLICT');
    const reserved = await graphql(
      s.url,
      CREATE_PROVIDER,
      { input: { name: 'x', slug: 'local', baseUrl: provider.url, defaultModel: 'm' } },
      { token: admin.token },
    );
    assert.equal(codeOf(reserved), 'CONFLICT');
    // A provider that cannot serve is never stored: it is asked for its models first.
    const wrongKey = await graphql(
      s.url,
      CREATE_PROVIDER,
      { input: { name: 'x', slug: 'wrong_key', baseUrl: provider.url, apiKey: 'sk-wrong', defaultModel: 'gpt-4o' } },
      { token: admin.token },
    );
    assert.equal(codeOf(wrongKey), 'BAD_USER_INPUT');
    assert.match(wrongKey.errors![0].message, /refused the API key/);
    const unreachable = await graphql(
      s.url,
      CREATE_PROVIDER,
      { input: { name: 'x', slug: 'nowhere', baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY, defaultModel: 'gpt-4o' } },
      { token: admin.token },
    );
    assert.equal(codeOf(unreachable), 'BAD_USER_INPUT');
    assert.match(unreachable.errors![0].message, /cannot be reached/);
    const badUrl = await graphql(
      s.url,
      CREATE_PROVIDER,
      { input: { name: 'x', slug: 'y', baseUrl: 'ftp://x', defaultModel: 'm' } },
      { token: admin.token },
    );
    assert.equal(codeOf(badUrl), 'BAD_USER_INPUT');
  });

  it('serves /v1/models and /v1/chat/completions to the official openai client, whole and streamed', async () => {
    const models: string[] = [];
    for await (const model of sdk.models.list()) models.push(model.id);
    assert.ok(
      models.includes('gpt-4o') && models.includes('anna-secretary-standin') && models.includes('marina-secretary-local'),
      models.join(),
    );

    provider.reset();
    provider.reply = (request) => `Hello from ${request.model}`;
    const whole = await sdk.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(whole.object, 'chat.completion');
    assert.equal(whole.choices[0].message.content, 'Hello from gpt-4o');
    assert.equal(whole.choices[0].finish_reason, 'stop');
    assert.ok(whole.usage && whole.usage.total_tokens > 0);
    assert.equal((whole as unknown as { provider: string }).provider, 'standin');
    const seen = await provider.waitFor((c) => c.path === '/v1/chat/completions');
    assert.equal(seen.headers.authorization, `Bearer ${KEY}`, 'the provider gets its own key, not the caller’s token');

    // A persona model id leads with the persona's prompt and goes to its backend's default model.
    provider.reset();
    provider.reply = words(30);
    const stream = await sdk.chat.completions.create({
      model: 'anna-secretary-standin',
      messages: [{ role: 'user', content: 'Привет' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, words(30));
    assert.equal(finish, 'stop');
    assert.equal(usage?.completion_tokens, 30);
    const request = await provider.waitFor((c) => c.path === '/v1/chat/completions');
    const sentMessages = request.body?.messages as { role: string; content: string }[];
    assert.equal(request.body?.model, 'gpt-4o-mini');
    assert.equal(sentMessages[0].role, 'system');
    assert.match(sentMessages[0].content, /Анна/);
  });

  it('stops the provider when the client goes away mid-stream', async () => {
    provider.reset();
    provider.reply = words(200);
    provider.chunkDelayMs = 30;
    try {
      const stream = await sdk.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'long' }],
        stream: true,
      });
      let pieces = 0;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) pieces++;
        if (pieces === 3) break;
      }
      const aborted = await provider.waitForAbort((c) => c.path === '/v1/chat/completions', 5_000);
      assert.equal(aborted.aborted, true);
    } finally {
      provider.chunkDelayMs = 0;
    }
  });

  it('answers a provider that fails, stalls or refuses with a clear error, never a hang', async () => {
    provider.reset();
    provider.failNext(500, { times: 5 });
    const down = await rest(s.url, 'POST', '/v1/chat/completions', {
      token: admin.token,
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] },
    });
    assert.equal(down.status, 503);
    assert.match(down.body.detail, /standin/);
    assert.equal(down.body.error.code, 'SERVICE_UNAVAILABLE');
    assert.equal(provider.calls.all.length, 2, 'one retry (LLM_MAX_RETRIES=1)');

    provider.reset();
    provider.stallNext({ times: 5 });
    const started = Date.now();
    const stalled = await rest(s.url, 'POST', '/v1/chat/completions', {
      token: admin.token,
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true },
    });
    assert.equal(stalled.status, 503);
    assert.match(stalled.body.detail, /did not answer within 1500 ms/);
    assert.ok(Date.now() - started < 10_000);

    // Broken off mid-stream: an error event the SDK throws, after what had come.
    provider.reset();
    provider.reply = words(20);
    provider.breakStreamAfter(3);
    let received = '';
    const broken = await (async () => {
      for await (const chunk of await sdk.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      }))
        received += chunk.choices[0]?.delta?.content ?? '';
    })().catch((error: unknown) => error);
    assert.ok(broken instanceof OpenAI.APIError, String(broken));
    assert.match(broken.message, /standin/);
    assert.equal(received, words(3));

    provider.reset();
    const unknown = await sdk.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    assert.ok(unknown instanceof OpenAI.BadRequestError, String(unknown));
    assert.match(unknown.message, /Unknown model "no-such-model"/);
    assert.equal(provider.calls.all.length, 0, 'nothing reached the provider');

    const invalid = await rest(s.url, 'POST', '/v1/chat/completions', { token: admin.token, body: { model: 'gpt-4o', messages: [] } });
    assert.equal(invalid.status, 422);
    assert.match(invalid.body.detail, /messages/);
    const malformed = await rest(s.url, 'POST', '/v1/chat/completions', { token: admin.token, body: '{"model":' });
    assert.equal(malformed.status, 400);
    const anonymous = await rest(s.url, 'POST', '/v1/chat/completions', { body: { messages: [{ role: 'user', content: 'x' }] } });
    assert.equal(anonymous.status, 401);
    assert.ok(anonymous.body.detail);
  });

  it('streams a completion as a GraphQL subscription through the gateway', async () => {
    provider.reset();
    provider.reply = words(12);
    const client = wsClient(s.url, bearer(admin.token));
    const events = subscribe<{ chatCompletionStream: { delta?: string; done?: boolean; provider?: string } }>(client, {
      query: `subscription($input: ChatCompletionInput!) { chatCompletionStream(input: $input) }`,
      variables: { input: { model: 'gpt-4o-mini', messages: [{ role: 'USER', content: 'Hi' }] } },
    });
    let text = '';
    for (;;) {
      const event = await events.next();
      assert.ok(event.data, JSON.stringify(event.errors));
      const payload = event.data.chatCompletionStream;
      if (payload.done) {
        assert.equal(payload.provider, 'standin');
        break;
      }
      text += payload.delta ?? '';
    }
    assert.equal(text, words(12));
  });

  it('keeps seed 004’s /chat, /reset_conversation, /admin/chat/sessions and /admin/chat/stream', async () => {
    const member = await newMember(s.url, admin, 'WEB');
    const chat = await rest(s.url, 'POST', '/chat', { token: member.token, body: { message: 'Привет', persona: 'marina' } });
    assert.equal(chat.status, 200, JSON.stringify(chat.body));
    assert.equal(typeof chat.body.response, 'string');
    assert.ok(['local', 'standin'].includes(chat.body.provider));

    const sessions = await rest(s.url, 'GET', '/admin/chat/sessions', { token: member.token });
    assert.equal(sessions.status, 200);
    assert.equal(sessions.body.total, 1);
    const [session] = sessions.body.sessions;
    assert.equal(session.persona, 'marina');
    assert.equal(session.messages_count, 2);

    const streamed = await fetch(
      `${s.url}/admin/chat/stream?${new URLSearchParams({ message: 'Когда вы работаете?', session_id: session.id })}`,
      {
        headers: { authorization: `Bearer ${member.token}` },
      },
    );
    assert.equal(streamed.status, 200);
    assert.match(streamed.headers.get('content-type') ?? '', /text\/event-stream/);
    const frames = await sseData(streamed);
    assert.equal(frames.at(-1), '[DONE]');
    const pieces = frames.slice(0, -1).map((f) => JSON.parse(f) as { message?: string; done?: boolean });
    assert.ok(pieces.some((p) => typeof p.message === 'string'));
    assert.equal(pieces.at(-1)?.done, true);
    const read = await rest(s.url, 'GET', `/admin/chat/sessions/${session.id}`, { token: member.token });
    assert.equal(read.body.messages.length, 4);
    assert.deepEqual(
      read.body.messages.map((m: { role: string }) => m.role),
      ['user', 'assistant', 'user', 'assistant'],
    );

    const reset = await rest(s.url, 'POST', '/reset_conversation', { token: member.token, body: { persona: 'marina' } });
    assert.deepEqual(reset.body, { status: 'ok', message: 'Контекст сброшен' });
    assert.equal((await rest(s.url, 'GET', `/admin/chat/sessions/${session.id}`, { token: member.token })).body.messages.length, 0);

    const created = await rest(s.url, 'POST', '/admin/chat/sessions', {
      token: member.token,
      body: { title: unique('t'), persona: 'anna' },
    });
    assert.equal(created.status, 201);
    const renamed = await rest(s.url, 'PUT', `/admin/chat/sessions/${created.body.id}`, {
      token: member.token,
      body: { title: 'Renamed' },
    });
    assert.equal(renamed.body.title, 'Renamed');
    assert.equal((await rest(s.url, 'DELETE', `/admin/chat/sessions/${created.body.id}`, { token: member.token })).body.status, 'ok');
    const gone = await rest(s.url, 'GET', `/admin/chat/sessions/${created.body.id}`, { token: member.token });
    assert.equal(gone.status, 404);
    assert.ok(gone.body.detail);

    const blank = await fetch(`${s.url}/admin/chat/stream?message=`, { headers: { authorization: `Bearer ${member.token}` } });
    assert.equal(blank.status, 422);
    const guest = await newMember(s.url, admin, 'GUEST');
    assert.equal((await rest(s.url, 'POST', '/chat', { token: guest.token, body: { message: 'hi' } })).status, 403);
    // A guest's write is refused as such, before its body is looked at.
    const guestCompletion = await rest(s.url, 'POST', '/v1/chat/completions', { token: guest.token, body: { messages: 'not even valid' } });
    assert.equal(guestCompletion.status, 403);
    assert.equal(guestCompletion.body.error.code, 'FORBIDDEN');
    assert.equal(
      (await fetch(`${s.url}/admin/chat/stream?message=hi`, { headers: { authorization: `Bearer ${guest.token}` } })).status,
      403,
    );
    assert.equal((await rest(s.url, 'GET', '/v1/models', { token: guest.token })).status, 200, 'reading is a guest’s');
  });
});
