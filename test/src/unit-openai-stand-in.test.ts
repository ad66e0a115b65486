import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import OpenAI, { APIConnectionTimeoutError, APIError, AuthenticationError, NotFoundError, RateLimitError } from 'openai';
import { OpenAIStandIn, chunksOf, echo, words } from './support/openai.js';

const KEY = 'sk-stand-in-test-key';

describe('OpenAI stand-in, driven by the openai SDK', () => {
  let standIn: OpenAIStandIn;
  let client: OpenAI;
  before(async () => {
    standIn = await OpenAIStandIn.start({ requiredKey: KEY });
    client = new OpenAI({ apiKey: KEY, baseURL: standIn.url, maxRetries: 0 });
  });
  afterEach(() => {
    standIn.reset();
    standIn.reply = echo;
    standIn.chunkDelayMs = 0;
  });
  after(() => standIn.close());

  it('lists its models and records the call with the bearer key', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.deepEqual(ids, ['gpt-4o-mini', 'gpt-4o']);
    assert.equal((await client.models.retrieve('gpt-4o')).object, 'model');
    const [call] = standIn.calls.all;
    assert.equal(call.method, 'GET');
    assert.equal(call.path, '/v1/models');
    assert.equal(call.headers.authorization, `Bearer ${KEY}`);
    assert.equal(call.aborted, false);
  });

  it('answers a completion in one piece, echoing the last user message, with word counts as usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'hello there world' },
      ],
    });
    assert.equal(completion.object, 'chat.completion');
    assert.match(completion.id, /^chatcmpl-/);
    assert.equal(completion.model, 'gpt-4o-mini');
    assert.deepEqual(completion.choices, [
      {
        index: 0,
        message: { role: 'assistant', content: 'Echo: hello there world', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
    assert.deepEqual(completion.usage, { prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 });
    const call = await standIn.waitFor((c) => c.path === '/v1/chat/completions');
    assert.equal(call.body?.model, 'gpt-4o-mini');
  });

  it('streams word chunks in OpenAI order, then usage when asked, and the helper accepts them', async () => {
    standIn.reply = 'one two three';
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'count to three' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.deepEqual(
      chunks.map((c) => c.choices[0]?.delta ?? null),
      [{ role: 'assistant', content: '' }, { content: 'one' }, { content: ' two' }, { content: ' three' }, {}, null],
    );
    assert.deepEqual(
      chunks.map((c) => c.choices[0]?.finish_reason),
      [null, null, null, null, 'stop', undefined],
    );
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id));
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null && c.choices[0].index === 0 && c.choices[0].logprobs === null));
    assert.deepEqual(chunks.at(-1)?.usage, { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });

    standIn.reply = words(50);
    const helper = client.chat.completions.stream({ model: 'gpt-4o', messages: [{ role: 'user', content: 'go' }] });
    const final = await helper.finalChatCompletion();
    assert.equal(final.choices[0].message.content, words(50));
    assert.equal(chunksOf(words(50)).length, 50);
  });

  it('fails the next request with 429 and retry-after-ms, and the SDK retry then succeeds', async () => {
    standIn.failNext(429, { retryAfterMs: 20 });
    const retrying = new OpenAI({ apiKey: KEY, baseURL: standIn.url, maxRetries: 1 });
    const completion = await retrying.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(completion.choices[0].message.content, 'Echo: hi');
    assert.equal(standIn.calls.all.length, 2);
    assert.equal(standIn.calls.all[1].headers['x-stainless-retry-count'], '1');

    standIn.failNext(429, { message: 'slow down' });
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) =>
        error instanceof RateLimitError && error.status === 429 && error.code === 'rate_limit_exceeded' && /slow down/.test(error.message),
    );
  });

  it('stalls a request until the SDK times out, and marks that call aborted', async () => {
    standIn.stallNext();
    const started = Date.now();
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { timeout: 300 }),
      APIConnectionTimeoutError,
    );
    assert.ok(Date.now() - started < 2_000);
    const call = await standIn.waitForAbort(undefined, 2_000);
    assert.equal(call.path, '/v1/chat/completions');
  });

  it('marks a stream the client abandons midway as aborted', async () => {
    standIn.reply = words(100);
    standIn.chunkDelayMs = 20;
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'go' }],
      stream: true,
    });
    let seen = 0;
    for await (const _chunk of stream) if (++seen === 3) break;
    const call = await standIn.waitForAbort(undefined, 2_000);
    assert.equal(call.body?.stream, true);
  });

  it('breaks a stream with an error event after n chunks: the SDK throws an APIError', async () => {
    standIn.reply = words(10);
    standIn.breakStreamAfter(4);
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'go' }],
      stream: true,
    });
    const contents: string[] = [];
    await assert.rejects(async () => {
      for await (const chunk of stream) if (chunk.choices[0].delta.content) contents.push(chunk.choices[0].delta.content);
    }, APIError);
    assert.deepEqual(contents, chunksOf(words(4)));
  });

  it('refuses a wrong key with 401 and an unknown model with 404, in OpenAI error bodies', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: standIn.url, maxRetries: 0 });
    await assert.rejects(wrong.models.list(), (error: unknown) => error instanceof AuthenticationError && error.code === 'invalid_api_key');
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) => error instanceof NotFoundError && error.code === 'model_not_found',
    );
  });
});
